// Runs one fuzz module in our engine and in an oracle (V8, or binaryen's interpreter) and compares
// their traces. Lines must be equal, except that a NaN equals any NaN: scalar floats are shown as
// `nan` already, and in a v128 a lane pair that differs is accepted when both sides are NaNs read as
// f32 lanes or as f64 lanes (the spec leaves a NaN result's sign and payload open, so engines
// legitimately differ there).
//
// Each module runs in our engine twice: interpreted, then with every function it calls compiled by
// the compiled tier (src/engine/tier). The interpreter's trace is compared with the oracle's; the
// tier's must equal the interpreter's exactly, line for line.

import { Module, decodeModule, loadModule } from '../src/engine';
import { parseBinaryenOutput } from './runBinaryen';
import { runOurs } from './runOurs';
import { runOursBinaryen } from './runOursBinaryen';
import { runV8 } from './runV8';
import { WA } from './jsApi';
import type { Trace } from './trace';
import type { TierMode } from '../src/engine/tier/modes';

/** How our engine runs each module: interpreted, then compiled by the tier from each function's first call. */
const TIERS: TierMode[] = ['off', 'always'];

type RunOurs = (module: Module, trace: Trace, tier: TierMode) => void;

/** Our runs of `module` (one per tier mode), or where one failed outside the program. */
function runOursEverywhere(module: Module, run: RunOurs): { traces: Trace[] } | { failed: string; trace: Trace; tier: TierMode } {
  const traces: Trace[] = [];
  for (const tier of TIERS) {
    const trace: Trace = [];
    try {
      run(module, trace, tier);
    } catch (e) {
      trace.push(`harness error: ${(e as Error).message}`);
      return { failed: (e as Error).message, trace, tier };
    }
    traces.push(trace);
  }
  return { traces };
}

const tierNote = (tier: TierMode) => (tier === 'off' ? '' : ` (with the compiled tier: ${tier})`);

/** Where the compiled tier's trace first differs from the interpreter's (exactly, NaN bits included), or null. */
export function tierDifference(traces: Trace[]): { reason: string; ours: Trace } | null {
  const [interpreted, ...compiled] = traces;
  for (let k = 0; k < compiled.length; k++) {
    const trace = compiled[k];
    const n = Math.max(interpreted.length, trace.length);
    for (let i = 0; i < n; i++) {
      if (interpreted[i] !== trace[i]) {
        return {
          reason: `line ${i + 1}: interpreter ${JSON.stringify(interpreted[i] ?? '(end)')}, compiled tier (${TIERS[k + 1]}) ${JSON.stringify(trace[i] ?? '(end)')}`,
          ours: trace,
        };
      }
    }
  }
  return null;
}

export type Outcome =
  /** `note`: the comparison stopped early (binaryen reached a host limit). */
  | { kind: 'same'; trace: Trace; note?: string }
  /** The oracle rejects the module: binaryen made something outside the features, not our concern. */
  | { kind: 'invalid'; reason: string }
  /** Our engine rejects a module made with a feature it does not run yet. */
  | { kind: 'unsupported'; reason: string }
  /** `against`: what `oracle` came from when it is not the oracle (the interpreter, for a run of the compiled tier). */
  | { kind: 'divergence'; reason: string; ours: Trace; oracle: Trace; against?: string };

const isNaN32 = (x: number) => (x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0;
const isNaN64 = (hi: number, lo: number) => (hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0xfffff) !== 0 || lo !== 0);

/** Two `v128 xxxxxxxx ...` texts equal up to NaN lanes. */
function sameVector(a: number[], b: number[]): boolean {
  for (let half = 0; half < 2; half++) {
    const [alo, ahi, blo, bhi] = [a[half * 2], a[half * 2 + 1], b[half * 2], b[half * 2 + 1]];
    if (alo === blo && ahi === bhi) continue;
    if (isNaN64(ahi, alo) && isNaN64(bhi, blo)) continue;
    const lane = (x: number, y: number) => x === y || (isNaN32(x) && isNaN32(y));
    if (lane(alo, blo) && lane(ahi, bhi)) continue;
    return false;
  }
  return true;
}

const VECTOR = /v128 ([0-9a-f]{8}) ([0-9a-f]{8}) ([0-9a-f]{8}) ([0-9a-f]{8})/g;

export function sameLine(a: string, b: string): boolean {
  if (a === b) return true;
  const va = [...a.matchAll(VECTOR)];
  const vb = [...b.matchAll(VECTOR)];
  if (va.length === 0 || va.length !== vb.length) return false;
  if (a.replace(VECTOR, 'v128') !== b.replace(VECTOR, 'v128')) return false;
  const words = (m: RegExpMatchArray) => [1, 2, 3, 4].map((k) => parseInt(m[k], 16) | 0);
  return va.every((m, i) => sameVector(words(m), words(vb[i])));
}

/** Where two traces first differ (null when they agree). */
export function firstDifference(ours: Trace, oracle: Trace, oracleName = 'V8'): string | null {
  const n = Math.max(ours.length, oracle.length);
  for (let i = 0; i < n; i++) {
    if (ours[i] === undefined || oracle[i] === undefined || !sameLine(ours[i], oracle[i])) {
      return `line ${i + 1}: ours ${JSON.stringify(ours[i] ?? '(end)')}, ${oracleName} ${JSON.stringify(oracle[i] ?? '(end)')}`;
    }
  }
  return null;
}

export async function runBoth(bytes: Uint8Array): Promise<Outcome> {
  try {
    new WA.Module(bytes);
  } catch (e) {
    return { kind: 'invalid', reason: `V8 rejects the module: ${(e as Error).message}` };
  }
  const v8: Trace = [];
  // The V8 runner reads the module's types and exports with our decoder (not our validator).
  try {
    await runV8(bytes, decodeModule(bytes), v8);
  } catch (e) {
    // A fault of the harness (or of our decoder), reported with its seed like a divergence.
    v8.push(`harness error: ${(e as Error).message}`);
    return { kind: 'divergence', reason: `the V8 run failed outside the program: ${(e as Error).message}`, ours: [], oracle: v8 };
  }
  let module: Module;
  try {
    module = await loadModule(bytes);
  } catch (e) {
    return { kind: 'divergence', reason: `ours rejects the module V8 accepts: ${(e as Error).message}`, ours: [], oracle: v8 };
  }
  const ran = runOursEverywhere(module, runOurs);
  if ('failed' in ran) return { kind: 'divergence', reason: `ours failed outside the program${tierNote(ran.tier)}: ${ran.failed}`, ours: ran.trace, oracle: v8 };
  const ours = ran.traces[0];
  const diff = firstDifference(ours, v8);
  if (diff !== null) return { kind: 'divergence', reason: diff, ours, oracle: v8 };
  const tiers = tierDifference(ran.traces);
  if (tiers !== null) return { kind: 'divergence', reason: tiers.reason, ours: tiers.ours, oracle: ours, against: 'interpreter' };
  return { kind: 'same', trace: ours };
}

/**
 * Instructions binaryen emits beyond the features it is given, and our engine's error for each:
 * binaryen counts ref.as_non_null (typed function references) in reference types. A module our
 * engine rejects for one is unsupported until the engine runs the feature (the error then stops).
 */
const BEYOND_FEATURES: [RegExp, string][] = [
  [/illegal opcode \(0xd4 is not an instruction\)/, 'ref.as_non_null, of typed function references, which binaryen emits with reference types'],
];

/**
 * Compares our run of `bytes` with `output`, what binaryen's interpreter printed for it.
 * `unsupported`: the features the module was made with that our engine does not run yet; when
 * there are any, our engine rejecting the module counts as unsupported, not as a divergence.
 */
export async function compareWithBinaryen(bytes: Uint8Array, output: string, unsupported: string[]): Promise<Outcome> {
  let module: Module;
  try {
    module = await loadModule(bytes);
  } catch (e) {
    const reason = `ours rejects the module: ${(e as Error).message}`;
    if (unsupported.length) return { kind: 'unsupported', reason: `${reason} (made with ${unsupported.join(', ')})` };
    const beyond = BEYOND_FEATURES.find(([message]) => message.test(reason));
    if (beyond) return { kind: 'unsupported', reason: `${reason} (${beyond[1]})` };
    return { kind: 'divergence', reason, ours: [], oracle: [] };
  }
  let oracle: Trace;
  try {
    oracle = parseBinaryenOutput(output, module.exports);
  } catch (e) {
    return { kind: 'divergence', reason: `binaryen's output could not be read: ${(e as Error).message}`, ours: [], oracle: output.split('\n') };
  }
  const ran = runOursEverywhere(module, runOursBinaryen);
  if ('failed' in ran) return { kind: 'divergence', reason: `ours failed outside the program${tierNote(ran.tier)}: ${ran.failed}`, ours: ran.trace, oracle };
  const ours = ran.traces[0];
  // binaryen's own comparisons ignore a run from a host limit on (its interpreter stops at a call
  // depth of 200, where ours goes on): what came before it must still agree.
  const limit = oracle.findIndex((l) => l.startsWith('host limit'));
  const diff = firstDifference(limit < 0 ? ours : ours.slice(0, limit), limit < 0 ? oracle : oracle.slice(0, limit), 'binaryen');
  if (diff !== null) return { kind: 'divergence', reason: diff, ours, oracle };
  const tiers = tierDifference(ran.traces);
  if (tiers !== null) return { kind: 'divergence', reason: tiers.reason, ours: tiers.ours, oracle: ours, against: 'interpreter' };
  return { kind: 'same', trace: ours, ...(limit < 0 ? {} : { note: `compared up to binaryen's ${oracle[limit]} (line ${limit + 1})` }) };
}
