// Our engine alone and under the debug adapter, their runs interleaved (alternating which
// goes first) so that both see the same machine on average: the same JIT warmth, the
// same other load. Each gets one warm-up call that is not counted.

import { Benchmark } from './benchmarks';
import { measureDapSession } from './dapSession';
import { Measurement } from './measure';
import { callOurs, timedLoads } from './ours';

export async function measureOursAndDebug(b: Benchmark, runs: number): Promise<[Measurement, Measurement]> {
  const plain = await timedLoads(b, runs);
  const ours: Measurement = { benchmark: b.name, engine: 'ours', status: 'ok', loadMs: plain.loadMs, callMs: [], callWallMs: [] };
  const debug: Measurement = { benchmark: b.name, engine: 'debug', status: 'ok', loadMs: [], callMs: [], callWallMs: [] };
  const runOurs = async (): Promise<void> => {
    const t = callOurs(b, plain.loaded);
    ours.callMs.push(t.cpu);
    ours.callWallMs.push(t.wall);
  };
  const runDebug = async (): Promise<void> => {
    const m = await measureDapSession(b, 1);
    debug.loadMs.push(...m.loadMs);
    debug.callMs.push(...m.callMs);
    debug.callWallMs.push(...m.callWallMs);
  };
  // One unmeasured call each first: the run loop's first calls run while V8 is still
  // optimising it (two to five times slower), which says little about the interpreter.
  for (let i = -1; i < runs; i++) {
    const order = i % 2 ? [runDebug, runOurs] : [runOurs, runDebug];
    for (const run of order) await run();
    if (i === -1) for (const m of [ours, debug]) for (const xs of [m.callMs, m.callWallMs]) xs.length = 0;
  }
  debug.loadMs.shift();
  return [ours, debug];
}
