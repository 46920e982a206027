import { Loader } from '../api/resource.svelte.ts';
import { ApiError } from '../api/client.ts';
import { createInspection, fetchInspection, fetchInspections, previewTrack, removeTrack, updateInspection, uploadTrack } from './inspections-api.ts';
import type {
  CoordinateSystem,
  InspectionDetail,
  InspectionFilters,
  InspectionInput,
  InspectionPatch,
  InspectionSummary,
  TrackImportResult,
  TrackPreview,
} from './types.ts';

export const NO_INSPECTION_FILTERS: InspectionFilters = { status: '', area: '', department: null, from: '', to: '' };

/** The list of inspections and its filters; changing a filter fetches again. */
export class InspectionsState extends Loader {
  all = $state.raw<InspectionSummary[]>([]);
  filters = $state<InspectionFilters>({ ...NO_INSPECTION_FILTERS });

  readonly filtering = $derived(
    this.filters.status !== '' || this.filters.area !== '' || this.filters.department !== null || this.filters.from !== '' || this.filters.to !== '',
  );

  /** Fetches the inspections matching the current filters. */
  load(): Promise<void> {
    const filters = { ...this.filters };
    return this.run(
      (signal) => fetchInspections(filters, signal),
      (rows) => {
        this.all = rows;
      },
    );
  }

  /** Creates an inspection; throws the ApiError for the form to show. */
  create(input: InspectionInput): Promise<InspectionDetail> {
    return createInspection(input);
  }

  /** Clears every filter. */
  clearFilters(): void {
    this.filters = { ...NO_INSPECTION_FILTERS };
  }

  /** Stops a pending load (the page is closing). */
  destroy(): void {
    this.abort();
  }
}

export type DetailStatus = 'idle' | 'loading' | 'ready' | 'not-found' | 'error';

/** An upload in flight: the share sent, or null once sent and the server is reading the file. */
export interface UploadProgress {
  fileName: string;
  share: number | null;
  /** A preview (`dryRun`, nothing stored) or the import that stores the track. */
  purpose: 'preview' | 'save';
}

/** A preview on show, with the file and coordinate system it was made from (Save sends those). */
export interface ShownPreview extends TrackPreview {
  fileName: string;
  coordinateSystem: CoordinateSystem;
}

/** One inspection: its record, edits with version checks, and track imports (previewed, then saved). */
export class InspectionDetailState {
  status = $state<DetailStatus>('idle');
  error = $state.raw<unknown>(null);
  detail = $state.raw<InspectionDetail | null>(null);
  upload = $state.raw<UploadProgress | null>(null);
  preview = $state.raw<ShownPreview | null>(null);

  #controller: AbortController | null = null;
  #uploadController: AbortController | null = null;

  constructor(readonly id: number) {}

  /** Fetches the inspection (again). */
  async load(): Promise<void> {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.status = 'loading';
    this.error = null;
    try {
      const detail = await fetchInspection(this.id, controller.signal);
      if (controller.signal.aborted) return;
      this.detail = detail;
      this.status = 'ready';
    } catch (error) {
      if (controller.signal.aborted) return;
      this.error = error;
      this.status = error instanceof ApiError && error.status === 404 ? 'not-found' : 'error';
    }
  }

  /** Saves changes; a 409 (someone else saved first) is thrown for the form to offer a reload. */
  async save(patch: InspectionPatch): Promise<void> {
    this.detail = await updateInspection(this.id, patch);
  }

  /**
   * Uploads a track file for a preview and shows it; a failure clears any earlier preview, so the map
   * never shows a file (or coordinate system) other than the one chosen.
   */
  async previewTrack(file: File, coordinateSystem: CoordinateSystem): Promise<ShownPreview> {
    return this.#send(file, 'preview', async (controller, onprogress) => {
      try {
        const result = await previewTrack(this.id, file, coordinateSystem, onprogress, controller.signal);
        const shown: ShownPreview = { ...result, fileName: file.name, coordinateSystem };
        this.preview = shown;
        return shown;
      } catch (error) {
        if (this.#uploadController === controller) this.preview = null;
        throw error;
      }
    });
  }

  /** Uploads a track file and stores it; the answer carries the inspection with the new track, which replaces the preview. */
  async importTrack(file: File, coordinateSystem: CoordinateSystem): Promise<TrackImportResult> {
    return this.#send(file, 'save', async (controller, onprogress) => {
      const result = await uploadTrack(this.id, file, coordinateSystem, onprogress, controller.signal);
      this.detail = result.inspection;
      this.preview = null;
      return result;
    });
  }

  /** Removes a track from the inspection as last read; a 409 (changed meanwhile) is thrown for the dialog to show. */
  async removeTrack(trackId: number): Promise<void> {
    if (!this.detail) return;
    this.detail = await removeTrack(this.id, trackId, this.detail.version);
  }

  /** Stops an upload in flight and takes the preview off the map. */
  clearPreview(): void {
    this.#uploadController?.abort();
    this.#uploadController = null;
    this.upload = null;
    this.preview = null;
  }

  // One upload at a time: a new one (a preview for another coordinate system, or Save) stops the last.
  async #send<T>(
    file: File,
    purpose: UploadProgress['purpose'],
    run: (controller: AbortController, onprogress: (share: number | null) => void) => Promise<T>,
  ): Promise<T> {
    this.#uploadController?.abort();
    const controller = new AbortController();
    this.#uploadController = controller;
    this.upload = { fileName: file.name, share: 0, purpose };
    try {
      return await run(controller, (share) => {
        if (this.#uploadController === controller) this.upload = { fileName: file.name, share, purpose };
      });
    } finally {
      if (this.#uploadController === controller) {
        this.#uploadController = null;
        this.upload = null;
      }
    }
  }

  /** Stops pending requests (the page is closing). */
  destroy(): void {
    this.#controller?.abort();
    this.#uploadController?.abort();
  }
}
