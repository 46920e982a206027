import { createUser, fetchUsers, updateUser } from '../api/client.ts';
import type { NewUser, UserPatch, UserRow } from '../api/types.ts';
import { Loader } from '../api/resource.svelte.ts';

/** The accounts on the admin page; writes replace the changed row with the server's answer. */
export class UsersState extends Loader {
  all = $state.raw<UserRow[]>([]);

  /** Fetches the accounts (again, after an error). */
  load(): Promise<void> {
    return this.run(fetchUsers, (rows) => {
      this.all = rows;
    });
  }

  /** Creates an account and lists it; throws the ApiError for the form to show. */
  async create(input: NewUser): Promise<UserRow> {
    const row = await createUser(input);
    this.all = [...this.all.filter((u) => u.id !== row.id), row];
    return row;
  }

  /** Changes an account and shows the server's version of it; throws the ApiError for the form to show. */
  async update(id: number, patch: UserPatch): Promise<UserRow> {
    // The version this page read, so a change someone made meanwhile is refused (409), not overwritten.
    const row = await updateUser(id, { ...patch, version: this.all.find((u) => u.id === id)?.version ?? 0 });
    this.all = this.all.map((u) => (u.id === row.id ? row : u));
    return row;
  }

  /** Stops a pending load (the page is closing). */
  destroy(): void {
    this.abort();
  }
}
