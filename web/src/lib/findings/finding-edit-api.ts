import { request } from '../api/client.ts';
import type { FactsPatch, NewTask } from './finding-edit.ts';
import type { FindingSummary, Task } from './types.ts';

/** Assigns an ad-hoc verify or inspect task on a finding to a department (coordinators). */
export function assignFindingTask(findingId: number, body: NewTask): Promise<Task> {
  return request<Task>('POST', `/api/findings/${findingId}/tasks`, { body });
}

/** Changes a finding's facts; `version` guards against overwriting someone else's change (409). */
export function updateFindingFacts(findingId: number, body: FactsPatch & { version: number }): Promise<FindingSummary> {
  return request<FindingSummary>('PATCH', `/api/findings/${findingId}`, { body });
}
