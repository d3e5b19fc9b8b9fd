// How the debugger shows WebAssembly values: integers exact (i64 through BigInt), floats in their
// shortest round-tripping form, NaNs with their payload (`nan:0x200000`) as the engine's formatter
// writes them, references by name.

import { Exception, formatValue as engineFormatValue, isRefType, type Value } from '../engine/index';
import { gcSummary } from './gcValues';

export interface FormatOptions {
  /** Integers in hexadecimal (two's complement of the value's width). */
  hex?: boolean;
  /** How to name a reference (the debugger names functions `instance!function`). */
  reference?: (ref: unknown) => string;
}

/** An integer of `width` bits in hex, two's complement for negatives: `0xffffffff` for i32 -1. */
export function hexInt(value: bigint, width: 32 | 64): string {
  return '0x' + BigInt.asUintN(width, value).toString(16);
}

/** Bytes as two hex digits each, space-separated: `68 69 00`. */
export function hexBytes(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
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

/** A value as the engine's formatter writes it, but integers in hex on request and references by name. */
export function formatValue(v: Value, options: FormatOptions = {}): string {
  switch (v.type) {
    case 'i32':
      return options.hex ? hexInt(BigInt(v.value), 32) : engineFormatValue(v);
    case 'i64':
      return options.hex ? hexInt(v.value, 64) : engineFormatValue(v);
    case 'funcref':
    case 'externref':
      return (options.reference ?? formatReference)(v.value);
    default:
      if ((v as { value?: unknown }).value instanceof Exception) return formatException((v as { value: Exception }).value, options);
      if (isRefType(v.type)) return gcSummary(v.type, (v as { value: unknown }).value) ?? (options.reference ?? formatReference)((v as { value: unknown }).value);
      return engineFormatValue(v);
  }
}

/** A caught exception: its tag as `instance!tag` and its payload, `math!overflow(i32 7, $point struct (3 fields))`. */
function formatException(exn: Exception, options: FormatOptions): string {
  const payload = exn.payload.map((v) => (isRefType(v.type) ? formatValue(v, options) : `${v.type} ${formatValue(v, options)}`));
  return `${exn.tag.name}(${payload.join(', ')})`;
}
