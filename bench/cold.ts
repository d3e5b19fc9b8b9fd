// The cold row: each program run once from a fresh load in a fresh thread, as a debug session runs
// it, on V8, on our interpreter and on our engine with the compiled tier (functions compiled once
// they run hot). Each measured run is a new worker thread (coldRun.ts); the engines take turns so
// they see the same machine.

import { Benchmark } from './benchmarks';
import type { ColdJob, ColdResult } from './coldRun';
import { EngineId, Measurement, WrongResult, emptyMeasurement } from './measure';
import { inFreshWorker } from './workers';

const ENGINES: [EngineId, ColdJob['engine']][] = [['v8Cold', 'v8'], ['oursCold', 'off'], ['tierCold', 'hot']];

export async function measureCold(b: Benchmark, runs: number): Promise<Measurement[]> {
  const measured = ENGINES.map(([engine]) => emptyMeasurement(b.name, engine));
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < ENGINES.length; k++) {
      const [engine, mode] = ENGINES[k];
      const r = await inFreshWorker<ColdResult>('coldRun.js', { benchmark: b.name, engine: mode } satisfies ColdJob, 600_000);
      if (r.result !== b.expected) throw new WrongResult(b, `${engine} (cold)`, b.args, r.result, b.expected);
      measured[k].callMs.push(r.time.cpu);
      measured[k].callWallMs.push(r.time.wall);
    }
  }
  return measured;
}
