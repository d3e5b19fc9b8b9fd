// Runs a bench worker script (inWorker.ts for an engine hosted by V8, coldRun.ts for a cold run) in
// a fresh worker thread and waits for what it posts, ending it when it runs past its time limit.

import * as path from 'path';
import { Worker } from 'worker_threads';
import type { WorkerJob } from './inWorker';
import { Measurement, skipped } from './measure';

/** Native stack for the worker: V8 needs about 100 MiB for a million frames of `deep`. */
const STACK_MB = 1024;

/** Why a worker gave no result: it ran too long, posted an error, or crashed. */
export class WorkerFailure extends Error {
  constructor(readonly kind: 'timeout' | 'posted' | 'crashed', message: string) {
    super(message);
  }
}

/** Runs `file` (a worker script of bench/) in a fresh worker thread with `data`: what it posts as `ok`, else a WorkerFailure. */
export function inFreshWorker<T>(file: string, data: unknown, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, file), { workerData: data, resourceLimits: { stackSizeMb: STACK_MB } });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new WorkerFailure('timeout', `still running after ${Math.round(timeoutMs / 1000)} s, stopped`));
    }, timeoutMs);
    // Settled only once the thread has ended: process CPU time counts every thread, so the next
    // run must not overlap this one's teardown.
    worker.once('message', (msg: { ok?: T; error?: string }) => {
      clearTimeout(timer);
      void worker.terminate().then(() => {
        if (msg.ok !== undefined) resolve(msg.ok);
        else reject(new WorkerFailure('posted', msg.error ?? 'failed'));
      });
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(new WorkerFailure('crashed', err.message));
    });
  });
}

/** One engine's measurement (inWorker.ts); a run too long, or any failure of the peer, is a skipped row. */
export async function runInWorker(job: WorkerJob, timeoutMs: number): Promise<Measurement & { probeResult?: number }> {
  try {
    return await inFreshWorker<Measurement & { probeResult?: number }>('inWorker.js', job, timeoutMs);
  } catch (err) {
    if (!(err instanceof WorkerFailure)) throw err;
    if (err.kind === 'timeout') return skipped(job.benchmark, job.engine, err.message);
    if (job.engine === 'peer') return skipped(job.benchmark, job.engine, err.kind === 'crashed' ? `crashed: ${err.message}` : err.message);
    throw new Error(err.message);
  }
}
