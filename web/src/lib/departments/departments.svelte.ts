import { createDepartment, fetchDepartments, updateDepartment } from '../api/client.ts';
import type { Department, DepartmentInput } from '../api/types.ts';
import { Loader } from '../api/resource.svelte.ts';

/** The departments: listed on their admin page and offered in the users' department select. */
export class DepartmentsState extends Loader {
  all = $state.raw<Department[]>([]);

  readonly #byId = $derived(new Map(this.all.map((d) => [d.id, d])));

  /** Fetches the departments (again, after an error). */
  load(): Promise<void> {
    return this.run(fetchDepartments, (rows) => {
      this.all = rows;
    });
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
    // The version this page read, so a change someone made meanwhile is refused (409), not overwritten.
    const row = await updateDepartment(id, { ...patch, version: this.byId(id)?.version ?? 0 });
    this.all = this.all.map((d) => (d.id === row.id ? row : d));
    return row;
  }

  /** Stops a pending load (the page is closing). */
  destroy(): void {
    this.abort();
  }
}
