// How the debugger shows WebAssembly GC values: a struct by its type's name with its fields by
// name (the name section's field names, `field N` without them), an array by its length with its
// elements, an i31 by its value, a null by its type; a caught exception (exnref) has its tag and
// payload as children.

import { Exception, GcArray, GcStruct, HostAsAny, refParts, type DefinedType, type StorageType, type Value } from '../engine/index';

/** `$point` for a type the name section names, else `type 3`. */
export function typeLabel(t: DefinedType): string {
  const name = t.module.names?.types?.get(t.index);
  return name ? `$${name}` : `type ${t.index}`;
}

/** The name of field `i` of a struct type: its own (`x`), else `field 0`. */
export function fieldLabel(t: DefinedType, i: number): string {
  return t.module.names?.fields?.get(t.index)?.get(i) ?? `field ${i}`;
}

/** Whether a reference value has children to show (a struct's fields, an array's elements, an exception's tag and payload). */
export function isGcObject(value: unknown): value is GcStruct | GcArray | Exception {
  return value instanceof GcStruct || value instanceof GcArray || value instanceof Exception;
}

/** A GC reference's one-line summary, or null when `value` is no GC value (functions, host values). */
export function gcSummary(type: string, value: unknown): string | null {
  if (value === null) {
    const p = refParts(type as StorageType);
    return p ? `null (ref null ${typeof p.heap === 'number' ? `type ${p.heap}` : p.heap})` : 'null';
  }
  if (typeof value === 'number') return `i31 ${value}`;
  if (value instanceof GcStruct) return `${typeLabel(value.type)} struct (${value.fields.length} field${value.fields.length === 1 ? '' : 's'})`;
  if (value instanceof GcArray) return `${typeLabel(value.type)} array [${value.length}]`;
  if (value instanceof HostAsAny) return `host ${String(value.value)}`;
  return null;
}

/** A field or element as stored (see engine gcValues.ts) turned into a Value of its storage type. */
export function storedValue(storage: StorageType, stored: unknown): Value {
  switch (storage) {
    case 'i8': case 'i16': case 'i32': return { type: 'i32', value: stored as number };
    case 'f32': return { type: 'f32', bits: (stored as number) >>> 0 };
    case 'i64': return { type: 'i64', value: stored as bigint };
    case 'f64': return { type: 'f64', bits: BigInt.asUintN(64, stored as bigint) };
    case 'v128': return { type: 'v128', bytes: new Uint8Array(Int32Array.from(stored as Int32Array).buffer) };
    default: return { type: storage, value: stored } as Value;
  }
}

/** A Value of a field's or element's type (i32 for packed ones) as the engine stores it: the inverse of `storedValue`. */
export function toStored(storage: StorageType, v: Value): unknown {
  switch (storage) {
    case 'i8': return ((v as { value: number }).value << 24) >> 24;
    case 'i16': return ((v as { value: number }).value << 16) >> 16;
    case 'i32': case 'i64': return (v as { value: number | bigint }).value;
    case 'f32': return (v as { bits: number }).bits | 0;
    case 'f64': return BigInt.asIntN(64, (v as { bits: bigint }).bits);
    case 'v128': return new Int32Array((v as { bytes: Uint8Array }).bytes.slice().buffer);
    default: return (v as { value: unknown }).value;
  }
}

/** Element `i` of an array as stored. */
export function arrayElement(a: GcArray, i: number): unknown {
  const data = a.data as ArrayLike<unknown>;
  if (a.type.types[0] === 'v128') return (a.data as Int32Array).slice(i * 4, i * 4 + 4);
  return data[i];
}

/** The type text of a field or element: `(mut i8)`, `i32`. */
export function storageLabel(storage: StorageType, mutable: boolean): string {
  return mutable ? `(mut ${storage})` : storage;
}

/** Whether field `i` (an array: its elements, i = 0) of a defined type is mutable. */
export function isMutable(t: DefinedType, i: number): boolean {
  const def = t.module.types[t.index];
  if (def.kind === 'struct') return def.fields[i].mutable;
  if (def.kind === 'array') return def.elem.mutable;
  return false;
}
