// Our engine alone and under the debug adapter, their runs interleaved (alternating which
// goes first) so that both see the same machine on average: the same JIT warmth, the
// same other load. Each gets one warm-up call that is not counted.

import { Benchmark } from './benchmarks';
import { measureDapSession } from './dapSession';
import { Measurement } from './measure';
import { callOurs, timedLoad } from './ours';

export async function measureOursAndDebug(b: Benchmark, runs: number): Promise<[Measurement, Measurement]> {
  const ours: Measurement = { benchmark: b.name, engine: 'ours', status: 'ok', loadMs: [], callMs: [], callWallMs: [] };
  const debug: Measurement = { benchmark: b.name, engine: 'debug', status: 'ok', loadMs: [], callMs: [], callWallMs: [] };
  // Every call gets a freshly loaded program, as every debug session does: a call then pays
  // for growing its store's stacks (a million frames for `deep`), as it would for a user.
  const runOurs = async (): Promise<void> => {
    const { loaded, loadMs } = await timedLoad(b);
    ours.loadMs.push(loadMs);
    const t = callOurs(b, loaded);
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
  ours.loadMs.shift();
  debug.loadMs.shift();
  return [ours, debug];
}
