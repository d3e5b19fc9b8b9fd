// WebAssembly's numeric semantics for the cases plain JavaScript arithmetic gets wrong: traps,
// unsigned views, rounding, NaN and signed zeros. Representations follow types.ts: i32 is a signed
// 32-bit number, i64 a signed 64-bit bigint, f32/f64 JS numbers (or raw bits where the bit pattern
// itself matters: copysign, abs, neg, NaN-preserving conversions).

import { Trap } from './trap';

const DIVIDE_BY_ZERO = 'integer divide by zero';
const OVERFLOW = 'integer overflow';
const INVALID_CONVERSION = 'invalid conversion to integer';

const I64_MIN = -(1n << 63n);

// ---------------------------------------------------------------- i32

export function i32DivS(a: number, b: number): number {
  if (b === 0) throw new Trap(DIVIDE_BY_ZERO);
  if (a === -0x80000000 && b === -1) throw new Trap(OVERFLOW);
  return (a / b) | 0;
}

export function i32DivU(a: number, b: number): number {
  if (b === 0) throw new Trap(DIVIDE_BY_ZERO);
  return ((a >>> 0) / (b >>> 0)) | 0;
}

export function i32RemS(a: number, b: number): number {
  if (b === 0) throw new Trap(DIVIDE_BY_ZERO);
  return a % b | 0; // INT_MIN % -1 is -0 in JS: `| 0` makes it 0, as WebAssembly defines
}

export function i32RemU(a: number, b: number): number {
  if (b === 0) throw new Trap(DIVIDE_BY_ZERO);
  return ((a >>> 0) % (b >>> 0)) | 0;
}

export function i32Clz(a: number): number {
  return Math.clz32(a);
}

export function i32Ctz(a: number): number {
  return a === 0 ? 32 : 31 - Math.clz32(a & -a);
}

export function i32Popcnt(a: number): number {
  let x = a >>> 0;
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

// JS masks shift counts to 5 bits, so for a rotation by 0 both halves are `a` and `|` gives `a`.
export function i32Rotl(a: number, k: number): number {
  return (a << k) | (a >>> (32 - (k & 31)));
}

export function i32Rotr(a: number, k: number): number {
  return (a >>> k) | (a << (32 - (k & 31)));
}

// ---------------------------------------------------------------- i64 (bigint)

const u64 = (a: bigint) => BigInt.asUintN(64, a);
const s64 = (a: bigint) => BigInt.asIntN(64, a);

export function i64DivS(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Trap(DIVIDE_BY_ZERO);
  if (a === I64_MIN && b === -1n) throw new Trap(OVERFLOW);
  return a / b; // bigint division truncates toward zero, like WebAssembly
}

export function i64DivU(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Trap(DIVIDE_BY_ZERO);
  return s64(u64(a) / u64(b));
}

export function i64RemS(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Trap(DIVIDE_BY_ZERO);
  return a % b; // sign of the dividend; INT_MIN % -1 is 0
}

export function i64RemU(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Trap(DIVIDE_BY_ZERO);
  return s64(u64(a) % u64(b));
}

function hi32(a: bigint): number {
  return Number(BigInt.asIntN(32, a >> 32n));
}

function lo32(a: bigint): number {
  return Number(BigInt.asIntN(32, a));
}

export function i64Clz(a: bigint): bigint {
  const hi = hi32(a);
  return BigInt(hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo32(a)));
}

export function i64Ctz(a: bigint): bigint {
  const lo = lo32(a);
  return BigInt(lo !== 0 ? i32Ctz(lo) : 32 + i32Ctz(hi32(a)));
}

export function i64Popcnt(a: bigint): bigint {
  return BigInt(i32Popcnt(lo32(a)) + i32Popcnt(hi32(a)));
}

export function i64Rotl(a: bigint, k: bigint): bigint {
  const n = k & 63n;
  const x = u64(a);
  return s64((x << n) | (x >> (64n - n)));
}

export function i64Rotr(a: bigint, k: bigint): bigint {
  const n = k & 63n;
  const x = u64(a);
  return s64((x >> n) | (x << (64n - n)));
}

/** The high 32 bits (unsigned) of the 64-bit product of two unsigned 32-bit integers, from 16-bit pieces (every sum stays below 2^33). */
export function mulHigh32(x: number, y: number): number {
  const x0 = x & 0xffff;
  const x1 = x >>> 16;
  const y0 = y & 0xffff;
  const y1 = y >>> 16;
  const m1 = x1 * y0 + ((x0 * y0) >>> 16);
  const m2 = x0 * y1 + (m1 & 0xffff);
  return x1 * y1 + (m1 >>> 16) + (m2 >>> 16);
}

// ---------------------------------------------------------------- floats

/** Round to the nearest integer, ties to even, keeping the sign of zero (f32.nearest / f64.nearest). */
export function fNearest(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const r = Math.round(x); // ties toward +infinity; -0 for -0.5 <= x < 0
  // A tie that went up to an odd integer goes down to the even one instead (r - x is exact here).
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** f32.min / f64.min: NaN if either is NaN; -0 is below +0. */
export function fMin(a: number, b: number): number {
  return Math.min(a, b); // Math.min already orders -0 < +0 and propagates NaN (as a canonical NaN)
}

/** f32.max / f64.max: NaN if either is NaN; +0 is above -0. */
export function fMax(a: number, b: number): number {
  return Math.max(a, b);
}

export function f32Copysign(aBits: number, bBits: number): number {
  return ((aBits & 0x7fffffff) | (bBits & 0x80000000)) >>> 0;
}

export function f32Abs(bits: number): number {
  return (bits & 0x7fffffff) >>> 0;
}

export function f32Neg(bits: number): number {
  return (bits ^ 0x80000000) >>> 0;
}

const F64_SIGN = 1n << 63n;

export function f64Copysign(aBits: bigint, bBits: bigint): bigint {
  return (aBits & ~F64_SIGN) | (bBits & F64_SIGN);
}

export function f64Abs(bits: bigint): bigint {
  return bits & ~F64_SIGN;
}

export function f64Neg(bits: bigint): bigint {
  return bits ^ F64_SIGN;
}

// ---------------------------------------------------------------- float -> integer

/** Truncation toward zero with the trapping checks: NaN is invalid, out of range overflows. */
function checkedTrunc(x: number, below: number, above: number): number {
  if (Number.isNaN(x)) throw new Trap(INVALID_CONVERSION);
  // `below` and `above` are the first values out of range on each side (exclusive bounds).
  if (!(x > below && x < above)) throw new Trap(OVERFLOW);
  return Math.trunc(x);
}

/** i32.trunc_f32_s / i32.trunc_f64_s (the f32 operand is already a JS number). */
export function i32TruncS(x: number): number {
  return checkedTrunc(x, -2147483649, 2147483648) | 0;
}

export function i32TruncU(x: number): number {
  return checkedTrunc(x, -1, 4294967296) | 0;
}

export function i64TruncS(x: number): bigint {
  // -2^63 itself converts; the next double below it is -2^63 - 2048.
  return BigInt(checkedTrunc(x, -9223372036854777856, 9223372036854775808));
}

export function i64TruncU(x: number): bigint {
  return s64(BigInt(checkedTrunc(x, -1, 18446744073709551616)));
}

/** Saturating truncation (trunc_sat): NaN is 0, out-of-range values clamp. */
export function i32TruncSatS(x: number): number {
  if (Number.isNaN(x)) return 0;
  if (x <= -2147483648) return -2147483648;
  if (x >= 2147483647) return 2147483647;
  return Math.trunc(x) | 0;
}

export function i32TruncSatU(x: number): number {
  if (Number.isNaN(x) || x <= 0) return 0;
  if (x >= 4294967295) return -1;
  return Math.trunc(x) | 0;
}

export function i64TruncSatS(x: number): bigint {
  if (Number.isNaN(x)) return 0n;
  if (x <= -9223372036854775808) return I64_MIN;
  if (x >= 9223372036854775808) return (1n << 63n) - 1n;
  return BigInt(Math.trunc(x));
}

export function i64TruncSatU(x: number): bigint {
  if (Number.isNaN(x) || x <= 0) return 0n;
  if (x >= 18446744073709551616) return -1n;
  return s64(BigInt(Math.trunc(x)));
}

// ---------------------------------------------------------------- integer -> float

/**
 * An unsigned integer below 2^64 rounded once to f32 precision. Number(big) would round to f64 first,
 * and rounding that again to f32 can be off by one ulp (double rounding). Above 2^53 we keep the top
 * 53 bits and fold every discarded bit into the lowest one ("sticky"): that value converts exactly to a
 * double, and its single rounding to f32 then lands where the exact value's would.
 */
function unsignedToF32(u: bigint): number {
  if (u < 1n << 53n) return Math.fround(Number(u));
  const shift = BigInt(u.toString(2).length - 53);
  const kept = u >> shift;
  const sticky = (u & ((1n << shift) - 1n)) !== 0n ? 1n : 0n;
  return Math.fround(Number(kept | sticky) * 2 ** Number(shift));
}

export function f32ConvertI32S(a: number): number {
  return Math.fround(a);
}

export function f32ConvertI32U(a: number): number {
  return Math.fround(a >>> 0);
}

export function f32ConvertI64S(a: bigint): number {
  return a < 0n ? -unsignedToF32(-a) : unsignedToF32(a);
}

export function f32ConvertI64U(a: bigint): number {
  return unsignedToF32(u64(a));
}

export function f64ConvertI32S(a: number): number {
  return a;
}

export function f64ConvertI32U(a: number): number {
  return a >>> 0;
}

/** Number(bigint) rounds to nearest, ties to even, in one step: exactly f64.convert_i64_s. */
export function f64ConvertI64S(a: bigint): number {
  return Number(a);
}

export function f64ConvertI64U(a: bigint): number {
  return Number(u64(a));
}

// ---------------------------------------------------------------- f32 <-> f64 on raw bits

/**
 * f32.demote_f64 on raw bits. Numbers round once (ties to even); a NaN keeps its sign and the top
 * bits of its payload with the quiet bit set, so a canonical NaN stays canonical.
 */
export function f32DemoteBits(bits: bigint): number {
  if ((bits & 0x7ff0000000000000n) === 0x7ff0000000000000n && (bits & 0xfffffffffffffn) !== 0n) {
    const sign = Number(bits >> 63n) << 31;
    const payload = Number((bits >> 29n) & 0x7fffffn);
    return (sign | 0x7fc00000 | payload) >>> 0;
  }
  f64[0] = f64FromBitsLocal(bits);
  f32[0] = f64[0];
  return u32[0];
}

/** f64.promote_f32 on raw bits: exact for numbers; a NaN keeps sign and payload, quiet bit set. */
export function f64PromoteBits(bits: number): bigint {
  if ((bits & 0x7f800000) === 0x7f800000 && (bits & 0x7fffff) !== 0) {
    const sign = BigInt(bits >>> 31) << 63n;
    return sign | 0x7ff8000000000000n | (BigInt(bits & 0x7fffff) << 29n);
  }
  u32[0] = bits;
  f64[0] = f32[0];
  return u64v[0];
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64v = new BigUint64Array(f64.buffer);

function f64FromBitsLocal(bits: bigint): number {
  u64v[0] = bits;
  return f64[0];
}

// ---------------------------------------------------------------- reinterpretations

export function i32ReinterpretF32(bits: number): number {
  return bits | 0;
}

export function f32ReinterpretI32(a: number): number {
  return a >>> 0;
}

export function i64ReinterpretF64(bits: bigint): bigint {
  return s64(bits);
}

export function f64ReinterpretI64(a: bigint): bigint {
  return u64(a);
}
