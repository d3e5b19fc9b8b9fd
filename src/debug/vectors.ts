// How the debugger reads and writes v128 values: the lane shapes a vector is shown in (signed
// and unsigned where it matters), one lane as an expression value, a lane replaced, and a v128
// written as the text format does (`i32x4 1 2 3 4`).

import { formatF32, formatF64 } from '../engine/index';
import { LiteralError, parseF32, parseF64, parseIntLane } from '../text/literals';
import { laneBytes, type V128Shape } from '../text/wast';

/** A way to read a v128's lanes: the text shape plus how each lane's bits are taken. */
export type LaneShape = 'i8x16' | 'u8x16' | 'i16x8' | 'u16x8' | 'i32x4' | 'u32x4' | 'i64x2' | 'u64x2' | 'f32x4' | 'f64x2';

interface ShapeInfo {
  count: number;
  bits: 8 | 16 | 32 | 64;
  kind: 'signed' | 'unsigned' | 'float';
  /** The text format's shape with the same lanes (u8x16 is written i8x16). */
  text: V128Shape;
}

export const LANE_SHAPES: Record<LaneShape, ShapeInfo> = {
  i8x16: { count: 16, bits: 8, kind: 'signed', text: 'i8x16' },
  u8x16: { count: 16, bits: 8, kind: 'unsigned', text: 'i8x16' },
  i16x8: { count: 8, bits: 16, kind: 'signed', text: 'i16x8' },
  u16x8: { count: 8, bits: 16, kind: 'unsigned', text: 'i16x8' },
  i32x4: { count: 4, bits: 32, kind: 'signed', text: 'i32x4' },
  u32x4: { count: 4, bits: 32, kind: 'unsigned', text: 'i32x4' },
  i64x2: { count: 2, bits: 64, kind: 'signed', text: 'i64x2' },
  u64x2: { count: 2, bits: 64, kind: 'unsigned', text: 'i64x2' },
  f32x4: { count: 4, bits: 32, kind: 'float', text: 'f32x4' },
  f64x2: { count: 2, bits: 64, kind: 'float', text: 'f64x2' },
};

export function isLaneShape(word: string): word is LaneShape {
  return Object.prototype.hasOwnProperty.call(LANE_SHAPES, word);
}

/** The unsigned bits of lane `index` (checked by the caller). */
export function laneBits(bytes: Uint8Array, shape: LaneShape, index: number): bigint {
  const size = LANE_SHAPES[shape].bits / 8;
  let bits = 0n;
  for (let b = size - 1; b >= 0; b--) bits = (bits << 8n) | BigInt(bytes[index * size + b]);
  return bits;
}

/** A copy of `bytes` with lane `index` set to the low bits of `bits`. */
export function withLane(bytes: Uint8Array, shape: LaneShape, index: number, bits: bigint): Uint8Array {
  const size = LANE_SHAPES[shape].bits / 8;
  const out = bytes.slice();
  for (let b = 0; b < size; b++) out[index * size + b] = Number((bits >> BigInt(8 * b)) & 0xffn);
  return out;
}

/** One lane as text: integers in decimal (hex on request, of the lane's width), floats as the text format writes them. */
export function formatLane(bytes: Uint8Array, shape: LaneShape, index: number, hex = false): string {
  const { bits: width, kind } = LANE_SHAPES[shape];
  const bits = laneBits(bytes, shape, index);
  if (kind === 'float') return width === 32 ? formatF32(Number(bits)) : formatF64(bits);
  if (hex) return '0x' + bits.toString(16);
  return String(kind === 'signed' ? BigInt.asIntN(width, bits) : bits);
}

/** The whole vector in one shape, as the text format writes it: `i32x4 1 -2 3 4`. */
export function formatShape(bytes: Uint8Array, shape: LaneShape, hex = false): string {
  const lanes = Array.from({ length: LANE_SHAPES[shape].count }, (_, i) => formatLane(bytes, shape, i, hex));
  return `${shape} ${lanes.join(' ')}`;
}

/** Lane bits from the text of one lane literal (`-1`, `0xff`, `1.5`, `nan:0x1`), as the text format reads it. */
export function parseLane(shape: LaneShape, text: string): bigint {
  const { bits, kind } = LANE_SHAPES[shape];
  if (kind === 'float') return bits === 32 ? BigInt(parseF32(text)) : parseF64(text);
  return parseIntLane(text, bits);
}

/** A v128 from its shape and lane literals; throws LiteralError naming the bad lane. */
export function parseVector(shape: LaneShape, lanes: string[]): Uint8Array {
  const { count, text } = LANE_SHAPES[shape];
  if (lanes.length !== count) throw new LiteralError(`${shape} needs ${count} lanes, got ${lanes.length}`);
  return laneBytes(text, lanes.map((l) => parseLane(shape, l)));
}

/** The shapes the Variables view lists under a vector: every one, signed before unsigned. */
export const SHOWN_SHAPES: LaneShape[] = ['i8x16', 'u8x16', 'i16x8', 'u16x8', 'i32x4', 'u32x4', 'i64x2', 'u64x2', 'f32x4', 'f64x2'];

/** The type a lane shows: `i32`, `u8`, `f64`... */
export function laneTypeName(shape: LaneShape): string {
  const { bits, kind } = LANE_SHAPES[shape];
  return `${kind === 'unsigned' ? 'u' : kind === 'float' ? 'f' : 'i'}${bits}`;
}
