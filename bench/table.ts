// The markdown tables `npm run bench` prints, and the JSON rows of --json.

import { BENCHMARKS } from './benchmarks';
import { ENGINE_LABELS, EngineId, Measurement, geomean, median } from './measure';

const ENGINES: EngineId[] = ['v8', 'ours', 'tier', 'debug', 'debugTier', 'recording', 'wabt', 'peer'];

function find(ms: Measurement[], benchmark: string, engine: EngineId): Measurement | undefined {
  return ms.find((m) => m.benchmark === benchmark && m.engine === engine && m.status === 'ok');
}

function fmtMs(x: number): string {
  if (!Number.isFinite(x)) return '–';
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function fmtRatio(x: number): string {
  if (!Number.isFinite(x)) return '–';
  return x >= 10 ? x.toFixed(0) : x.toFixed(2);
}

function ratio(ms: Measurement[], benchmark: string, a: EngineId, b: EngineId): number {
  const ma = find(ms, benchmark, a);
  const mb = find(ms, benchmark, b);
  return ma && mb ? median(ma.callMs) / median(mb.callMs) : NaN;
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** A ratio a table shows: median of `a` over median of `b`; `fine` ones (near 1) with two decimals. */
type Ratio = { a: EngineId; b: EngineId; label: string; fine: boolean };

/** Median times of `engines` per benchmark, then `ratios`, with their geometric means. */
function ratioTable(ms: Measurement[], engines: EngineId[], ratios: Ratio[]): string {
  const names = BENCHMARKS.map((b) => b.name).filter((n) => ms.some((m) => m.benchmark === n && engines.includes(m.engine)));
  const header = ['benchmark', ...engines.map((e) => `${ENGINE_LABELS[e]} ms`), ...ratios.map((r) => r.label)];
  const lines = [row(header), row(header.map((_, i) => (i === 0 ? '---' : '---:')))];
  const found: number[][] = ratios.map(() => []);
  for (const n of names) {
    const cells = [n];
    for (const e of engines) {
      const m = find(ms, n, e);
      cells.push(m ? fmtMs(median(m.callMs)) : 'skipped');
    }
    ratios.forEach((r, i) => {
      const x = ratio(ms, n, r.a, r.b);
      if (Number.isFinite(x)) found[i].push(x);
      cells.push(!Number.isFinite(x) ? '–' : r.fine ? x.toFixed(2) : fmtRatio(x));
    });
    lines.push(row(cells));
  }
  const gm = (xs: number[], fine: boolean): string => (xs.length ? (fine ? geomean(xs).toFixed(2) : fmtRatio(geomean(xs))) : '–');
  lines.push(row(['geometric mean', ...engines.map(() => ''), ...found.map((xs, i) => gm(xs, ratios[i].fine))]));
  return lines.join('\n');
}

/** Call times (median ms) per engine and the ratios the project tracks. */
export function callTable(ms: Measurement[]): string {
  return ratioTable(ms, ENGINES, [
    { a: 'ours', b: 'v8', label: 'interpreted / V8', fine: false },
    { a: 'tier', b: 'v8', label: 'compiled tier / V8', fine: false },
    { a: 'ours', b: 'wabt', label: 'interpreted / wabt', fine: false },
    { a: 'debug', b: 'ours', label: 'debug / ours, interpreted', fine: true },
    { a: 'debugTier', b: 'tier', label: 'debug / ours, compiled tier', fine: true },
    { a: 'recording', b: 'debug', label: 'recording / debug', fine: true },
  ]);
}

/** The cold row: load plus one call in a fresh thread (median CPU ms), against V8 run the same way. */
export function coldTable(ms: Measurement[]): string {
  return ratioTable(ms, ['v8Cold', 'oursCold', 'tierCold'], [
    { a: 'oursCold', b: 'v8Cold', label: 'interpreted / V8, cold', fine: false },
    { a: 'tierCold', b: 'v8Cold', label: 'compiled tier / V8, cold', fine: false },
  ]);
}

/**
 * Each SIMD build beside its scalar build: ours / V8 of both, and what SIMD gains each engine
 * (scalar time / SIMD time; above 1 means the SIMD build runs faster).
 */
export function simdTable(ms: Measurement[]): string {
  const header = ['SIMD build', 'scalar build', 'ours / V8 (SIMD)', 'ours / V8 (scalar)', 'V8 scalar / SIMD', 'ours scalar / SIMD'];
  const lines = [row(header), row(header.map((_, i) => (i < 2 ? '---' : '---:')))];
  for (const b of BENCHMARKS) {
    if (!b.scalarOf || !ms.some((m) => m.benchmark === b.name)) continue;
    const speedup = (engine: EngineId) => {
      const simd = find(ms, b.name, engine);
      const scalar = find(ms, b.scalarOf!, engine);
      return simd && scalar ? median(scalar.callMs) / median(simd.callMs) : NaN;
    };
    lines.push(row([b.name, b.scalarOf, fmtRatio(ratio(ms, b.name, 'ours', 'v8')), fmtRatio(ratio(ms, b.scalarOf, 'ours', 'v8')), fmtRatio(speedup('v8')), fmtRatio(speedup('ours'))]));
  }
  return lines.length > 2 ? lines.join('\n') : '';
}

/** Load times (decode, validate/compile, instantiate), median ms. */
export function loadTable(ms: Measurement[]): string {
  const names = BENCHMARKS.map((b) => b.name).filter((n) => ms.some((m) => m.benchmark === n));
  const header = ['benchmark', ...ENGINES.map((e) => `${ENGINE_LABELS[e]} load ms`)];
  const lines = [row(header), row(header.map((_, i) => (i === 0 ? '---' : '---:')))];
  for (const n of names) {
    lines.push(row([n, ...ENGINES.map((e) => {
      const m = find(ms, n, e);
      return m && m.loadMs.length ? fmtMs(median(m.loadMs)) : '–';
    })]));
  }
  return lines.join('\n');
}

/** Why each skipped row was skipped. */
export function skipNotes(ms: Measurement[]): string[] {
  return ms.filter((m) => m.status === 'skipped').map((m) => `- ${m.benchmark} on ${ENGINE_LABELS[m.engine]}: skipped, ${m.reason}`);
}

export interface JsonRow {
  benchmark: string;
  engine: string;
  /** Median CPU time of a call. */
  median_ms: number | null;
  runs: number;
  median_wall_ms: number | null;
  load_median_ms: number | null;
  skipped?: string;
}

export function jsonRows(ms: Measurement[]): JsonRow[] {
  return ms.map((m) => {
    const r: JsonRow = {
      benchmark: m.benchmark,
      engine: m.engine,
      median_ms: m.status === 'ok' ? median(m.callMs) : null,
      runs: m.callMs.length,
      median_wall_ms: m.status === 'ok' ? median(m.callWallMs) : null,
      load_median_ms: m.loadMs.length ? median(m.loadMs) : null,
    };
    if (m.status === 'skipped') r.skipped = m.reason;
    return r;
  });
}
