// The benchmark programs compute what the benchmark table says they compute: V8 (in the
// same worker the runner uses) returns every expected result, the sha256 program agrees
// with Node's own SHA-256, and every committed .wasm is what its .wat source assembles to.
// Nothing here measures time.

import * as assert from 'assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { BENCHMARKS, PROGRAMS_DIR, benchmarkNamed } from '../bench/benchmarks';
import { neverCalledLines } from '../bench/dapSession';
import { decodeModule, funcCode, opcodeName, validateModule } from '../src/engine';
import { assembleText } from '../src/text/wat';
import { Measurement } from '../bench/measure';
import { timeTravelTable } from '../bench/timeTravel';
import { callTable, jsonRows, simdTable } from '../bench/table';
import { runInWorker } from '../bench/workers';
import { scaleTable, type ScaleRow } from '../bench/scale';

describe('benchmark programs', function () {
  this.timeout(120_000);

  for (const b of BENCHMARKS) {
    it(`${b.name}: V8 returns ${b.expected} for ${b.entry}(${b.args.join(', ')})`, async () => {
      const m = await runInWorker({ engine: 'v8', benchmark: b.name, runs: 1, warmups: 0 }, 60_000);
      assert.strictEqual(m.status, 'ok', m.reason);
      assert.strictEqual(m.callMs.length, 1);
    });
  }

  it('sha256: the first digest word matches Node crypto for the same chained passes', () => {
    const b = benchmarkNamed('sha256');
    const [length, passes] = b.args;
    const message = Buffer.alloc(length);
    for (let i = 0; i < length; i++) message[i] = Math.imul(i, 0x9e3779b1) >>> 24;
    let digest = Buffer.alloc(32);
    for (let p = 0; p < passes; p++) {
      if (p > 0) digest.copy(message, 0, 0, 32);
      digest = crypto.createHash('sha256').update(message).digest();
    }
    assert.strictEqual(digest.readUInt32BE(0), b.expected);
  });

  it('blur-simd.wasm is the vectorised build (v128 loads, stores and lane arithmetic in blur) and blur.wasm has no SIMD', () => {
    const simdOps = (file: string) => {
      const bytes = fs.readFileSync(path.join(PROGRAMS_DIR, file));
      const module = decodeModule(new Uint8Array(bytes));
      const names = new Set<string>();
      module.codes.forEach((_, i) => {
        for (const instr of funcCode(module, i).body) if (instr.op >> 8 === 0xfd) names.add(opcodeName(instr.op));
      });
      return names;
    };
    const simd = simdOps('blur-simd.wasm');
    for (const op of ['v128.load', 'v128.store', 'i16x8.add', 'i8x16.add_sat_u', 'i8x16.narrow_i16x8_u']) assert.ok(simd.has(op), `blur-simd.wasm has no ${op}: ${[...simd].join(' ')}`);
    assert.deepStrictEqual([...simdOps('blur.wasm')], []);
  });

  it('every committed .wasm built from .wat is what its source assembles to', async () => {
    const wats = fs.readdirSync(PROGRAMS_DIR).filter((f) => f.endsWith('.wat'));
    assert.ok(wats.length >= 5, `expected the .wat programs in ${PROGRAMS_DIR}`);
    for (const file of wats) {
      const built = Buffer.from(assembleText(fs.readFileSync(path.join(PROGRAMS_DIR, file), 'utf8'), file).bytes);
      validateModule(decodeModule(built));
      const committed = fs.readFileSync(path.join(PROGRAMS_DIR, file.replace(/\.wat$/, '.wasm')));
      assert.ok(built.equals(committed), `bench/programs/${file.replace(/\.wat$/, '.wasm')} is stale: run node bench/build.js`);
    }
  });
});

describe('debug-attached breakpoints', () => {
  it('are the ten instruction lines of never_called, its locals and closing line left out', () => {
    const text = fs.readFileSync(path.join(PROGRAMS_DIR, 'fib.wat'), 'utf8');
    const lines = neverCalledLines(text);
    assert.deepStrictEqual(lines, [15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
    const all = text.split('\n');
    for (const l of lines) assert.match(all[l - 1], /^\s*\(local\.set \$y /);
  });

  it('every benchmark program has a function named never_called to set them in', () => {
    for (const b of BENCHMARKS) {
      const names = b.modules.flatMap((m) => {
        const module = decodeModule(new Uint8Array(fs.readFileSync(path.join(PROGRAMS_DIR, m.file))));
        return [...(module.names?.functions.values() ?? []), ...module.exports.filter((e) => e.kind === 'func').map((e) => e.name)];
      });
      assert.ok(names.includes('never_called'), `${b.name}: no never_called among ${names.join(', ')}`);
    }
  });
});

describe('benchmark table', () => {
  const ms: Measurement[] = [
    { benchmark: 'fib', engine: 'v8', status: 'ok', loadMs: [1], callMs: [4, 5, 6], callWallMs: [7, 8, 9] },
    { benchmark: 'fib', engine: 'ours', status: 'ok', loadMs: [2], callMs: [500], callWallMs: [510] },
    { benchmark: 'fib', engine: 'tier', status: 'ok', loadMs: [2], callMs: [40], callWallMs: [41] },
    { benchmark: 'fib', engine: 'debug', status: 'ok', loadMs: [2], callMs: [520], callWallMs: [530] },
    { benchmark: 'fib', engine: 'debugTier', status: 'ok', loadMs: [2], callMs: [60], callWallMs: [61] },
    { benchmark: 'fib', engine: 'recording', status: 'ok', loadMs: [2], callMs: [572], callWallMs: [580] },
    { benchmark: 'fib', engine: 'wabt', status: 'ok', loadMs: [3], callMs: [250], callWallMs: [260] },
    { benchmark: 'fib', engine: 'peer', status: 'skipped', reason: 'wrong answer', loadMs: [], callMs: [], callWallMs: [] },
  ];

  it('prints medians and the six ratios, and skipped engines as skipped', () => {
    const lines = callTable(ms).split('\n');
    assert.match(lines[0], /\| interpreted \/ V8 \| compiled tier \/ V8 \| interpreted \/ wabt \| debug \/ ours, interpreted \| debug \/ ours, compiled tier \| recording \/ debug \|$/);
    assert.strictEqual(lines[2], '| fib | 5.00 | 500 | 40.0 | 520 | 60.0 | 572 | 250 | skipped | 100 | 8.00 | 2.00 | 1.04 | 1.50 | 1.10 |');
    assert.strictEqual(lines[3], '| geometric mean |  |  |  |  |  |  |  |  | 100 | 8.00 | 2.00 | 1.04 | 1.50 | 1.10 |');
  });

  it('puts a SIMD build\'s ours / V8 beside its scalar build\'s, with each engine\'s SIMD speed-up', () => {
    const both: Measurement[] = [
      { benchmark: 'blur', engine: 'v8', status: 'ok', loadMs: [1], callMs: [10], callWallMs: [10] },
      { benchmark: 'blur', engine: 'ours', status: 'ok', loadMs: [1], callMs: [1000], callWallMs: [1000] },
      { benchmark: 'blur-simd', engine: 'v8', status: 'ok', loadMs: [1], callMs: [4], callWallMs: [4] },
      { benchmark: 'blur-simd', engine: 'ours', status: 'ok', loadMs: [1], callMs: [500], callWallMs: [500] },
    ];
    assert.deepStrictEqual(simdTable(both).split('\n').slice(2), ['| blur-simd | blur | 125 | 100 | 2.50 | 2.00 |']);
    assert.strictEqual(simdTable(ms), '');
  });

  it('writes JSON rows with benchmark, engine, median_ms and runs', () => {
    const rows = jsonRows(ms);
    assert.deepStrictEqual(rows[0], { benchmark: 'fib', engine: 'v8', median_ms: 5, runs: 3, median_wall_ms: 8, load_median_ms: 1 });
    assert.deepStrictEqual(rows[7], { benchmark: 'fib', engine: 'peer', median_ms: null, runs: 0, median_wall_ms: null, load_median_ms: null, skipped: 'wrong answer' });
  });
});

describe('going backwards table', () => {
  it('shows each program\'s Step Back and Reverse Continue times and the recording, or why it was skipped', () => {
    const table = timeTravelTable([
      { benchmark: 'sieve', reverseToStartMs: 0.4, reverseSearchMs: 2303.2, stepBackMs: 79.4, checkpoints: 25, recordingBytes: 20_761_804 },
      { benchmark: 'pingpong', skipped: 'its entry run is a function it imports', reverseToStartMs: 0, reverseSearchMs: 0, stepBackMs: 0, checkpoints: 0, recordingBytes: 0 },
    ]).split('\n');
    assert.strictEqual(lines(table)[0], '| sieve | 79 | 0 | 2303 | 25 | 19.8 |');
    assert.strictEqual(lines(table)[1], '| pingpong | skipped: its entry run is a function it imports | | | | |');
  });
  const lines = (t: string[]) => t.slice(2);
});

describe('scale benchmark table', () => {
  it('shows each module\'s figures, a dash for what was not measured, and why', () => {
    const full: ScaleRow = {
      module: 'ruby', package: '@ruby/3.3-wasm-wasi@2.10.1', bytes: 36018798, functions: 17490,
      v8_compile_ms: 198.2, v8_compile_wall_ms: 200, load_ms: 5623, load_wall_ms: 6000, load_rss_bytes: 1231253504, rss_before_launch_bytes: 59768832,
      first_stop_ms: 36841, first_stop_wall_ms: 40000, first_stop_rss_bytes: 155189248,
      first_stop_no_record_ms: 913.4, first_stop_no_record_wall_ms: 700, first_stop_no_record_rss_bytes: 150994944, source_ms: 14970.6, source_wall_ms: 15000, source_bytes: 285357959,
      breakpoint_continue_ms: 3176.1, breakpoint_continue_wall_ms: 3200, rss_bytes: 4165083136, peak_rss_bytes: 7447916544, notes: [],
    };
    const cut: ScaleRow = {
      ...full, module: 'dprint-typescript', package: '@dprint/typescript@0.96.1', bytes: 4174185, source_ms: null, source_bytes: null, breakpoint_continue_ms: null,
      rss_bytes: null, peak_rss_bytes: null, first_stop_no_record_ms: null, first_stop_no_record_rss_bytes: null, notes: ['debug: gave up after 15 minutes waiting for source'],
    };
    const lines = scaleTable([full, cut]).split('\n');
    assert.strictEqual(lines[2], '| ruby | 34.4 MiB | 17,490 | 198 | 5623 | 1174.2 MiB | 57.0 MiB | 36841 | 148.0 MiB | 14971 | 272.1 MiB | 3176 | 3972.1 MiB | 7102.9 MiB | 913 | 144.0 MiB |');
    assert.strictEqual(lines[3], '| dprint-typescript | 4.0 MiB | 17,490 | 198 | 5623 | 1174.2 MiB | 57.0 MiB | 36841 | 148.0 MiB | – | – | – | – | – | – | – |');
    assert.ok(lines.includes('  - debug: gave up after 15 minutes waiting for source'));
    assert.ok(lines.some((l) => l.startsWith('- ruby: @ruby/3.3-wasm-wasi@2.10.1, CRuby 3.3')));
  });
});
