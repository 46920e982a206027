import { getJson } from '../api/client.ts';
import type { SupervisionNotice } from '../../../../server/features/supervision/supervision.service.ts';

export type { SupervisionNotice };

/** One 督办 notice, for the printable page. */
export function fetchNotice(id: number, signal?: AbortSignal): Promise<SupervisionNotice> {
  return getJson<SupervisionNotice>(`/api/supervision/notices/${id}`, signal);
}
