// SIMD in the engine: lane arithmetic at its edges (saturation, NaN lanes, shift counts, out-of-range
// truncation, narrowing, 64-bit lanes), the deterministic choices of relaxed SIMD, v128 values in
// locals, globals, branches, calls and host calls, and the bounds traps of every kind of access.

import * as assert from 'assert';
import { Instance, Store, Trap, Value, createGlobal, hostFunction, instantiate, invoke } from '../src/engine/index';
import { assemble } from './engineHelpers';

type Shape = 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32' | 'f32' | 'f64' | 'i64';

/** A v128 value from lanes of one shape (integers, or raw bits for f32/f64 given as u32/i64 lanes). */
function v128(shape: Shape, lanes: (number | bigint)[]): Value {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  lanes.forEach((x, i) => {
    switch (shape) {
      case 'i8': case 'u8': view.setUint8(i, Number(x) & 0xff); break;
      case 'i16': case 'u16': view.setUint16(2 * i, Number(x) & 0xffff, true); break;
      case 'i32': case 'u32': view.setUint32(4 * i, Number(x) >>> 0, true); break;
      case 'f32': view.setFloat32(4 * i, Number(x), true); break;
      case 'f64': view.setFloat64(8 * i, Number(x), true); break;
      case 'i64': view.setBigUint64(8 * i, BigInt.asUintN(64, BigInt(x)), true); break;
    }
  });
  return { type: 'v128', bytes };
}

/** The lanes of a v128 result in one shape (f32/f64 as numbers; use u32/i64 for raw bits). */
function lanes(v: Value, shape: Shape): (number | bigint)[] {
  assert.strictEqual(v.type, 'v128');
  const bytes = (v as { bytes: Uint8Array }).bytes;
  assert.strictEqual(bytes.length, 16);
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  const out: (number | bigint)[] = [];
  const n = { i8: 16, u8: 16, i16: 8, u16: 8, i32: 4, u32: 4, f32: 4, f64: 2, i64: 2 }[shape];
  for (let i = 0; i < n; i++) {
    switch (shape) {
      case 'i8': out.push(view.getInt8(i)); break;
      case 'u8': out.push(view.getUint8(i)); break;
      case 'i16': out.push(view.getInt16(2 * i, true)); break;
      case 'u16': out.push(view.getUint16(2 * i, true)); break;
      case 'i32': out.push(view.getInt32(4 * i, true)); break;
      case 'u32': out.push(view.getUint32(4 * i, true)); break;
      case 'f32': out.push(view.getFloat32(4 * i, true)); break;
      case 'f64': out.push(view.getFloat64(8 * i, true)); break;
      case 'i64': out.push(view.getBigInt64(8 * i, true)); break;
    }
  }
  return out;
}

/** An instance with one exported function per instruction: `op` applied to its parameters. */
async function ops(specs: { name: string; params: string[]; result: string }[]): Promise<{ store: Store; inst: Instance }> {
  const funcs = specs.map(({ name, params, result }) => {
    const gets = params.map((_, i) => `(local.get ${i})`).join(' ');
    const [op, ...imm] = name.split(' ');
    return `(func (export "${name}") (param ${params.join(' ')}) (result ${result}) (${op} ${imm.join(' ')} ${gets}))`;
  });
  const store = new Store();
  return { store, inst: instantiate(store, await assemble(`(module ${funcs.join('\n')})`), () => undefined, 'ops') };
}

const bin = (name: string) => ({ name, params: ['v128', 'v128'], result: 'v128' });
const un = (name: string) => ({ name, params: ['v128'], result: 'v128' });
const shift = (name: string) => ({ name, params: ['v128', 'i32'], result: 'v128' });
const i32 = (value: number): Value => ({ type: 'i32', value });

describe('SIMD lane arithmetic', () => {
  let store: Store;
  let inst: Instance;
  const call = (name: string, ...args: Value[]) => invoke(store, inst.exportedFunc(name), args)[0];

  before(async () => {
    ({ store, inst } = await ops([
      bin('i8x16.add_sat_s'), bin('i8x16.add_sat_u'), bin('i8x16.sub_sat_s'), bin('i8x16.sub_sat_u'),
      bin('i16x8.add_sat_s'), bin('i16x8.sub_sat_u'), bin('i16x8.q15mulr_sat_s'), bin('i8x16.avgr_u'),
      bin('f32x4.add'), bin('f32x4.min'), bin('f32x4.pmin'), bin('f64x2.pmax'), bin('f64x2.max'),
      un('f32x4.neg'), un('f64x2.abs'), un('f64x2.nearest'), un('f32x4.demote_f64x2_zero'),
      shift('i8x16.shl'), shift('i8x16.shr_s'), shift('i16x8.shr_u'), shift('i32x4.shr_s'),
      shift('i64x2.shl'), shift('i64x2.shr_s'), shift('i64x2.shr_u'),
      un('i32x4.trunc_sat_f32x4_s'), un('i32x4.trunc_sat_f32x4_u'), un('i32x4.trunc_sat_f64x2_u_zero'),
      bin('i8x16.narrow_i16x8_s'), bin('i8x16.narrow_i16x8_u'), bin('i16x8.narrow_i32x4_u'),
      bin('i64x2.mul'), bin('i64x2.add'), bin('i64x2.sub'), un('i64x2.neg'), un('i64x2.abs'), bin('i64x2.lt_s'),
      bin('i64x2.extmul_low_i32x4_s'), bin('i64x2.extmul_high_i32x4_u'), bin('i32x4.dot_i16x8_s'),
      bin('i8x16.swizzle'), bin('i8x16.shuffle 0 31 1 30 2 29 3 28 4 27 5 26 6 25 7 24'),
      { name: 'i8x16.bitmask', params: ['v128'], result: 'i32' }, { name: 'i16x8.all_true', params: ['v128'], result: 'i32' },
      { name: 'i64x2.extract_lane 1', params: ['v128'], result: 'i64' }, { name: 'f32x4.replace_lane 2', params: ['v128', 'f32'], result: 'v128' },
      bin('i8x16.relaxed_swizzle'), un('i32x4.relaxed_trunc_f32x4_s'), { name: 'i32x4.relaxed_laneselect', params: ['v128', 'v128', 'v128'], result: 'v128' },
      { name: 'f32x4.relaxed_madd', params: ['v128', 'v128', 'v128'], result: 'v128' }, bin('i16x8.relaxed_dot_i8x16_i7x16_s'),
      { name: 'i32x4.relaxed_dot_i8x16_i7x16_add_s', params: ['v128', 'v128', 'v128'], result: 'v128' }, bin('f64x2.relaxed_min'),
    ]));
  });

  it('saturates integer lanes at both ends', () => {
    assert.deepStrictEqual(lanes(call('i8x16.add_sat_s', v128('i8', [127, -128, 100, -100, 1]), v128('i8', [1, -1, 100, -100, 1])), 'i8').slice(0, 5), [127, -128, 127, -128, 2]);
    assert.deepStrictEqual(lanes(call('i8x16.add_sat_u', v128('u8', [255, 200, 1]), v128('u8', [1, 100, 1])), 'u8').slice(0, 3), [255, 255, 2]);
    assert.deepStrictEqual(lanes(call('i8x16.sub_sat_s', v128('i8', [-128, 127]), v128('i8', [1, -1])), 'i8').slice(0, 2), [-128, 127]);
    assert.deepStrictEqual(lanes(call('i8x16.sub_sat_u', v128('u8', [0, 5]), v128('u8', [1, 3])), 'u8').slice(0, 2), [0, 2]);
    assert.deepStrictEqual(lanes(call('i16x8.add_sat_s', v128('i16', [32767, -32768]), v128('i16', [1, -1])), 'i16').slice(0, 2), [32767, -32768]);
    assert.deepStrictEqual(lanes(call('i16x8.sub_sat_u', v128('u16', [0, 65535]), v128('u16', [1, 65534])), 'u16').slice(0, 2), [0, 1]);
    // -1.0 * -1.0 in Q15 is the one product beyond the range.
    assert.deepStrictEqual(lanes(call('i16x8.q15mulr_sat_s', v128('i16', [-32768, 16384, -32768, 3]), v128('i16', [-32768, 16384, 32767, 5])), 'i16').slice(0, 4), [32767, 8192, -32767, 0]);
    assert.deepStrictEqual(lanes(call('i8x16.avgr_u', v128('u8', [255, 0, 1]), v128('u8', [255, 1, 2])), 'u8').slice(0, 3), [255, 1, 2]);
  });

  it('keeps each float lane to itself: NaN lanes beside numbers, payloads kept by neg, abs and pmin', () => {
    const nan = 0x7fa00001; // a signalling NaN with a payload
    const a = v128('u32', [nan, 0x3f800000, 0xff800000, 0x00000001]); // sNaN, 1, -inf, the smallest subnormal
    const b = v128('u32', [0x3f800000, 0x40000000, 0x7f800000, 0x00000001]); // 1, 2, inf, the smallest subnormal
    const sum = lanes(call('f32x4.add', a, b), 'u32') as number[];
    assert.ok((sum[0] & 0x7fc00000) === 0x7fc00000, `lane 0 is a quiet NaN, got 0x${sum[0].toString(16)}`);
    assert.deepStrictEqual(sum.slice(1), [0x40400000, sum[2], 0x00000002]);
    assert.ok((sum[2] & 0x7fc00000) === 0x7fc00000 && (sum[2] & 0x7fffffff) >>> 0 === 0x7fc00000, 'inf + -inf is the canonical NaN');
    assert.deepStrictEqual(lanes(call('f32x4.neg', a), 'u32'), [0xffa00001, 0xbf800000, 0x7f800000, 0x80000001]);
    assert.deepStrictEqual(lanes(call('f64x2.abs', v128('i64', [-1n, 0xfff4000000000001n])), 'i64'), [0x7fffffffffffffffn, 0x7ff4000000000001n]);
    // min: NaN wins and -0 is below +0; pmin: b < a ? b : a, so a NaN in a stays and one in b does not.
    const min = lanes(call('f32x4.min', v128('u32', [nan, 0x80000000, 0, 0x40000000]), v128('u32', [0, 0, 0x80000000, 0x3f800000])), 'u32') as number[];
    assert.ok((min[0] & 0x7fc00000) === 0x7fc00000);
    assert.deepStrictEqual(min.slice(1), [0x80000000, 0x80000000, 0x3f800000]);
    assert.deepStrictEqual(lanes(call('f32x4.pmin', v128('u32', [nan, 0x3f800000, 0x80000000, 0]), v128('u32', [0, nan, 0, 0x80000000])), 'u32'), [nan, 0x3f800000, 0x80000000, 0]);
    assert.deepStrictEqual(lanes(call('f64x2.pmax', v128('f64', [1, NaN]), v128('i64', [0x7ff0000000000001n, 0x4000000000000000n])), 'i64'), [0x3ff0000000000000n, 0x7ff8000000000000n]);
    const max = lanes(call('f64x2.max', v128('f64', [-0, 3]), v128('i64', [0n, 0x7ff0000000000001n])), 'i64');
    assert.deepStrictEqual(max[0], 0n);
    assert.ok(((max[1] as bigint) & 0x7ff8000000000000n) === 0x7ff8000000000000n, 'a signalling NaN operand gives a quiet NaN');
    // nearest: ties to even, the sign of zero kept, a signalling NaN quieted.
    assert.deepStrictEqual(lanes(call('f64x2.nearest', v128('f64', [2.5, -0.5])), 'f64'), [2, -0]);
    assert.ok(Object.is(lanes(call('f64x2.nearest', v128('f64', [-0.5, 0])), 'f64')[0], -0));
    const qn = lanes(call('f64x2.nearest', v128('i64', [0x7ff0000000000001n, 0n])), 'i64');
    assert.strictEqual((qn[0] as bigint) & 0x7ff8000000000000n, 0x7ff8000000000000n);
    // demote rounds once, ties to even, and zeroes the upper lanes.
    assert.deepStrictEqual(lanes(call('f32x4.demote_f64x2_zero', v128('f64', [1 + 2 ** -24, 1 + 3 * 2 ** -24])), 'u32'), [0x3f800000, 0x3f800002, 0, 0]);
  });

  it('takes shift counts modulo the lane width', () => {
    const bytes = v128('u8', [0x81, 0x40, 0xff, 1]);
    assert.deepStrictEqual(lanes(call('i8x16.shl', bytes, i32(9)), 'u8').slice(0, 4), [0x02, 0x80, 0xfe, 2]);
    assert.deepStrictEqual(lanes(call('i8x16.shr_s', bytes, i32(15)), 'i8').slice(0, 4), [-1, 0, -1, 0]);
    assert.deepStrictEqual(lanes(call('i16x8.shr_u', v128('u16', [0x8000, 0xffff]), i32(-1)), 'u16').slice(0, 2), [1, 1]);
    assert.deepStrictEqual(lanes(call('i32x4.shr_s', v128('i32', [-8, 8, 0x40000000, -1]), i32(33)), 'i32'), [-4, 4, 0x20000000, -1]);
    const wide = v128('i64', [0x8000000000000001n, 0x123456789n]);
    assert.deepStrictEqual(lanes(call('i64x2.shl', wide, i32(65)), 'i64'), [2n, 0x2468acf12n]);
    assert.deepStrictEqual(lanes(call('i64x2.shl', wide, i32(32)), 'i64'), [0x100000000n, 0x2345678900000000n]);
    assert.deepStrictEqual(lanes(call('i64x2.shr_s', wide, i32(63)), 'i64'), [-1n, 0n]);
    assert.deepStrictEqual(lanes(call('i64x2.shr_s', wide, i32(36)), 'i64'), [-0x8000000n, 0n]);
    assert.deepStrictEqual(lanes(call('i64x2.shr_u', wide, i32(64)), 'i64'), [-0x7fffffffffffffffn, 0x123456789n]);
    assert.deepStrictEqual(lanes(call('i64x2.shr_u', wide, i32(4)), 'i64'), [0x0800000000000000n, 0x12345678n]);
  });

  it('truncates out-of-range and NaN lanes by saturating', () => {
    assert.deepStrictEqual(lanes(call('i32x4.trunc_sat_f32x4_s', v128('f32', [NaN, 3e9, -3e9, -1.9])), 'i32'), [0, 2147483647, -2147483648, -1]);
    assert.deepStrictEqual(lanes(call('i32x4.trunc_sat_f32x4_u', v128('f32', [NaN, -1, 5e9, 1.9])), 'u32'), [0, 0, 4294967295, 1]);
    assert.deepStrictEqual(lanes(call('i32x4.trunc_sat_f64x2_u_zero', v128('f64', [4294967295.9, -0.9])), 'u32'), [4294967295, 0, 0, 0]);
  });

  it('narrows with signed or unsigned saturation', () => {
    const a = v128('i16', [300, -300, 127, -128, 128, -129, 255, 256]);
    const b = v128('i16', [-1, 0, 1, 2, 3, 4, 5, 32767]);
    assert.deepStrictEqual(lanes(call('i8x16.narrow_i16x8_s', a, b), 'i8'), [127, -128, 127, -128, 127, -128, 127, 127, -1, 0, 1, 2, 3, 4, 5, 127]);
    assert.deepStrictEqual(lanes(call('i8x16.narrow_i16x8_u', a, b), 'u8'), [255, 0, 127, 0, 128, 0, 255, 255, 0, 0, 1, 2, 3, 4, 5, 255]);
    assert.deepStrictEqual(lanes(call('i16x8.narrow_i32x4_u', v128('i32', [-5, 65536, 65535, 70000]), v128('i32', [1, 2, -1, 0x7fffffff])), 'u16'), [0, 65535, 65535, 65535, 1, 2, 0, 65535]);
  });

  it('computes 64-bit lanes exactly across the 32-bit halves', () => {
    const m = (x: bigint, y: bigint) => lanes(call('i64x2.mul', v128('i64', [x, 3n]), v128('i64', [y, -5n])), 'i64');
    assert.deepStrictEqual(m(-1n, -1n), [1n, -15n]);
    assert.deepStrictEqual(m(0x100000001n, 0x100000001n), [0x200000001n, -15n]);
    assert.deepStrictEqual(m(0x123456789abcdefn, 0xfedcba987654321n), [BigInt.asIntN(64, 0x123456789abcdefn * 0xfedcba987654321n), -15n]);
    assert.deepStrictEqual(lanes(call('i64x2.add', v128('i64', [0xffffffffn, -1n]), v128('i64', [1n, 1n])), 'i64'), [0x100000000n, 0n]);
    assert.deepStrictEqual(lanes(call('i64x2.sub', v128('i64', [0x100000000n, -0x8000000000000000n]), v128('i64', [1n, 1n])), 'i64'), [0xffffffffn, 0x7fffffffffffffffn]);
    assert.deepStrictEqual(lanes(call('i64x2.neg', v128('i64', [0x100000000n, -0x8000000000000000n])), 'i64'), [-0x100000000n, -0x8000000000000000n]);
    assert.deepStrictEqual(lanes(call('i64x2.abs', v128('i64', [-7n, -0x8000000000000000n])), 'i64'), [7n, -0x8000000000000000n]);
    assert.deepStrictEqual(lanes(call('i64x2.lt_s', v128('i64', [-1n, 0x100000000n]), v128('i64', [0n, 0xffffffffn])), 'i64'), [-1n, 0n]);
    assert.deepStrictEqual(lanes(call('i64x2.extmul_low_i32x4_s', v128('i32', [-2147483648, 0x7fffffff, 9, 9]), v128('i32', [-2147483648, -1, 9, 9])), 'i64'), [0x4000000000000000n, -0x7fffffffn]);
    assert.deepStrictEqual(lanes(call('i64x2.extmul_high_i32x4_u', v128('i32', [0, 0, -1, 2]), v128('i32', [0, 0, -1, 3])), 'i64'), [-0x1ffffffffn, 6n]);
    // dot: the one sum beyond i32 wraps.
    assert.deepStrictEqual(lanes(call('i32x4.dot_i16x8_s', v128('i16', [-32768, -32768, 1, 2, 3, 4, -1, 7]), v128('i16', [-32768, -32768, 5, 6, 7, 8, 2, 3])), 'i32'), [-2147483648, 17, 53, 19]);
  });

  it('moves bytes by swizzle and shuffle, reads bitmasks, lanes and replaces one', () => {
    const a = v128('u8', [...Array(16).keys()].map((i) => i + 100));
    const b = v128('u8', [...Array(16).keys()].map((i) => i + 200));
    assert.deepStrictEqual(lanes(call('i8x16.swizzle', a, v128('u8', [15, 0, 16, 255, 3, 3, 3, 3, 0, 0, 0, 0, 0, 0, 0, 128])), 'u8'), [115, 100, 0, 0, 103, 103, 103, 103, 100, 100, 100, 100, 100, 100, 100, 0]);
    assert.deepStrictEqual(lanes(call('i8x16.shuffle 0 31 1 30 2 29 3 28 4 27 5 26 6 25 7 24', a, b), 'u8'), [100, 215, 101, 214, 102, 213, 103, 212, 104, 211, 105, 210, 106, 209, 107, 208]);
    assert.deepStrictEqual(invoke(store, inst.exportedFunc('i8x16.bitmask'), [v128('u8', [0x80, 0, 0xff, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80])]), [i32(0x8005)]);
    assert.deepStrictEqual(invoke(store, inst.exportedFunc('i16x8.all_true'), [v128('i16', [1, 2, 3, 4, 5, 6, 7, 0x100])]), [i32(1)]);
    assert.deepStrictEqual(invoke(store, inst.exportedFunc('i16x8.all_true'), [v128('i16', [1, 2, 3, 4, 5, 6, 7, 0])]), [i32(0)]);
    assert.deepStrictEqual(invoke(store, inst.exportedFunc('i64x2.extract_lane 1'), [v128('i64', [1n, -2n])]), [{ type: 'i64', value: -2n }]);
    assert.deepStrictEqual(lanes(invoke(store, inst.exportedFunc('f32x4.replace_lane 2'), [v128('u32', [1, 2, 3, 4]), { type: 'f32', bits: 0x7fa00001 }])[0], 'u32'), [1, 2, 0x7fa00001, 4]);
  });

  it('gives relaxed SIMD one fixed behaviour per instruction', () => {
    // relaxed_swizzle as swizzle: indices beyond 15 select 0.
    assert.deepStrictEqual(lanes(call('i8x16.relaxed_swizzle', v128('u8', [9, 8, 7]), v128('u8', [1, 16, 0x80, 0xff])), 'u8').slice(0, 4), [8, 0, 0, 0]);
    // relaxed_trunc as trunc_sat.
    assert.deepStrictEqual(lanes(call('i32x4.relaxed_trunc_f32x4_s', v128('f32', [NaN, 3e9, -3e9, 2.5])), 'i32'), [0, 2147483647, -2147483648, 2]);
    // relaxed_laneselect as bitselect, bit by bit, whatever the top bit of a lane.
    assert.deepStrictEqual(lanes(call('i32x4.relaxed_laneselect', v128('i32', [0x12345678, 1, 1, 1]), v128('i32', [0x56781234, 2, 2, 2]), v128('i32', [0xffff0000, -1, 0, 0x7fffffff])), 'u32'), [0x12341234, 1, 2, 1]);
    // relaxed_madd not fused: (1 + 2^-23)^2 rounds to 1 + 2^-22 before -(1 + 2^-22) is added.
    const x = 1 + 2 ** -23;
    assert.deepStrictEqual(lanes(call('f32x4.relaxed_madd', v128('f32', [x, 2, 0, 0]), v128('f32', [x, 3, 0, 0]), v128('f32', [-(1 + 2 ** -22), 1, 0, 0])), 'f32'), [0, 7, 0, 0]);
    // relaxed_dot: the second operand is signed, pair sums saturate to i16 (the add form sums exactly).
    assert.deepStrictEqual(lanes(call('i16x8.relaxed_dot_i8x16_i7x16_s', v128('i8', [-128, -128, 2, 3]), v128('i8', [-128, -128, -1, 4])), 'i16').slice(0, 2), [32767, 10]);
    assert.deepStrictEqual(lanes(call('i32x4.relaxed_dot_i8x16_i7x16_add_s', v128('i8', [-128, -128, -128, -128, 1]), v128('i8', [-128, -128, -128, -128, -1]), v128('i32', [1, 2, 3, 4])), 'i32'), [65537, 1, 3, 4]);
    // relaxed_min as min: NaN wins, -0 below +0.
    const min = lanes(call('f64x2.relaxed_min', v128('f64', [0, NaN]), v128('f64', [-0, 1])), 'f64');
    assert.ok(Object.is(min[0], -0) && Number.isNaN(min[1]));
  });
});

describe('v128 values', () => {
  it('round-trip through locals, globals, block results, calls and host functions', async () => {
    const module = await assemble(`(module
      (import "host" "swap" (func $swap (param v128 i32) (result v128 i32)))
      (import "host" "g" (global $imported (mut v128)))
      (global $g (export "g") (mut v128) (v128.const i32x4 1 2 3 4))
      (func $dirty (local v128) (local.set 0 (v128.const i32x4 -1 -1 -1 -1)))
      (func $fresh (result v128) (local v128) (local.get 0))
      (func $pass (param v128) (result v128)
        ;; a branch out of a block moves the v128 below the value it drops
        (block (result v128) (i32.const 7) (local.get 0) (br_if 0 (i32.const 1)) (unreachable)))
      (func (export "run") (param $x v128) (result v128 v128 v128 i32)
        (local $t v128)
        (local.set $t (call $pass (local.get $x)))
        (global.set $g (i8x16.add (local.get $t) (global.get $g)))
        (global.set $imported (global.get $g))
        (call $dirty)
        (call $swap (local.get $t) (i32.const 5))
        (drop)
        (select (call $fresh) (global.get $imported) (i32.const 0))
        (global.get $g)
        (i32.const 9))
    )`);
    const store = new Store();
    const imported = createGlobal({ type: 'v128', mutable: true }, { type: 'v128', bytes: new Uint8Array(16) });
    const seen: Value[] = [];
    const swap = hostFunction({ params: ['v128', 'i32'], results: ['v128', 'i32'] }, 'swap', (args) => {
      seen.push(...args);
      return [v128('i32', [40, 30, 20, 10]), args[1]];
    });
    const inst = instantiate(store, module, (imp) => (imp.name === 'swap' ? { kind: 'func', func: swap } : { kind: 'global', global: imported }), 'main');
    const x = v128('i32', [0x01010101, 0x7f7f7f7f, -1, 0]);
    const [a, b, c, d] = invoke(store, inst.exportedFunc('run'), [x]);
    assert.deepStrictEqual(lanes(a, 'i32'), [40, 30, 20, 10]); // the host's v128 result, below the selected one
    // x + (1 2 3 4) byte by byte: 01+01, 7f+02 wraps to 81, ff+03 wraps to 02, 00+04.
    assert.deepStrictEqual(lanes(b, 'u8'), [2, 1, 1, 1, 0x81, 0x7f, 0x7f, 0x7f, 2, 0xff, 0xff, 0xff, 4, 0, 0, 0]);
    assert.deepStrictEqual(c, b);
    assert.deepStrictEqual(d, i32(9));
    assert.deepStrictEqual(seen, [x, i32(5)]);
    assert.deepStrictEqual((inst.exports.get('g') as { global: { get(): Value } }).global.get(), b);
    assert.deepStrictEqual(imported.get(), b);
    // A declared v128 local starts at zero even where an earlier call left other bytes in its slot.
    const fresh = await assemble(`(module
      (func $dirty (local v128) (local.set 0 (v128.const i32x4 -1 -1 -1 -1)))
      (func $fresh (result v128) (local v128) (local.get 0))
      (func (export "f") (result v128) (call $dirty) (call $fresh)))`);
    const fi = instantiate(store, fresh, () => undefined, 'fresh');
    assert.deepStrictEqual(lanes(invoke(store, fi.exportedFunc('f'), [])[0], 'i32'), [0, 0, 0, 0]);
  });

  it('refuses a v128 argument that is not 16 bytes, saying so', async () => {
    const store = new Store();
    const inst = instantiate(store, await assemble('(module (func (export "id") (param v128) (result v128) (local.get 0)))'), () => undefined, 'm');
    assert.throws(() => invoke(store, inst.exportedFunc('id'), [{ type: 'v128', bytes: new Uint8Array(8) }]), /a v128 value has 16 bytes, got 8/);
  });
});

describe('SIMD memory accesses', () => {
  let store: Store;
  let inst: Instance;
  const memory = () => inst.memories[0].u8;
  const trapOf = (name: string, ...args: Value[]): string => {
    try {
      invoke(store, inst.exportedFunc(name), args);
    } catch (e) {
      assert.ok(e instanceof Trap, String(e));
      return e.message;
    }
    return 'no trap';
  };

  before(async () => {
    store = new Store();
    inst = instantiate(store, await assemble(`(module (memory 1)
      (func (export "load") (param i32) (result v128) (v128.load (local.get 0)))
      (func (export "load_far") (param i32) (result v128) (v128.load offset=0xffffffff (local.get 0)))
      (func (export "load8x8_s") (param i32) (result v128) (v128.load8x8_s (local.get 0)))
      (func (export "load32_zero") (param i32) (result v128) (v128.load32_zero (local.get 0)))
      (func (export "load16_splat") (param i32) (result v128) (v128.load16_splat (local.get 0)))
      (func (export "load64_lane") (param i32 v128) (result v128) (v128.load64_lane 1 (local.get 0) (local.get 1)))
      (func (export "store") (param i32 v128) (v128.store offset=16 (local.get 0) (local.get 1)))
      (func (export "store8_lane") (param i32 v128) (v128.store8_lane 15 (local.get 0) (local.get 1)))
      (func (export "store32_lane") (param i32 v128) (v128.store32_lane 3 (local.get 0) (local.get 1))))`), () => undefined, 'mem');
  });

  it('loads and stores every width up to the last byte of memory', () => {
    const last = 65536;
    const v = v128('u8', [...Array(16).keys()].map((i) => 0xf0 + i));
    invoke(store, inst.exportedFunc('store'), [i32(last - 32), v]);
    assert.deepStrictEqual([...memory().slice(last - 16)], lanes(v, 'u8'));
    assert.deepStrictEqual(invoke(store, inst.exportedFunc('load'), [i32(last - 16)]), [v]);
    assert.deepStrictEqual(lanes(invoke(store, inst.exportedFunc('load8x8_s'), [i32(last - 8)])[0], 'i16'), [-8, -7, -6, -5, -4, -3, -2, -1]);
    assert.deepStrictEqual(lanes(invoke(store, inst.exportedFunc('load32_zero'), [i32(last - 4)])[0], 'u32'), [0xfffefdfc, 0, 0, 0]);
    assert.deepStrictEqual(lanes(invoke(store, inst.exportedFunc('load16_splat'), [i32(last - 2)])[0], 'u16'), Array(8).fill(0xfffe));
    assert.deepStrictEqual(lanes(invoke(store, inst.exportedFunc('load64_lane'), [i32(last - 8), v128('i64', [5n, 6n])])[0], 'i64'), [5n, BigInt.asIntN(64, 0xfffefdfcfbfaf9f8n)]);
    invoke(store, inst.exportedFunc('store8_lane'), [i32(last - 1), v128('u8', [...Array(16).keys()])]);
    assert.strictEqual(memory()[last - 1], 15);
  });

  it('traps one byte beyond the end, leaving memory as it was', () => {
    const last = 65536;
    const before = memory().slice();
    const v = v128('i32', [1, 2, 3, 4]);
    assert.strictEqual(trapOf('load', i32(last - 15)), 'out of bounds memory access');
    assert.strictEqual(trapOf('load', i32(-1)), 'out of bounds memory access');
    assert.strictEqual(trapOf('load_far', i32(1)), 'out of bounds memory access');
    assert.strictEqual(trapOf('load8x8_s', i32(last - 7)), 'out of bounds memory access');
    assert.strictEqual(trapOf('load32_zero', i32(last - 3)), 'out of bounds memory access');
    assert.strictEqual(trapOf('load16_splat', i32(last - 1)), 'out of bounds memory access');
    assert.strictEqual(trapOf('load64_lane', i32(last - 7), v), 'out of bounds memory access');
    assert.strictEqual(trapOf('store', i32(last - 31), v), 'out of bounds memory access');
    assert.strictEqual(trapOf('store8_lane', i32(last), v), 'out of bounds memory access');
    assert.strictEqual(trapOf('store32_lane', i32(last - 3), v), 'out of bounds memory access');
    assert.deepStrictEqual(memory(), before);
  });
});
