// Values as the WebAssembly text format spells them, for everything that shows a value to a user:
// the disassembly, the console and spectest host modules, `watdbg run` results, script failures
// and the debugger. Floats print in the shortest decimal that reads back to the same bits, with
// `inf`, `-0` and `nan` (`nan:0x...` when the payload is not the canonical one).

import { formatGcRef } from './gcValues';
import { isRefType } from './refTypes';
import { Value, f32FromBits, f64FromBits } from './types';

/** An f32 given by its bits: `1`, `0.1`, `3.4028235e+38`, `-0`, `-inf`, `nan`, `nan:0x200000`. */
export function formatF32(bits: number): string {
  bits >>>= 0;
  const special = formatSpecial(bits >>> 31 === 1, (bits >>> 23) & 0xff, 0xff, BigInt(bits & 0x7fffff), 0x400000n);
  if (special !== null) return special;
  const value = f32FromBits(bits);
  // Nine significant digits always read back to the same f32; fewer often do.
  for (let precision = 1; precision < 9; precision++) {
    const candidate = Number(value.toPrecision(precision));
    if (Math.fround(candidate) === value) return String(candidate);
  }
  return String(Number(value.toPrecision(9)));
}

/** An f64 given by its bits: `1.5`, `5e-324`, `-0`, `inf`, `nan`, `-nan:0x1`. */
export function formatF64(bits: bigint): string {
  bits = BigInt.asUintN(64, bits);
  const fraction = bits & ((1n << 52n) - 1n);
  const special = formatSpecial(bits >> 63n === 1n, Number((bits >> 52n) & 0x7ffn), 0x7ff, fraction, 1n << 51n);
  // JavaScript prints a double in the shortest decimal that reads back to it.
  return special ?? String(f64FromBits(bits));
}

function formatSpecial(negative: boolean, exponent: number, maxExponent: number, fraction: bigint, canonical: bigint): string | null {
  const sign = negative ? '-' : '';
  if (exponent === maxExponent) {
    if (fraction === 0n) return `${sign}inf`;
    return fraction === canonical ? `${sign}nan` : `${sign}nan:0x${fraction.toString(16)}`;
  }
  if (exponent === 0 && fraction === 0n) return `${sign}0`;
  return null;
}

/** A v128 as four i32 lanes in hex: `i32x4 0x00000001 0x00000002 0x00000003 0x00000004`. */
export function formatV128(bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  const lanes: string[] = [];
  for (let i = 0; i < 4; i++) lanes.push(`0x${view.getUint32(i * 4, true).toString(16).padStart(8, '0')}`);
  return `i32x4 ${lanes.join(' ')}`;
}

/**
 * A value as the text format writes it after its type's `.const` (or as the reference instruction
 * itself): `42`, `-1`, `1.5`, `nan:0x1`, `i32x4 0x...`, `ref.null func`, `ref.func $f`, `ref.extern 7`.
 */
export function formatValue(v: Value): string {
  switch (v.type) {
    case 'i32':
    case 'i64':
      return String(v.value);
    case 'f32':
      return formatF32(v.bits);
    case 'f64':
      return formatF64(v.bits);
    case 'v128':
      return formatV128(v.bytes);
    case 'funcref': {
      if (v.value === null) return 'ref.null func';
      const name = (v.value as { name?: unknown }).name;
      return typeof name === 'string' && name ? `ref.func ${name}` : 'ref.func';
    }
    case 'externref':
      return v.value === null ? 'ref.null extern' : `ref.extern${externLabel(v.value)}`;
    case 'exnref': {
      if (v.value === null) return 'ref.null exn';
      const describe = (v.value as { describe?: () => string }).describe;
      return typeof describe === 'function' ? `ref.exn ${describe.call(v.value)}` : 'ref.exn';
    }
    default:
      return formatGcRef(v.type, v.value);
  }
}

/** ` 7` for a host value that says what it is (a number, a string, an object with its own toString), else nothing. */
function externLabel(value: unknown): string {
  if (typeof value === 'object' && (value as object).toString === Object.prototype.toString) return '';
  if (typeof value === 'function' || typeof value === 'symbol') return '';
  try {
    return ` ${String(value)}`;
  } catch {
    return ''; // a JavaScript value whose toString throws
  }
}

/** A value as the constant instruction that produces it: `(i32.const 42)`, `(f32.const nan:0x1)`, `(ref.null func)`. */
export function formatConst(v: Value): string {
  const text = formatValue(v);
  return isRefType(v.type) ? `(${text})` : `(${v.type}.const ${text})`;
}
