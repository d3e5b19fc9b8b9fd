// One cold run, in a fresh worker thread: the benchmark's modules loaded and its entry called once,
// as a debug session runs a program (V8 from `WebAssembly.instantiate`, ours from `loadModule`, with
// no earlier run to have warmed either engine's code). The worker posts the CPU and wall time of
// load plus call, and the entry's result.

import { parentPort, workerData } from 'worker_threads';
import { benchmarkNamed } from './benchmarks';
import { engineApi, entryOf, loadHosted } from './hostedLoad';
import { asU32, clock, since, type Clock } from './measure';
import { i32Args, i32Result, loadOurs, storeFor } from './ours';
import type { TierMode } from '../src/engine/tier/modes';
import { invoke } from '../src/engine';

export interface ColdJob {
  benchmark: string;
  /** V8's WebAssembly, or our engine with the given compiled tier mode. */
  engine: 'v8' | TierMode;
}

export interface ColdResult {
  time: Clock;
  result: number | undefined;
}

async function coldRun(job: ColdJob): Promise<ColdResult> {
  const b = benchmarkNamed(job.benchmark);
  if (job.engine === 'v8') {
    const t0 = clock();
    const entry = entryOf(await loadHosted(engineApi('v8'), b), b);
    const result = entry(...b.args);
    return { time: since(t0), result: asU32(result) };
  }
  const t0 = clock();
  const loaded = await loadOurs(b, storeFor(b, job.engine));
  const results = invoke(loaded.store, loaded.entry, i32Args(b.args));
  const time = since(t0);
  return { time, result: i32Result(results) };
}

if (parentPort && workerData) {
  coldRun(workerData as ColdJob).then(
    (r) => parentPort!.postMessage({ ok: r }),
    (err: Error) => parentPort!.postMessage({ error: `${err.name}: ${err.message}` }),
  );
}
