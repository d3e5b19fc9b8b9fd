// What the compiled tier's generated functions call for the operations JavaScript has no single
// operator for. Passed to every generated function as `H` (they are created with `new Function`
// and see no module scope).

import {
  fNearest, f32ConvertI64S, f32ConvertI64U, i64Clz, i64Ctz, i64Popcnt, i64Rotl, i64Rotr, i32Ctz, i32Popcnt, i32Rotl, i32Rotr,
  i32TruncSatS, i32TruncSatU, i64TruncSatS, i64TruncSatU,
} from '../numeric';
import { canonById } from '../typeCanon';

const scratch = new ArrayBuffer(8);
const sF32 = new Float32Array(scratch);
const sF64 = new Float64Array(scratch);
const sI32 = new Int32Array(scratch);
const sI64 = new BigInt64Array(scratch);

export const tierHelpers = {
  ctz32: i32Ctz,
  popcnt32: i32Popcnt,
  rotl32: i32Rotl,
  rotr32: i32Rotr,
  clz64: i64Clz,
  ctz64: i64Ctz,
  popcnt64: i64Popcnt,
  rotl64: i64Rotl,
  rotr64: i64Rotr,
  nearest: fNearest,
  f32ConvertI64S,
  f32ConvertI64U,
  canonById,
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
  f64Bits(x: number): bigint {
    sF64[0] = x;
    return sI64[0];
  },
  f64FromBits(bits: bigint): number {
    sI64[0] = bits;
    return sF64[0];
  },
  i32TruncSatS,
  i32TruncSatU,
  i64TruncSatS,
  i64TruncSatU,
};

export type TierHelpers = typeof tierHelpers;
