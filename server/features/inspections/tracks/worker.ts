/** Worker thread body: parses one track file per message and answers with the import or the error's parts. */
import { parentPort } from 'node:worker_threads';
import { TrackParseError } from './errors.ts';
import { toTrackImport, type TrackImport } from './output.ts';
import { parseTrackFile, type TrackFileInput, type TrackLimits } from './parse.ts';

/** A job sent to the worker. */
export interface ParseRequest {
  id: number;
  input: TrackFileInput;
  limits?: TrackLimits;
}

/** What the worker answers: the import, a TrackParseError's fields (so it crosses the thread intact), or another failure. */
export type ParseReply =
  | { id: number; ok: true; result: TrackImport }
  | { id: number; ok: false; trackError: Pick<TrackParseError, 'status' | 'code' | 'message' | 'location'> }
  | { id: number; ok: false; failure: { message: string; stack?: string } };

const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread only');

port.on('message', (request: ParseRequest) => {
  let reply: ParseReply;
  try {
    reply = { id: request.id, ok: true, result: toTrackImport(parseTrackFile(request.input, request.limits)) };
  } catch (error) {
    reply =
      error instanceof TrackParseError
        ? { id: request.id, ok: false, trackError: { status: error.status, code: error.code, message: error.message, location: error.location } }
        : { id: request.id, ok: false, failure: { message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined } };
  }
  port.postMessage(reply);
});
