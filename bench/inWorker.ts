// Runs one benchmark on an engine hosted by this Node process's own V8, in a worker
// thread so the runner can give it a call stack deep enough for `deep` (a million
// wasm frames overflow the main thread's native stack). Engines: V8's WebAssembly
// (the ceiling) and the webassemblyjs interpreter from npm (a JavaScript-hosted peer).

import { parentPort, workerData } from 'worker_threads';
import { benchmarkNamed } from './benchmarks';
import { Exports, WebAssemblyLike, engineApi, entryOf, loadHosted } from './hostedLoad';
import { Measurement, WrongResult, asU32, clock, since, skipped } from './measure';

export interface WorkerJob {
  engine: 'v8' | 'peer';
  benchmark: string;
  runs: number;
  warmups: number;
  /** For the peer: V8's answer for the probe arguments, checked before the full run. */
  probeExpected?: number;
}

export async function runJob(job: WorkerJob): Promise<Measurement & { probeResult?: number }> {
  const b = benchmarkNamed(job.benchmark);
  const label = job.engine === 'v8' ? 'V8' : 'webassemblyjs';
  let api: WebAssemblyLike;
  try {
    api = engineApi(job.engine);
  } catch (err) {
    return skipped(b.name, job.engine, `webassemblyjs is not installed (npm install): ${(err as Error).message}`);
  }
  const loadMs: number[] = [];
  let instances: Map<string, Exports> | undefined;
  for (let i = 0; i < Math.max(1, job.runs); i++) {
    const t0 = clock();
    try {
      instances = await loadHosted(api, b);
    } catch (err) {
      if (job.engine === 'v8') throw err;
      return skipped(b.name, job.engine, `cannot load it: ${(err as Error).message}`);
    }
    loadMs.push(since(t0).cpu);
  }
  const entry = entryOf(instances!, b);

  let probeResult: number | undefined;
  try {
    probeResult = asU32(entry(...b.probeArgs));
  } catch (err) {
    if (job.engine === 'v8') throw err;
    return skipped(b.name, job.engine, `fails on ${b.entry}(${b.probeArgs.join(', ')}): ${(err as Error).message}`);
  }
  if (job.probeExpected !== undefined && probeResult !== job.probeExpected) {
    return skipped(b.name, job.engine, `wrong answer: ${b.entry}(${b.probeArgs.join(', ')}) returned ${probeResult}, V8 returns ${job.probeExpected}`);
  }

  const callMs: number[] = [];
  const callWallMs: number[] = [];
  for (let i = 0; i < job.warmups + job.runs; i++) {
    const t0 = clock();
    let result: unknown;
    try {
      result = entry(...b.args);
    } catch (err) {
      if (job.engine === 'v8') throw err;
      return skipped(b.name, job.engine, `fails on ${b.entry}(${b.args.join(', ')}): ${(err as Error).message}`);
    }
    const t = since(t0);
    if (asU32(result) !== b.expected) {
      if (job.engine === 'v8') throw new WrongResult(b, label, b.args, result, b.expected);
      return skipped(b.name, job.engine, `wrong answer: ${b.entry}(${b.args.join(', ')}) returned ${String(result)}, expected ${b.expected}`);
    }
    if (i >= job.warmups) {
      callMs.push(t.cpu);
      callWallMs.push(t.wall);
    }
  }
  return { benchmark: b.name, engine: job.engine, status: 'ok', loadMs, callMs, callWallMs, probeResult };
}

if (parentPort && workerData) {
  runJob(workerData as WorkerJob).then(
    (m) => parentPort!.postMessage({ ok: m }),
    (err: Error) => parentPort!.postMessage({ error: `${err.name}: ${err.message}` }),
  );
}
