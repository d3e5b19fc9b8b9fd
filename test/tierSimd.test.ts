// The compiled tier on v128 code (src/engine/tier/simd.ts) against the interpreter: every SIMD
// instruction gives the interpreter's bits on operands full of edge cases (NaNs with payloads,
// signalling NaNs, -0, infinities, lane extremes), out-of-bounds accesses trap alike, and a stop in
// a compiled loop with v128 locals and operands shows what the interpreter shows.

import * as assert from 'assert';
import { assemble } from './engineHelpers';
import { Execution, Instance, Module, Store, TierMode, Value, formatValue, instantiate, momentOf, tierOf } from '../src/engine/index';

const SHAPES = ['i8x16', 'i16x8', 'i32x4', 'i64x2'];
const CMP = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'];
const FCMP = ['eq', 'ne', 'lt', 'gt', 'le', 'ge'];

/** v128 x v128 -> v128 instructions. */
const BINARY = [
  'v128.and', 'v128.andnot', 'v128.or', 'v128.xor', 'i8x16.swizzle',
  ...CMP.map((c) => `i8x16.${c}`), ...CMP.map((c) => `i16x8.${c}`), ...CMP.map((c) => `i32x4.${c}`),
  ...['eq', 'ne', 'lt_s', 'gt_s', 'le_s', 'ge_s'].map((c) => `i64x2.${c}`),
  'i8x16.narrow_i16x8_s', 'i8x16.narrow_i16x8_u', 'i16x8.narrow_i32x4_s', 'i16x8.narrow_i32x4_u',
  ...['add', 'add_sat_s', 'add_sat_u', 'sub', 'sub_sat_s', 'sub_sat_u', 'min_s', 'min_u', 'max_s', 'max_u', 'avgr_u'].map((o) => `i8x16.${o}`),
  ...['add', 'add_sat_s', 'add_sat_u', 'sub', 'sub_sat_s', 'sub_sat_u', 'mul', 'min_s', 'min_u', 'max_s', 'max_u', 'avgr_u', 'q15mulr_sat_s',
    'extmul_low_i8x16_s', 'extmul_high_i8x16_s', 'extmul_low_i8x16_u', 'extmul_high_i8x16_u'].map((o) => `i16x8.${o}`),
  ...['add', 'sub', 'mul', 'min_s', 'min_u', 'max_s', 'max_u', 'dot_i16x8_s',
    'extmul_low_i16x8_s', 'extmul_high_i16x8_s', 'extmul_low_i16x8_u', 'extmul_high_i16x8_u'].map((o) => `i32x4.${o}`),
  ...['add', 'sub', 'mul', 'extmul_low_i32x4_s', 'extmul_high_i32x4_s', 'extmul_low_i32x4_u', 'extmul_high_i32x4_u'].map((o) => `i64x2.${o}`),
  ...[...FCMP, 'add', 'sub', 'mul', 'div', 'min', 'max', 'pmin', 'pmax'].map((o) => `f32x4.${o}`),
  ...[...FCMP, 'add', 'sub', 'mul', 'div', 'min', 'max', 'pmin', 'pmax'].map((o) => `f64x2.${o}`),
  'i8x16.relaxed_swizzle', 'f32x4.relaxed_min', 'f32x4.relaxed_max', 'f64x2.relaxed_min', 'f64x2.relaxed_max',
  'i16x8.relaxed_q15mulr_s', 'i16x8.relaxed_dot_i8x16_i7x16_s',
];

/** v128 x v128 x v128 -> v128 instructions. */
const TERNARY = [
  'v128.bitselect', 'f32x4.relaxed_madd', 'f32x4.relaxed_nmadd', 'f64x2.relaxed_madd', 'f64x2.relaxed_nmadd',
  ...SHAPES.map((s) => `${s}.relaxed_laneselect`), 'i32x4.relaxed_dot_i8x16_i7x16_add_s',
];

/** v128 -> v128 instructions. */
const UNARY = [
  'v128.not', 'i8x16.abs', 'i8x16.neg', 'i8x16.popcnt',
  'i16x8.abs', 'i16x8.neg', 'i16x8.extend_low_i8x16_s', 'i16x8.extend_high_i8x16_s', 'i16x8.extend_low_i8x16_u', 'i16x8.extend_high_i8x16_u',
  'i16x8.extadd_pairwise_i8x16_s', 'i16x8.extadd_pairwise_i8x16_u',
  'i32x4.abs', 'i32x4.neg', 'i32x4.extend_low_i16x8_s', 'i32x4.extend_high_i16x8_s', 'i32x4.extend_low_i16x8_u', 'i32x4.extend_high_i16x8_u',
  'i32x4.extadd_pairwise_i16x8_s', 'i32x4.extadd_pairwise_i16x8_u',
  'i32x4.trunc_sat_f32x4_s', 'i32x4.trunc_sat_f32x4_u', 'i32x4.trunc_sat_f64x2_s_zero', 'i32x4.trunc_sat_f64x2_u_zero',
  'i64x2.abs', 'i64x2.neg', 'i64x2.extend_low_i32x4_s', 'i64x2.extend_high_i32x4_s', 'i64x2.extend_low_i32x4_u', 'i64x2.extend_high_i32x4_u',
  'f32x4.abs', 'f32x4.neg', 'f32x4.sqrt', 'f32x4.ceil', 'f32x4.floor', 'f32x4.trunc', 'f32x4.nearest',
  'f32x4.convert_i32x4_s', 'f32x4.convert_i32x4_u', 'f32x4.demote_f64x2_zero',
  'f64x2.abs', 'f64x2.neg', 'f64x2.sqrt', 'f64x2.ceil', 'f64x2.floor', 'f64x2.trunc', 'f64x2.nearest',
  'f64x2.convert_low_i32x4_s', 'f64x2.convert_low_i32x4_u', 'f64x2.promote_low_f32x4',
  'i32x4.relaxed_trunc_f32x4_s', 'i32x4.relaxed_trunc_f32x4_u', 'i32x4.relaxed_trunc_f64x2_s_zero', 'i32x4.relaxed_trunc_f64x2_u_zero',
];

/** Function bodies (memory: operands A at 0, B at 16, C at 32, a scalar at 64; results from 128). */
function bodies(): Map<string, string> {
  const m = new Map<string, string>();
  const A = '(v128.load (i32.const 0))';
  const B = '(v128.load (i32.const 16))';
  const C = '(v128.load (i32.const 32))';
  const out = (e: string) => `(v128.store (i32.const 128) ${e})`;
  for (const op of BINARY) m.set(op, out(`(${op} ${A} ${B})`));
  for (const op of UNARY) m.set(op, out(`(${op} ${A})`));
  for (const op of TERNARY) m.set(op, out(`(${op} ${A} ${B} ${C})`));
  for (const s of SHAPES) {
    for (const op of ['shl', 'shr_s', 'shr_u']) m.set(`${s}.${op}`, out(`(${s}.${op} ${A} (i32.load (i32.const 64)))`));
    m.set(`${s}.all_true`, `(i32.store (i32.const 128) (${s}.all_true ${A}))`);
    m.set(`${s}.bitmask`, `(i32.store (i32.const 128) (${s}.bitmask ${A}))`);
  }
  m.set('v128.any_true', `(i32.store (i32.const 128) (v128.any_true ${A}))`);
  const scalar: Record<string, string> = { i8x16: 'i32', i16x8: 'i32', i32x4: 'i32', i64x2: 'i64', f32x4: 'f32', f64x2: 'f64' };
  for (const [shape, t] of Object.entries(scalar)) {
    const x = `(${t}.load (i32.const 64))`;
    m.set(`${shape}.splat`, out(`(${shape}.splat ${x})`));
    const last = Number(shape.split('x')[1]) - 1;
    for (const l of [0, last, 1]) {
      const suffixes = t === 'i32' && shape !== 'i32x4' ? ['_s', '_u'] : [''];
      for (const sfx of suffixes) m.set(`${shape}.extract_lane${sfx} ${l}`, `(${t}.store (i32.const 128) (${shape}.extract_lane${sfx} ${l} ${A}))`);
      m.set(`${shape}.replace_lane ${l}`, out(`(${shape}.replace_lane ${l} ${A} ${x})`));
    }
  }
  for (const load of ['v128.load', 'v128.load8x8_s', 'v128.load8x8_u', 'v128.load16x4_s', 'v128.load16x4_u', 'v128.load32x2_s', 'v128.load32x2_u',
    'v128.load8_splat', 'v128.load16_splat', 'v128.load32_splat', 'v128.load64_splat', 'v128.load32_zero', 'v128.load64_zero']) {
    m.set(load, out(`(${load} offset=3 (i32.load (i32.const 64)))`));
  }
  for (const [w, lanes] of [[8, 16], [16, 8], [32, 4], [64, 2]]) {
    for (const l of [0, lanes - 1, 1]) {
      m.set(`v128.load${w}_lane ${l}`, out(`(v128.load${w}_lane offset=1 ${l} (i32.load (i32.const 64)) ${B})`));
      m.set(`v128.store${w}_lane ${l}`, `(v128.store${w}_lane offset=2 ${l} (i32.const 130) ${A})`);
    }
  }
  m.set('v128.store', `(v128.store offset=3 (i32.const 129) ${A})`);
  // Shuffles: in order (whole and shifted words), interleaved, repeated lanes.
  const shuffles = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
    [0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23],
    [31, 0, 30, 1, 5, 5, 5, 5, 16, 17, 18, 19, 12, 13, 14, 15],
    [3, 2, 1, 0, 7, 6, 5, 4, 27, 26, 25, 24, 20, 21, 22, 23],
  ];
  for (const s of shuffles) m.set(`i8x16.shuffle ${s.join(' ')}`, out(`(i8x16.shuffle ${s.join(' ')} ${A} ${B})`));
  return m;
}

/** Operand words: random ones, and lanes of edge cases. */
function operands(seed: number): Uint32Array {
  let x = seed;
  const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
  const special = [0x7fc00000, 0x7fa00001, 0xffc00123, 0x7f800001, 0x80000000, 0x7f800000, 0xff800000, 0x3f800000, 0x4f000000,
    0x7fffffff, 0xffffffff, 0x00000000, 0x80808080, 0x7f7f7f7f, 0x00ff00ff, 0x80007fff, 0x3f000000, 0xbf000001, 0x7ff80000, 0xfff00001];
  const words = new Uint32Array(20);
  for (let i = 0; i < words.length; i++) {
    const r = next();
    words[i] = r % 3 === 0 ? special[(r >>> 8) % special.length] : next() ^ (next() << 7);
  }
  return words;
}

/** A stop as the user sees it: the moment, each frame's function, position, locals and operands. */
function view(store: Store, ex: Execution): unknown {
  const frames = [];
  for (let h = ex.base; h < store.callStack.height; h++) {
    const f = ex.frame(h);
    frames.push({ func: f.func.name, offset: f.offset, locals: f.locals().map(formatValue), operands: f.operands().map(formatValue) });
  }
  return { moment: momentOf(ex), ticks: store.ticks, status: ex.status, frames };
}

const LOOP = `(module
  (memory 1)
  (func $mix (param $a v128) (param $b v128) (result v128)
    (i32x4.add (i8x16.add_sat_u (local.get $a) (local.get $b)) (f32x4.mul (local.get $a) (v128.const f32x4 1.5 -0 nan:0x200001 3))))
  (func $dot (param $a v128) (param $b v128) (result i32)
    (local $t v128)
    (local.set $t (i32x4.dot_i16x8_s (local.get $a) (local.get $b)))
    (i32.add (i32x4.extract_lane 0 (local.get $t)) (i32x4.extract_lane 2 (local.get $t))))
  (func (export "loop") (param $n i32) (result i32)
    (local $i i32) (local $acc v128) (local $x v128)
    (local.set $acc (v128.const i32x4 0x7fa00001 0xffc00123 -1 1))
    (loop $l
      (local.set $x (v128.load offset=16 (i32.and (i32.shl (local.get $i) (i32.const 4)) (i32.const 0xff0))))
      (local.set $acc
        (select (result v128)
          (call $mix (local.get $acc) (local.get $x))
          (i16x8.sub (local.get $acc) (i8x16.shuffle 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 (local.get $x) (local.get $acc)))
          (i32.and (local.get $i) (i32.const 1))))
      (local.set $acc (i32x4.replace_lane 2 (local.get $acc) (call $dot (local.get $x) (local.get $acc))))
      (v128.store (i32.const 8192) (f32x4.add (local.get $acc) (local.get $x)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (i32.xor (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc))))
  (global $g (export "g") (mut v128) (v128.const i32x4 1 2 3 0x7fc00001))
  (func (export "branches") (param $n i32) (result i32)
    (local $i i32) (local $v v128)
    (loop $l
      (local.set $v
        (i32x4.add (local.get $v)
          (block $b (result v128)
            (drop (br_if $b (global.get $g) (i32.and (local.get $i) (i32.const 1))))
            (i8x16.add (global.get $g)
              (block $c (result v128)
                (br_table $b $c (i32x4.splat (local.get $i)) (i32.and (local.get $i) (i32.const 2))))))))
      (global.set $g (i16x8.mul (global.get $g) (v128.or (local.get $v) (v128.const i16x8 1 1 1 1 1 1 1 1))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (i32.xor (i32x4.extract_lane 1 (local.get $v)) (i32x4.extract_lane 2 (global.get $g))))
  (func $deep (export "deep") (param $n i32) (param $v v128) (result i32)
    (local $w v128) (local $x v128) (local $y v128)
    (local.set $w (i32x4.add (local.get $v) (i32x4.splat (local.get $n))))
    (local.set $x (i8x16.shuffle 4 5 6 7 8 9 10 11 12 13 14 15 0 1 2 3 (local.get $w) (local.get $w)))
    (local.set $y (v128.xor (local.get $x) (local.get $w)))
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32x4.extract_lane 3 (local.get $y)))
      (else (i32.add (i32x4.extract_lane 0 (local.get $y)) (call $deep (i32.sub (local.get $n) (i32.const 1)) (local.get $y))))))
  (func (export "oob") (param $p i32) (result i32)
    (i32x4.extract_lane 1 (v128.load offset=8 (local.get $p)))))`;

function instance(store: Store, module: Module): Instance {
  return instantiate(store, module, () => undefined, 'simd');
}

describe('compiled tier: SIMD', function () {
  this.timeout(120_000);
  let each: Module;
  let loop: Module;
  const table = bodies();

  before(async () => {
    const funcs = [...table.values()].map((body, i) => `(func (export "f${i}") ${body})`).join('\n');
    each = await assemble(`(module (memory 1) ${funcs})`);
    loop = await assemble(LOOP);
  });

  it('gives the interpreter\'s bits for every SIMD instruction, NaN lanes included', () => {
    const names = [...table.keys()];
    const run = (tier: TierMode) => {
      const store = new Store({ tier });
      return { store, inst: instance(store, each) };
    };
    const a = run('off');
    const b = run('always');
    const mismatches: string[] = [];
    for (let seed = 1; seed <= 24; seed++) {
      const words = operands(seed);
      for (let i = 0; i < names.length; i++) {
        for (const p of [a, b]) {
          const u8 = p.inst.memories[0].u8;
          u8.fill(0, 0, 256);
          new Uint32Array(u8.buffer, u8.byteOffset, 20).set(words);
          // The scalar at 64 is also the address of loads: keep it near the start.
          if (names[i].startsWith('v128.load')) new DataView(u8.buffer, u8.byteOffset).setUint32(64, words[16] & 0x3f, true);
          p.store.invoke(p.inst.exportedFunc(`f${i}`), []);
        }
        const ra = a.inst.memories[0].u8.slice(0, 256);
        const rb = b.inst.memories[0].u8.slice(0, 256);
        if (!Buffer.from(ra).equals(Buffer.from(rb))) mismatches.push(`${names[i]} (seed ${seed}): ${Buffer.from(rb.slice(128, 160)).toString('hex')} instead of ${Buffer.from(ra.slice(128, 160)).toString('hex')}`);
      }
    }
    assert.deepStrictEqual(mismatches, []);
    const notCompiled = names.filter((_, i) => tierOf(b.inst.exportedFunc(`f${i}`)).fn === null);
    assert.deepStrictEqual(notCompiled, []);
    assert.ok(b.store.tier!.entered >= names.length);
  });

  it('traps on an out-of-bounds v128 load where the interpreter does', () => {
    const a = new Store({ tier: 'off' });
    const b = new Store({ tier: 'always' });
    const fa = instance(a, loop).exportedFunc('oob');
    const fb = instance(b, loop).exportedFunc('oob');
    const args: Value[] = [{ type: 'i32', value: 65536 - 24 }];
    assert.deepStrictEqual(b.invoke(fb, args), a.invoke(fa, args));
    const bad: Value[] = [{ type: 'i32', value: 65536 - 23 }];
    assert.throws(() => a.invoke(fa, bad), /out of bounds memory access/);
    assert.throws(() => b.invoke(fb, bad), /out of bounds memory access/);
    assert.notStrictEqual(tierOf(fb).fn, null);
  });

  /** Runs `name` in slices on the interpreter and the tier side by side, comparing every stop; returns the two stores and instances. */
  function lockstep(name: string, seed: number): [Store, Store, Instance, Instance] {
    const a = new Store({ tier: 'off' });
    const b = new Store({ tier: 'always' });
    const ia = instance(a, loop);
    const ib = instance(b, loop);
    for (const inst of [ia, ib]) {
      const u8 = inst.memories[0].u8;
      for (let i = 0; i < 4096; i++) u8[i] = (i * 131 + (i >> 3)) & 0xff;
    }
    const n: Value[] = [{ type: 'i32', value: 500 }];
    const ea = a.begin(ia.exportedFunc(name), n);
    const eb = b.begin(ib.exportedFunc(name), n);
    let x = seed;
    let v128Locals = 0;
    for (let i = 0; ; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const budget = i < 60 ? 1 + (x % 40) : Infinity;
      const ra = ea.run(budget);
      const rb = eb.run(budget);
      assert.deepStrictEqual(rb, ra, `run ${i}`);
      const at = view(b, eb) as { frames: { locals: string[] }[] };
      assert.deepStrictEqual(at, view(a, ea), `stop ${i}`);
      if (ra.status !== 'paused') break;
      v128Locals += at.frames.flatMap((f) => f.locals).filter((l) => l.startsWith('i32x4')).length;
    }
    assert.ok(v128Locals > 0, 'stops showed v128 locals');
    assert.ok(b.tier!.entered > 0, 'compiled code ran');
    assert.notStrictEqual(tierOf(ib.exportedFunc(name)).fn, null);
    assert.deepStrictEqual(b.invoke(ib.exportedFunc(name), n), a.invoke(ia.exportedFunc(name), n));
    return [a, b, ia, ib];
  }

  it('runs a recursion with v128 locals and arguments a million calls deep', () => {
    const args: Value[] = [{ type: 'i32', value: 1_000_000 }, { type: 'v128', bytes: new Uint8Array(new Int32Array([1, 2, 3, -4]).buffer) }];
    const a = new Store({ tier: 'off', maxCallDepth: 1_100_000 });
    const b = new Store({ tier: 'always', maxCallDepth: 1_100_000 });
    const fa = instance(a, loop).exportedFunc('deep');
    const fb = instance(b, loop).exportedFunc('deep');
    assert.deepStrictEqual(b.invoke(fb, args), a.invoke(fa, args));
    assert.strictEqual(b.ticks, a.ticks);
    assert.notStrictEqual(tierOf(fb).fn, null);
  });

  it('stops in a compiled loop with v128 locals and operands shown as the interpreter shows them', () => {
    const [, , ia, ib] = lockstep('loop', 99);
    assert.deepStrictEqual(ib.memories[0].u8.slice(8192, 8208), ia.memories[0].u8.slice(8192, 8208));
  });

  it('moves v128 values through branches, br_table and a global as the interpreter does', () => {
    const [, , ia, ib] = lockstep('branches', 7);
    const g = (inst: Instance): string => {
      const e = inst.exports.get('g');
      return e?.kind === 'global' ? formatValue(e.global.get()) : 'no global g';
    };
    assert.deepStrictEqual(g(ib), g(ia));
    assert.match(g(ib), /^i32x4 /);
  });
});
