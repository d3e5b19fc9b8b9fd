// Starts a worker thread for an engine hosted by V8 (see inWorker.ts) and waits for its
// measurement, ending it when it runs past its time limit.

import * as path from 'path';
import { Worker } from 'worker_threads';
import type { WorkerJob } from './inWorker';
import { Measurement, skipped } from './measure';

/** Native stack for the worker: V8 needs about 100 MiB for a million frames of `deep`. */
const STACK_MB = 1024;

export function runInWorker(job: WorkerJob, timeoutMs: number): Promise<Measurement & { probeResult?: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'inWorker.js'), { workerData: job, resourceLimits: { stackSizeMb: STACK_MB } });
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve(skipped(job.benchmark, job.engine, `still running after ${Math.round(timeoutMs / 1000)} s, stopped`));
    }, timeoutMs);
    worker.once('message', (msg: { ok?: Measurement & { probeResult?: number }; error?: string }) => {
      clearTimeout(timer);
      void worker.terminate();
      if (msg.ok) resolve(msg.ok);
      else if (job.engine === 'peer') resolve(skipped(job.benchmark, job.engine, msg.error ?? 'failed'));
      else reject(new Error(msg.error));
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      if (job.engine === 'peer') resolve(skipped(job.benchmark, job.engine, `crashed: ${err.message}`));
      else reject(err);
    });
  });
}

/** Runs `file` (a worker script of bench/) in a fresh worker thread with `data`: what it posts as `ok`, else an error. */
export function inFreshWorker<T>(file: string, data: unknown, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, file), { workerData: data, resourceLimits: { stackSizeMb: STACK_MB } });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`${file}: still running after ${Math.round(timeoutMs / 1000)} s, stopped`));
    }, timeoutMs);
    // Settled only once the thread has ended: process CPU time counts every thread, so the next
    // run must not overlap this one's teardown.
    worker.once('message', (msg: { ok?: T; error?: string }) => {
      clearTimeout(timer);
      void worker.terminate().then(() => {
        if (msg.error !== undefined) reject(new Error(msg.error));
        else resolve(msg.ok as T);
      });
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}
