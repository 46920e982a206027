/**
 * Track files are parsed in worker threads: a 200,000-point GPX takes seconds of CPU, and on the main thread every
 * other request would wait for it. A few long-lived workers (one per spare core) take jobs from a bounded queue.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { ApiError } from '../../../lib/errors.ts';
import { TrackParseError } from './errors.ts';
import type { TrackImport } from './output.ts';
import type { TrackFileInput, TrackLimits } from './parse.ts';
import type { ParseReply, ParseRequest } from './worker.ts';

const WORKER_ENTRY = new URL('./worker-boot.mjs', import.meta.url);

/** Parses at once: one core stays free for the requests the workers must not hold up. */
const POOL_SIZE = Math.max(1, Math.min(4, os.availableParallelism() - 1));

/** Uploads waiting for a worker; each holds its file in memory, so the queue is capped and the rest get 503. */
const MAX_WAITING = 16;

interface Job {
  request: ParseRequest;
  resolve: (result: TrackImport) => void;
  reject: (error: Error) => void;
}

const idle: Worker[] = [];
const running = new Map<Worker, Job>();
const waiting: Job[] = [];
let workerCount = 0;
let nextId = 1;

/** Parses a track file in a worker thread; a TrackParseError comes back with its status, code, message and location. */
export function parseTrackInWorker(input: TrackFileInput, limits?: TrackLimits): Promise<TrackImport> {
  if (waiting.length >= MAX_WAITING) {
    return Promise.reject(new ApiError(503, 'server_busy', '正在解析的轨迹文件较多，请稍后再上传'));
  }
  return new Promise<TrackImport>((resolve, reject) => {
    waiting.push({ request: { id: nextId++, input, limits }, resolve, reject });
    dispatch();
  });
}

/** Parses running in workers now, and waiting for one. */
export function trackParseLoad(): { running: number; waiting: number } {
  return { running: running.size, waiting: waiting.length };
}

function dispatch(): void {
  while (waiting.length > 0) {
    const worker = idle.pop() ?? (workerCount < POOL_SIZE ? startWorker() : null);
    if (!worker) return;
    const job = waiting.shift()!;
    running.set(worker, job);
    // A busy worker keeps the process alive until it answers; an idle one does not hold up exit.
    worker.ref();
    worker.postMessage(job.request);
  }
}

function startWorker(): Worker {
  const worker = new Worker(WORKER_ENTRY);
  workerCount++;
  worker.unref();
  worker.on('message', (reply: ParseReply) => {
    const job = running.get(worker);
    if (!job || job.request.id !== reply.id) return;
    running.delete(worker);
    worker.unref();
    idle.push(worker);
    settle(job, reply);
    dispatch();
  });
  const lost = (error: Error) => {
    workerCount--;
    const at = idle.indexOf(worker);
    if (at !== -1) idle.splice(at, 1);
    const job = running.get(worker);
    running.delete(worker);
    job?.reject(error);
    dispatch();
  };
  // An uncaught error or running out of memory ends the worker; its job fails and the next job gets a new worker.
  worker.on('error', lost);
  worker.on('exit', (code) => {
    if (running.has(worker) || idle.includes(worker)) lost(new Error(`track parser worker exited with code ${code}`));
  });
  return worker;
}

function settle(job: Job, reply: ParseReply): void {
  if (reply.ok) job.resolve(reply.result);
  else if ('trackError' in reply) {
    const { status, code, message, location } = reply.trackError;
    job.reject(new TrackParseError(status, code, message, location));
  } else {
    const error = new Error(reply.failure.message);
    if (reply.failure.stack) error.stack = reply.failure.stack;
    job.reject(error);
  }
}
