// Heap values of WebAssembly GC as the engine keeps them in reference slots: structs and arrays
// that know their defined type (so the debugger finds their field names), i31 references as plain
// JavaScript numbers, and the wrappers `any.convert_extern` / `extern.convert_any` make.

import type { CanonType } from './typeCanon';
import type { Module, StorageType } from './types';
import { isRefType } from './refTypes';

/** How a field or element is stored; also selects the typed array of an array's elements. */
export const enum Storage {
  I32,
  I64,
  F32,
  F64,
  V128,
  Ref,
  I8,
  I16,
}

export function storageOf(t: StorageType): Storage {
  switch (t) {
    case 'i32': return Storage.I32;
    case 'i64': return Storage.I64;
    case 'f32': return Storage.F32;
    case 'f64': return Storage.F64;
    case 'v128': return Storage.V128;
    case 'i8': return Storage.I8;
    case 'i16': return Storage.I16;
  }
  if (!isRefType(t)) throw new Error(`unknown storage type ${t}`);
  return Storage.Ref;
}

/**
 * A struct or array type as one module defines it: its canonical type (what casts compare) and
 * the module and index it was named by (what the debugger reads field names from).
 */
export class DefinedType {
  constructor(
    readonly canon: CanonType,
    readonly module: Module,
    readonly index: number,
    /** Each field's storage (an array type: its element's). */
    readonly storage: Storage[],
    readonly types: StorageType[],
  ) {}
}

export class GcStruct {
  constructor(
    readonly type: DefinedType,
    /** i32/f32 (bits)/i8/i16 as numbers, i64/f64 (bits) as signed bigints, v128 as 4 Int32 words, references as they are. */
    readonly fields: unknown[],
  ) {}
}

export type ArrayData = Int8Array | Int16Array | Int32Array | BigInt64Array | unknown[];

export class GcArray {
  constructor(
    readonly type: DefinedType,
    /** The elements in a typed array by storage (f32 as bits, v128 as 4 words each), references in a plain array. */
    readonly data: ArrayData,
    readonly length: number,
  ) {}
}

/** The element storage for `n` elements of `storage`, filled with the default value. */
export function newArrayData(storage: Storage, n: number): ArrayData {
  switch (storage) {
    case Storage.I8: return new Int8Array(n);
    case Storage.I16: return new Int16Array(n);
    case Storage.I32: case Storage.F32: return new Int32Array(n);
    case Storage.I64: case Storage.F64: return new BigInt64Array(n);
    case Storage.V128: return new Int32Array(n * 4);
    case Storage.Ref: return new Array<unknown>(n).fill(null);
  }
}

/** A host (extern) value seen as `anyref` (from `any.convert_extern`). */
export class HostAsAny {
  constructor(readonly value: unknown) {}
}

/** An `anyref` value seen as `externref` (from `extern.convert_any`). */
export class AnyAsExtern {
  constructor(readonly value: unknown) {}
}

export function internalize(extern: unknown): unknown {
  if (extern === null) return null;
  return extern instanceof AnyAsExtern ? extern.value : new HostAsAny(extern);
}

export function externalize(any: unknown): unknown {
  if (any === null) return null;
  return any instanceof HostAsAny ? any.value : new AnyAsExtern(any);
}

/** A reference value in the words of the spec's result patterns: `ref.struct`, `ref.i31 7`, `ref.null`. */
export function formatGcRef(type: string, value: unknown): string {
  if (value === null) return `ref.null ${type}`;
  if (typeof value === 'number') return `ref.i31 ${value}`;
  if (value instanceof GcStruct) return 'ref.struct';
  if (value instanceof GcArray) return 'ref.array';
  if (value instanceof HostAsAny) return `ref.host`;
  if (value instanceof AnyAsExtern) return 'ref.extern';
  const name = (value as { name?: unknown }).name;
  return typeof name === 'string' ? `ref.func ${name}` : 'ref';
}
