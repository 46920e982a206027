import { createDepartment, fetchDepartments, updateDepartment } from '../api/client.ts';
import type { Department, DepartmentInput } from '../api/types.ts';
import type { LoadStatus } from '../areas/areas.svelte.ts';

/** The departments: listed on their admin page and offered in the users' department select. */
export class DepartmentsState {
  status = $state<LoadStatus>('idle');
  error = $state.raw<unknown>(null);
  all = $state.raw<Department[]>([]);

  readonly #byId = $derived(new Map(this.all.map((d) => [d.id, d])));

  #controller: AbortController | null = null;

  /** Fetches the departments (again, after an error). */
  async load(): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.status = 'loading';
    this.error = null;
    try {
      const departments = await fetchDepartments(controller.signal);
      if (controller.signal.aborted) return;
      this.all = departments;
      this.status = 'ready';
    } catch (error) {
      if (controller.signal.aborted) return;
      this.error = error;
      this.status = 'error';
    }
  }

  /** The department with this id, if listed. */
  byId(id: number | null): Department | undefined {
    return id === null ? undefined : this.#byId.get(id);
  }

  /** Creates a department and lists it; throws the ApiError for the form to show. */
  async create(input: DepartmentInput): Promise<Department> {
    const row = await createDepartment(input);
    this.all = [...this.all.filter((d) => d.id !== row.id), row];
    return row;
  }

  /** Changes a department; throws the ApiError for the form to show. */
  async update(id: number, patch: Partial<DepartmentInput>): Promise<Department> {
    const row = await updateDepartment(id, patch);
    this.all = this.all.map((d) => (d.id === row.id ? row : d));
    return row;
  }

  /** Stops a pending load (the page is closing). */
  destroy(): void {
    this.#controller?.abort();
  }
}
