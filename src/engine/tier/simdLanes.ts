// What the compiled tier's SIMD code (simd.ts) calls at run time: lane arithmetic on one 32-bit word
// of a v128 (four i8 or two i16 lanes), small enough for V8 to inline and allocating nothing, the
// scratch through which float lanes are read from and written back to their bits, and the
// interpreter's own lane functions (../simd.ts) for the instructions translated through them.

import { binaryLanes, laneWords, shiftLanes, ternaryLanes, testLanes, unaryLanes } from '../simd';
import { i32TruncSatS, i32TruncSatU } from '../numeric';

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
  /** Shifts by a count already reduced modulo the lane width. */
  shl8: (x: number, k: number): number => (x << k) & (((0xff << k) & 0xff) * 0x01010101),
  shrU8: (x: number, k: number): number => (x >>> k) & ((0xff >>> k) * 0x01010101),
  shrS8(x: number, k: number): number {
    let r = 0;
    for (let s = 0; s < 32; s += 8) r |= ((((x << (24 - s)) >> 24) >> k) & 0xff) << s;
    return r;
  },
};

export type SimdLanes = typeof simdLanes;
