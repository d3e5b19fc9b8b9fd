// What the compiled tier's generated functions call for the operations JavaScript has no single
// operator for. Passed to every generated function as `H` (they are created with `new Function`
// and see no module scope). An i64 is a pair of int32 words (i64.ts): a helper with an i64 result
// returns its low word and leaves the high word in `H.hi`.

import {
  fNearest, f32ConvertI64S, f32ConvertI64U, mulHigh32, i64Rotl, i64Rotr, i32Ctz, i32Popcnt, i32Rotl, i32Rotr,
  i32TruncSatS, i32TruncSatU, i64TruncSatS, i64TruncSatU,
} from '../numeric';
import { canonById } from '../typeCanon';

const scratch = new ArrayBuffer(8);
const sF32 = new Float32Array(scratch);
const sF64 = new Float64Array(scratch);
const sI32 = new Int32Array(scratch);

/** The i64 of words `lo`, `hi` as a bigint (signed). */
function big(lo: number, hi: number): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo >>> 0);
}

/** High words of the i64s of magnitude below 2^53, which numbers hold exactly, lie within ±SAFE_HI. */
const SAFE_HI = 0x200000;
const fitsSigned = (hi: number): boolean => hi > -SAFE_HI && hi < SAFE_HI;
const fitsUnsigned = (hi: number): boolean => hi >>> 0 < SAFE_HI;
/** The i64 of words `lo`, `hi` as a number, signed or unsigned (exact when its high word fits). */
const signedNumber = (lo: number, hi: number): number => hi * 4294967296 + (lo >>> 0);
const unsignedNumber = (lo: number, hi: number): number => (hi >>> 0) * 4294967296 + (lo >>> 0);

export const tierHelpers = {
  /** The high word of the last i64 result a helper returned the low word of. */
  hi: 0,
  ctz32: i32Ctz,
  popcnt32: i32Popcnt,
  rotl32: i32Rotl,
  rotr32: i32Rotr,
  nearest: fNearest,
  canonById,
  /** Returns the low word of `x` (an i64 as a bigint) and leaves its high word in `hi`. */
  split(x: bigint): number {
    tierHelpers.hi = Number(BigInt.asIntN(32, x >> 32n));
    return Number(BigInt.asIntN(32, x));
  },
  /** A number that is an integer of magnitude below 2^53, as words. */
  splitNumber(q: number): number {
    tierHelpers.hi = Math.floor(q / 4294967296) | 0;
    return q | 0;
  },
  /** The high 32 bits (unsigned) of the product of two words taken unsigned. */
  mulHighU32: mulHigh32,
  // Division and remainder (the divisor is not 0, nor is it INT64_MIN / -1: checked before). Both
  // operands of magnitude below 2^53 divide exactly as numbers: the quotient's rounding cannot reach
  // the next integer, and % of integers is exact.
  divS64(al: number, ah: number, bl: number, bh: number): number {
    if (fitsSigned(ah) && fitsSigned(bh)) return tierHelpers.splitNumber(Math.trunc(signedNumber(al, ah) / signedNumber(bl, bh)));
    return tierHelpers.split(big(al, ah) / big(bl, bh));
  },
  remS64(al: number, ah: number, bl: number, bh: number): number {
    if (fitsSigned(ah) && fitsSigned(bh)) return tierHelpers.splitNumber(signedNumber(al, ah) % signedNumber(bl, bh));
    return tierHelpers.split(big(al, ah) % big(bl, bh));
  },
  divU64(al: number, ah: number, bl: number, bh: number): number {
    if (fitsUnsigned(ah) && fitsUnsigned(bh)) return tierHelpers.splitNumber(Math.floor(unsignedNumber(al, ah) / unsignedNumber(bl, bh)));
    return tierHelpers.split(BigInt.asUintN(64, big(al, ah)) / BigInt.asUintN(64, big(bl, bh)));
  },
  remU64(al: number, ah: number, bl: number, bh: number): number {
    if (fitsUnsigned(ah) && fitsUnsigned(bh)) return tierHelpers.splitNumber(unsignedNumber(al, ah) % unsignedNumber(bl, bh));
    return tierHelpers.split(BigInt.asUintN(64, big(al, ah)) % BigInt.asUintN(64, big(bl, bh)));
  },
  rotl64(al: number, ah: number, n: number): number {
    return tierHelpers.split(i64Rotl(big(al, ah), BigInt(n)));
  },
  rotr64(al: number, ah: number, n: number): number {
    return tierHelpers.split(i64Rotr(big(al, ah), BigInt(n)));
  },
  f32ConvertI64S(lo: number, hi: number): number {
    return f32ConvertI64S(big(lo, hi));
  },
  f32ConvertI64U(lo: number, hi: number): number {
    return f32ConvertI64U(big(lo, hi));
  },
  i64TruncSatS(x: number): number {
    return tierHelpers.split(i64TruncSatS(x));
  },
  i64TruncSatU(x: number): number {
    return tierHelpers.split(i64TruncSatU(x));
  },
  /** f32.copysign / f64.copysign: the sign bit of `b` as it is held (so a NaN's sign counts too). */
  copysign(a: number, b: number): number {
    sF64[0] = b;
    const negative = sI32[1] < 0;
    const m = Math.abs(a);
    return negative ? -m : m;
  },
  f32Bits(x: number): number {
    sF32[0] = x;
    return sI32[0];
  },
  f32FromBits(bits: number): number {
    sI32[0] = bits;
    return sF32[0];
  },
  /** i64.reinterpret_f64: the low word, the high word in `hi`. */
  f64Words(x: number): number {
    sF64[0] = x;
    tierHelpers.hi = sI32[1];
    return sI32[0];
  },
  f64FromWords(lo: number, hi: number): number {
    sI32[0] = lo;
    sI32[1] = hi;
    return sF64[0];
  },
  i32TruncSatS,
  i32TruncSatU,
};

export type TierHelpers = typeof tierHelpers;
