// What the compiled tier's SIMD code (simd.ts) calls at run time: lane arithmetic on one 32-bit word
// of a v128 (four i8 or two i16 lanes), small enough for V8 to inline and allocating nothing, the
// scratch through which float lanes are read from and written back to their bits, and the
// interpreter's own lane functions (../simd.ts) for the instructions translated through them.

import { binaryLanes, laneWords, shiftLanes, ternaryLanes, testLanes, unaryLanes } from '../simd';
import { i32TruncSatS, i32TruncSatU } from '../numeric';

const H8 = 0x80808080 | 0;
const L8 = 0x7f7f7f7f;
const H16 = 0x80008000 | 0;
const L16 = 0x7fff7fff;

const sat = (v: number, min: number, max: number): number => (v < min ? min : v > max ? max : v);

/** Floats are read from and written to their bits here: the interpreter's Float32Array/Float64Array rules, so NaN bits match. */
const floatScratch = new ArrayBuffer(16);

export const simdLanes = {
  /** The interpreter's scratch words and lane functions (A at 0, B at 4, C at 8, the result at 12). */
  words: laneWords,
  unary: unaryLanes,
  binary: binaryLanes,
  ternary: ternaryLanes,
  shift: shiftLanes,
  test: testLanes,
  FI: new Int32Array(floatScratch),
  FF: new Float32Array(floatScratch),
  FD: new Float64Array(floatScratch),
  truncSatS: i32TruncSatS,
  truncSatU: i32TruncSatU,

  // Wrapping addition and subtraction: the top bit of each lane is added apart, so no carry crosses lanes.
  add8: (x: number, y: number): number => ((x & L8) + (y & L8)) ^ ((x ^ y) & H8),
  sub8: (x: number, y: number): number => ((x | H8) - (y & L8)) ^ ((x ^ ~y) & H8),
  add16: (x: number, y: number): number => ((x & L16) + (y & L16)) ^ ((x ^ y) & H16),
  sub16: (x: number, y: number): number => ((x | H16) - (y & L16)) ^ ((x ^ ~y) & H16),
  /** Unsigned saturation: the carry (borrow) out of each byte widens to a mask of the byte. */
  addSatU8(x: number, y: number): number {
    const s = simdLanes.add8(x, y);
    const carry = ((x & y) | ((x | y) & ~s)) & H8;
    return s | ((carry >>> 7) * 0xff);
  },
  subSatU8(x: number, y: number): number {
    const d = simdLanes.sub8(x, y);
    const borrow = ((~x & y) | (~(x ^ y) & d)) & H8;
    return d & ~((borrow >>> 7) * 0xff);
  },
  addSatS8(x: number, y: number): number {
    let r = 0;
    for (let s = 0; s < 32; s += 8) r |= (sat(((x << (24 - s)) >> 24) + ((y << (24 - s)) >> 24), -128, 127) & 0xff) << s;
    return r;
  },
  subSatS8(x: number, y: number): number {
    let r = 0;
    for (let s = 0; s < 32; s += 8) r |= (sat(((x << (24 - s)) >> 24) - ((y << (24 - s)) >> 24), -128, 127) & 0xff) << s;
    return r;
  },
  addSatS16: (x: number, y: number): number =>
    (sat(((x << 16) >> 16) + ((y << 16) >> 16), -32768, 32767) & 0xffff) | (sat((x >> 16) + (y >> 16), -32768, 32767) << 16),
  addSatU16: (x: number, y: number): number => sat((x & 0xffff) + (y & 0xffff), 0, 0xffff) | (sat((x >>> 16) + (y >>> 16), 0, 0xffff) << 16),
  subSatS16: (x: number, y: number): number =>
    (sat(((x << 16) >> 16) - ((y << 16) >> 16), -32768, 32767) & 0xffff) | (sat((x >> 16) - (y >> 16), -32768, 32767) << 16),
  subSatU16: (x: number, y: number): number => sat((x & 0xffff) - (y & 0xffff), 0, 0xffff) | (sat((x >>> 16) - (y >>> 16), 0, 0xffff) << 16),
  mul16: (x: number, y: number): number => (Math.imul(x, y) & 0xffff) | (Math.imul(x >>> 16, y >>> 16) << 16),
  /** Rounding averages: (x | y) - ((x ^ y) >> 1) per lane, which never borrows from the next lane. */
  avgr8: (x: number, y: number): number => (x | y) - (((x ^ y) >>> 1) & L8),
  avgr16: (x: number, y: number): number => (x | y) - (((x ^ y) >>> 1) & L16),
  minU8(x: number, y: number): number {
    let r = 0;
    for (let s = 0; s < 32; s += 8) r |= Math.min((x >>> s) & 0xff, (y >>> s) & 0xff) << s;
    return r;
  },
  maxU8(x: number, y: number): number {
    let r = 0;
    for (let s = 0; s < 32; s += 8) r |= Math.max((x >>> s) & 0xff, (y >>> s) & 0xff) << s;
    return r;
  },
  minS8(x: number, y: number): number {
    let r = 0;
    for (let s = 0; s < 32; s += 8) r |= (Math.min((x << (24 - s)) >> 24, (y << (24 - s)) >> 24) & 0xff) << s;
    return r;
  },
  maxS8(x: number, y: number): number {
    let r = 0;
    for (let s = 0; s < 32; s += 8) r |= (Math.max((x << (24 - s)) >> 24, (y << (24 - s)) >> 24) & 0xff) << s;
    return r;
  },
  minU16: (x: number, y: number): number => Math.min(x & 0xffff, y & 0xffff) | (Math.min(x >>> 16, y >>> 16) << 16),
  maxU16: (x: number, y: number): number => Math.max(x & 0xffff, y & 0xffff) | (Math.max(x >>> 16, y >>> 16) << 16),
  minS16: (x: number, y: number): number => (Math.min((x << 16) >> 16, (y << 16) >> 16) & 0xffff) | (Math.min(x >> 16, y >> 16) << 16),
  maxS16: (x: number, y: number): number => (Math.max((x << 16) >> 16, (y << 16) >> 16) & 0xffff) | (Math.max(x >> 16, y >> 16) << 16),
  /** Lane equality as all-ones or zero lanes. */
  eq8(x: number, y: number): number {
    let r = 0;
    for (let s = 0; s < 32; s += 8) if ((((x ^ y) >>> s) & 0xff) === 0) r |= 0xff << s;
    return r;
  },
  eq16: (x: number, y: number): number => (((x ^ y) & 0xffff) === 0 ? 0xffff : 0) | (((x ^ y) >>> 16) === 0 ? -65536 : 0),
  /** Shifts by a count already reduced modulo the lane width. */
  shl8: (x: number, k: number): number => (x << k) & (((0xff << k) & 0xff) * 0x01010101),
  shrU8: (x: number, k: number): number => (x >>> k) & ((0xff >>> k) * 0x01010101),
  shrS8(x: number, k: number): number {
    let r = 0;
    for (let s = 0; s < 32; s += 8) r |= ((((x << (24 - s)) >> 24) >> k) & 0xff) << s;
    return r;
  },
  shl16: (x: number, k: number): number => (((x & 0xffff) << k) & 0xffff) | ((x >>> 16) << (16 + k)),
  shrU16: (x: number, k: number): number => ((x & 0xffff) >>> k) | (((x >>> 16) >>> k) << 16),
  shrS16: (x: number, k: number): number => ((((x << 16) >> 16) >> k) & 0xffff) | (((x >> 16) >> k) << 16),
  /** Two bytes (the low 16 bits of `x`) widened to two i16 lanes. */
  extend8s: (x: number): number => (((x << 24) >> 24) & 0xffff) | (((x << 16) >> 24) << 16),
  extend8u: (x: number): number => (x & 0xff) | ((x & 0xff00) << 8),
  /** The four i16 lanes of words x, y narrowed to four bytes with saturation. */
  narrow8s: (x: number, y: number): number =>
    (sat((x << 16) >> 16, -128, 127) & 0xff) | ((sat(x >> 16, -128, 127) & 0xff) << 8)
    | ((sat((y << 16) >> 16, -128, 127) & 0xff) << 16) | (sat(y >> 16, -128, 127) << 24),
  narrow8u: (x: number, y: number): number =>
    sat((x << 16) >> 16, 0, 255) | (sat(x >> 16, 0, 255) << 8) | (sat((y << 16) >> 16, 0, 255) << 16) | (sat(y >> 16, 0, 255) << 24),
  /** Two i32 lanes narrowed to two i16 lanes with saturation. */
  narrow16s: (x: number, y: number): number => (sat(x, -32768, 32767) & 0xffff) | (sat(y, -32768, 32767) << 16),
  narrow16u: (x: number, y: number): number => sat(x, 0, 0xffff) | (sat(y, 0, 0xffff) << 16),
};

export type SimdLanes = typeof simdLanes;
