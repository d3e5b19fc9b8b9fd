// What one engine measured on one benchmark, and the helpers every engine driver shares.

import { Benchmark } from './benchmarks';

export type EngineId = 'v8' | 'ours' | 'tier' | 'debug' | 'debugTier' | 'recording' | 'wabt' | 'peer' | 'v8Cold' | 'oursCold' | 'tierCold';

export const ENGINE_LABELS: Record<EngineId, string> = {
  v8: 'V8',
  ours: 'ours (interpreted)',
  tier: 'ours (compiled tier)',
  debug: 'ours + debugger (interpreted)',
  debugTier: 'ours + debugger (compiled tier)',
  recording: 'ours + debugger, recording (interpreted)',
  wabt: 'wabt',
  peer: 'webassemblyjs',
  v8Cold: 'V8, cold',
  oursCold: 'ours (interpreted), cold',
  tierCold: 'ours (compiled tier), cold',
};

export interface Measurement {
  benchmark: string;
  engine: EngineId;
  /** 'skipped': the engine is absent or cannot run this program (reason says why). */
  status: 'ok' | 'skipped';
  reason?: string;
  /** Milliseconds to decode, validate/compile and instantiate the program's modules. */
  loadMs: number[];
  /** CPU milliseconds of each measured call of the entry export (see `clock`). */
  callMs: number[];
  /** Wall-clock milliseconds of the same calls. */
  callWallMs: number[];
}

/** A measurement with no times yet. */
export function emptyMeasurement(benchmark: string, engine: EngineId): Measurement {
  return { benchmark, engine, status: 'ok', loadMs: [], callMs: [], callWallMs: [] };
}

/** Adds the times of `from` to those of `into`. */
export function addTimes(into: Measurement, from: Measurement): void {
  into.loadMs.push(...from.loadMs);
  into.callMs.push(...from.callMs);
  into.callWallMs.push(...from.callWallMs);
}

export function skipped(benchmark: string, engine: EngineId, reason: string): Measurement {
  return { ...emptyMeasurement(benchmark, engine), status: 'skipped', reason: reason.replace(/\s*\n\s*/g, ' ') };
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function geomean(xs: number[]): number {
  if (xs.length === 0) return NaN;
  return Math.exp(xs.reduce((acc, x) => acc + Math.log(x), 0) / xs.length);
}

export function now(): number {
  return performance.now();
}

/**
 * Both clocks. Benchmarks compare CPU time (user + system of this process): the machines
 * this runs on are shared, and wall time there also counts the time other programs had
 * the processor. Calls are synchronous, so this process's CPU time is the call's work
 * (plus V8's own helper threads: its compiler and garbage collector, which are part of it).
 */
export interface Clock {
  wall: number;
  cpu: number;
}

export function clock(): Clock {
  const u = process.cpuUsage();
  return { wall: performance.now(), cpu: (u.user + u.system) / 1000 };
}

export function since(start: Clock): Clock {
  const end = clock();
  return { wall: end.wall - start.wall, cpu: end.cpu - start.cpu };
}

/** A result that differs from the expected one fails the whole run: speed means nothing without it. */
export class WrongResult extends Error {
  constructor(benchmark: Benchmark, engine: string, args: number[], got: unknown, expected: number) {
    super(`${benchmark.name}: ${engine} returned ${String(got)} for ${benchmark.entry}(${args.join(', ')}), expected ${expected}`);
    this.name = 'WrongResult';
  }
}

/** Reads an i32 result (signed from wasm, or already unsigned) as unsigned. */
export function asU32(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isInteger(x) ? x >>> 0 : undefined;
}
