// How the debugger shows WebAssembly values: integers exact (i64 through BigInt), floats in their
// shortest round-tripping form, NaNs with their payload (`nan:0x200000`), references by name.

import { Value, f32FromBits, f64FromBits } from '../engine/types';

export interface FormatOptions {
  /** Integers in hexadecimal (two's complement of the value's width). */
  hex?: boolean;
}

const F32_CANONICAL_NAN_PAYLOAD = 0x400000;
const F64_CANONICAL_NAN_PAYLOAD = 0x8000000000000n;

/** An integer of `width` bits in hex, two's complement for negatives: `0xffffffff` for i32 -1. */
export function hexInt(value: bigint, width: 32 | 64): string {
  return '0x' + BigInt.asUintN(width, value).toString(16);
}

/** The shortest decimal that reads back to the same f32. */
export function formatF32Number(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '-0';
  for (let precision = 1; precision <= 9; precision++) {
    const text = x.toPrecision(precision);
    if (Math.fround(Number(text)) === x) return String(Number(text));
  }
  return String(x);
}

export function formatF64Number(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '-0';
  return String(x);
}

export function formatF32Bits(bits: number): string {
  const x = f32FromBits(bits);
  if (!Number.isNaN(x)) return formatF32Number(x);
  const sign = bits >>> 31 ? '-' : '';
  const payload = bits & 0x7fffff;
  return payload === F32_CANONICAL_NAN_PAYLOAD ? `${sign}nan` : `${sign}nan:0x${payload.toString(16)}`;
}

export function formatF64Bits(bits: bigint): string {
  const x = f64FromBits(bits);
  if (!Number.isNaN(x)) return formatF64Number(x);
  const sign = bits >> 63n ? '-' : '';
  const payload = bits & 0xfffffffffffffn;
  return payload === F64_CANONICAL_NAN_PAYLOAD ? `${sign}nan` : `${sign}nan:0x${payload.toString(16)}`;
}

/** A function reference's display name: `$name` of the runtime function object when it has one. */
export function formatReference(ref: unknown): string {
  if (ref === null || ref === undefined) return 'null';
  if (typeof ref === 'object' && ref !== null && 'name' in ref) {
    const named = ref as { name?: unknown; instance?: { name?: unknown } | null };
    const inst = named.instance && typeof named.instance.name === 'string' ? named.instance.name + '!' : '';
    if (typeof named.name === 'string' && named.name) return `${inst}${named.name}`;
  }
  if (typeof ref === 'object') return 'ref';
  return String(ref);
}

export function formatValue(v: Value, options: FormatOptions = {}): string {
  switch (v.type) {
    case 'i32':
      return options.hex ? hexInt(BigInt(v.value), 32) : String(v.value);
    case 'i64':
      return options.hex ? hexInt(v.value, 64) : v.value.toString();
    case 'f32':
      return formatF32Bits(v.bits);
    case 'f64':
      return formatF64Bits(v.bits);
    case 'v128':
      return 'i32x4 ' + formatV128Lanes(v.bytes, options);
    case 'funcref':
    case 'externref':
      return formatReference(v.value);
  }
}

function formatV128Lanes(bytes: Uint8Array, options: FormatOptions): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  const lanes: string[] = [];
  for (let i = 0; i < 4; i++) {
    const lane = view.getInt32(i * 4, true);
    lanes.push(options.hex ? hexInt(BigInt(lane), 32) : String(lane));
  }
  return lanes.join(' ');
}
