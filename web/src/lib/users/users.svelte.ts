import { createUser, fetchUsers, updateUser } from '../api/client.ts';
import type { NewUser, UserPatch, UserRow } from '../api/types.ts';
import type { LoadStatus } from '../areas/areas.svelte.ts';

/** The accounts on the admin page; writes replace the changed row with the server's answer. */
export class UsersState {
  status = $state<LoadStatus>('idle');
  error = $state.raw<unknown>(null);
  all = $state.raw<UserRow[]>([]);

  #controller: AbortController | null = null;

  /** Fetches the accounts (again, after an error). */
  async load(): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.status = 'loading';
    this.error = null;
    try {
      const users = await fetchUsers(controller.signal);
      if (controller.signal.aborted) return;
      this.all = users;
      this.status = 'ready';
    } catch (error) {
      if (controller.signal.aborted) return;
      this.error = error;
      this.status = 'error';
    }
  }

  /** Creates an account and lists it; throws the ApiError for the form to show. */
  async create(input: NewUser): Promise<UserRow> {
    const row = await createUser(input);
    this.all = [...this.all.filter((u) => u.id !== row.id), row];
    return row;
  }

  /** Changes an account and shows the server's version of it; throws the ApiError for the form to show. */
  async update(id: number, patch: UserPatch): Promise<UserRow> {
    const row = await updateUser(id, patch);
    this.all = this.all.map((u) => (u.id === row.id ? row : u));
    return row;
  }

  /** Stops a pending load (the page is closing). */
  destroy(): void {
    this.#controller?.abort();
  }
}
