// Our engine alone and under the debug adapter (without and with the recording that lets a
// session go backwards), their runs interleaved (rotating which goes first) so that all see the
// same machine on average: the same JIT warmth, the same other load. Each gets one warm-up call
// that is not counted.

import { Benchmark } from './benchmarks';
import { measureDapSession } from './dapSession';
import { Measurement } from './measure';
import type { TierMode } from '../src/engine/tier/modes';
import { callOurs, timedLoad, uncompiled } from './ours';

export async function measureOursAndDebug(b: Benchmark, runs: number, log: (line: string) => void): Promise<Measurement[]> {
  const ours: Measurement = { benchmark: b.name, engine: 'ours', status: 'ok', loadMs: [], callMs: [], callWallMs: [] };
  const tier: Measurement = { benchmark: b.name, engine: 'tier', status: 'ok', loadMs: [], callMs: [], callWallMs: [] };
  const debug: Measurement = { benchmark: b.name, engine: 'debug', status: 'ok', loadMs: [], callMs: [], callWallMs: [] };
  const debugTier: Measurement = { benchmark: b.name, engine: 'debugTier', status: 'ok', loadMs: [], callMs: [], callWallMs: [] };
  const recording: Measurement = { benchmark: b.name, engine: 'recording', status: 'ok', loadMs: [], callMs: [], callWallMs: [] };
  // Every call gets a freshly loaded program, as every debug session does: a call then pays
  // for growing its store's stacks (a million frames for `deep`), as it would for a user.
  const runOurs = async (): Promise<void> => {
    const { loaded, loadMs } = await timedLoad(b);
    ours.loadMs.push(loadMs);
    const t = callOurs(b, loaded);
    ours.callMs.push(t.cpu);
    ours.callWallMs.push(t.wall);
  };
  let stayed = '';
  const runTier = async (): Promise<void> => {
    const { loaded, loadMs } = await timedLoad(b, 'hot');
    tier.loadMs.push(loadMs);
    const t = callOurs(b, loaded);
    tier.callMs.push(t.cpu);
    tier.callWallMs.push(t.wall);
    stayed = uncompiled(loaded);
  };
  // The session's program thread makes its store with the launch's compiled tier.
  const underAdapter = (into: Measurement, tierMode: TierMode) => async (): Promise<void> => {
    const m = await measureDapSession(b, 1, into === recording ? 'recording' : 'debug', tierMode);
    into.loadMs.push(...m.loadMs);
    into.callMs.push(...m.callMs);
    into.callWallMs.push(...m.callWallMs);
  };
  const runDebug = underAdapter(debug, 'off');
  const runDebugTier = underAdapter(debugTier, 'hot');
  const runRecording = underAdapter(recording, 'off');
  // One unmeasured call each first: the run loop's first calls run while V8 is still
  // optimising it (two to five times slower), which says little about the interpreter.
  const all = [runOurs, runTier, runDebug, runDebugTier, runRecording];
  const measured = [ours, tier, debug, debugTier, recording];
  for (let i = -1; i < runs; i++) {
    const first = (i + all.length) % all.length;
    for (let k = 0; k < all.length; k++) await all[(first + k) % all.length]();
    if (i === -1) for (const m of measured) for (const xs of [m.callMs, m.callWallMs]) xs.length = 0;
  }
  for (const m of measured) m.loadMs.shift();
  log(`${b.name} on the compiled tier: ${stayed === '' ? 'every function that ran hot was compiled' : `interpreted: ${stayed}`}`);
  return measured;
}
