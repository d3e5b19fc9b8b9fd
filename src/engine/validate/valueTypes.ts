// Value types as the validator sees them: small integers, so the operand stack is an Int32Array and
// checking an operand is an integer compare. Built for WebAssembly 3.0's type system (reference
// types with a heap type and nullability, subtyping, the bottom type of unreachable code); the
// decoded module's 2.0 types are mapped in at the boundary (`fromValType`).

import { refParts } from '../refTypes';
import type { StorageType, ValType } from '../types';

/** The "unknown" operand of unreachable code: it matches every type. */
export const BOT = 0;
export const I32 = 1;
export const I64 = 2;
export const F32 = 3;
export const F64 = 4;
export const V128 = 5;

/** A reference type is REF | (NULLABLE when it admits null) | its heap type. */
export const REF = 1 << 24;
export const NULLABLE = 1 << 23;
const HEAP_MASK = NULLABLE - 1;

// Abstract heap types. Concrete ones (a type index) are CONCRETE + index.
export const HEAP_ANY = 1;
export const HEAP_EQ = 2;
export const HEAP_I31 = 3;
export const HEAP_STRUCT = 4;
export const HEAP_ARRAY = 5;
export const HEAP_NONE = 6;
export const HEAP_FUNC = 7;
export const HEAP_NOFUNC = 8;
export const HEAP_EXTERN = 9;
export const HEAP_NOEXTERN = 10;
export const HEAP_EXN = 11;
export const HEAP_NOEXN = 12;
/** The bottom heap type (of `ref.as_non_null` on an unknown operand, say): below every heap type. */
export const HEAP_BOT = 13;
export const CONCRETE = 16;

export const FUNCREF = REF | NULLABLE | HEAP_FUNC;
export const EXTERNREF = REF | NULLABLE | HEAP_EXTERN;
export const EXNREF = REF | NULLABLE | HEAP_EXN;

export function refOf(heap: number, nullable: boolean): number {
  return REF | (nullable ? NULLABLE : 0) | heap;
}

export function isRef(t: number): boolean {
  return (t & REF) !== 0;
}

export function heapOf(t: number): number {
  return t & HEAP_MASK;
}

/** What a concrete type index defines. */
export const enum DefKind {
  Func,
  Struct,
  Array,
}

/** The module's defined types as subtyping needs them. */
export interface TypeSpace {
  kindOf(index: number): DefKind;
  /** The declared direct supertype of a type index, or -1. */
  superOf(index: number): number;
  /** Whether two type indices denote the same type (iso-recursive equivalence). */
  same(a: number, b: number): boolean;
}

/** The top of the hierarchy a heap type belongs to (any, func, extern or exn). */
function topOf(heap: number, types: TypeSpace): number {
  if (heap >= CONCRETE) return types.kindOf(heap - CONCRETE) === DefKind.Func ? HEAP_FUNC : HEAP_ANY;
  switch (heap) {
    case HEAP_FUNC:
    case HEAP_NOFUNC:
      return HEAP_FUNC;
    case HEAP_EXTERN:
    case HEAP_NOEXTERN:
      return HEAP_EXTERN;
    case HEAP_EXN:
    case HEAP_NOEXN:
      return HEAP_EXN;
    default:
      return HEAP_ANY;
  }
}

function isBottomHeap(heap: number): boolean {
  return heap === HEAP_NONE || heap === HEAP_NOFUNC || heap === HEAP_NOEXTERN || heap === HEAP_NOEXN || heap === HEAP_BOT;
}

/** Whether heap type `a` is a subtype of heap type `e`. */
export function heapMatches(a: number, e: number, types: TypeSpace): boolean {
  if (a === e || a === HEAP_BOT) return true;
  if (topOf(a, types) !== topOf(e, types)) return false;
  if (e === HEAP_ANY || e === HEAP_FUNC || e === HEAP_EXTERN || e === HEAP_EXN) return true;
  if (isBottomHeap(a)) return true;
  if (isBottomHeap(e)) return false;
  if (a < CONCRETE) {
    // Abstract below any: eq above i31, struct and array.
    return e === HEAP_EQ && (a === HEAP_I31 || a === HEAP_STRUCT || a === HEAP_ARRAY);
  }
  const kind = types.kindOf(a - CONCRETE);
  if (e < CONCRETE) {
    if (e === HEAP_EQ) return kind !== DefKind.Func;
    if (e === HEAP_STRUCT) return kind === DefKind.Struct;
    if (e === HEAP_ARRAY) return kind === DefKind.Array;
    return false;
  }
  for (let t = a - CONCRETE; t >= 0; t = types.superOf(t)) if (types.same(t, e - CONCRETE)) return true;
  return false;
}

/** Whether a value of type `actual` can be used where `expected` is required. */
export function matches(actual: number, expected: number, types: TypeSpace): boolean {
  if (actual === expected || actual === BOT) return true;
  if (!isRef(actual) || !isRef(expected)) return false;
  if (actual === REF_BOT) return true;
  if ((actual & NULLABLE) !== 0 && (expected & NULLABLE) === 0) return false;
  return heapMatches(heapOf(actual), heapOf(expected), types);
}

/** Whether a local of this type needs no initialization (it has a default value). */
export function isDefaultable(t: number): boolean {
  return !isRef(t) || (t & NULLABLE) !== 0;
}

/** The bottom reference type (of `ref.as_non_null` on an unknown operand). */
export const REF_BOT = REF | HEAP_BOT;

/** Packed storage types of fields and elements (never on the operand stack). */
export const I8 = 6;
export const I16 = 7;

const HEAP_CODES: Record<string, number> = {
  any: HEAP_ANY, eq: HEAP_EQ, i31: HEAP_I31, struct: HEAP_STRUCT, array: HEAP_ARRAY, none: HEAP_NONE,
  func: HEAP_FUNC, nofunc: HEAP_NOFUNC, extern: HEAP_EXTERN, noextern: HEAP_NOEXTERN, exn: HEAP_EXN, noexn: HEAP_NOEXN,
};

/** The decoder's value (or storage) type in the validator's encoding. */
export function fromValType(t: ValType | StorageType): number {
  switch (t) {
    case 'i32': return I32;
    case 'i64': return I64;
    case 'f32': return F32;
    case 'f64': return F64;
    case 'v128': return V128;
    case 'i8': return I8;
    case 'i16': return I16;
    case 'funcref': return FUNCREF;
    case 'externref': return EXTERNREF;
    case 'exnref': return EXNREF;
  }
  const p = refParts(t)!;
  return refOf(typeof p.heap === 'number' ? CONCRETE + p.heap : HEAP_CODES[p.heap], p.nullable);
}

/** The type a field or element of storage type `t` has on the operand stack (packed ones are i32). */
export function unpacked(t: number): number {
  return t === I8 || t === I16 ? I32 : t;
}

const HEAP_NAMES = ['', 'any', 'eq', 'i31', 'struct', 'array', 'none', 'func', 'nofunc', 'extern', 'noextern', 'exn', 'noexn', 'bot'];
const SHORTHANDS: Record<number, string> = { [HEAP_FUNC]: 'funcref', [HEAP_EXTERN]: 'externref', [HEAP_ANY]: 'anyref', [HEAP_EQ]: 'eqref', [HEAP_I31]: 'i31ref', [HEAP_STRUCT]: 'structref', [HEAP_ARRAY]: 'arrayref', [HEAP_NONE]: 'nullref', [HEAP_NOFUNC]: 'nullfuncref', [HEAP_NOEXTERN]: 'nullexternref', [HEAP_EXN]: 'exnref', [HEAP_NOEXN]: 'nullexnref' };

/** A type in the text format's words, for messages. */
export function typeName(t: number): string {
  switch (t) {
    case BOT: return '(unknown)';
    case I32: return 'i32';
    case I64: return 'i64';
    case F32: return 'f32';
    case F64: return 'f64';
    case V128: return 'v128';
    case I8: return 'i8';
    case I16: return 'i16';
  }
  const heap = heapOf(t);
  if ((t & NULLABLE) !== 0 && SHORTHANDS[heap]) return SHORTHANDS[heap];
  const heapName = heap >= CONCRETE ? String(heap - CONCRETE) : HEAP_NAMES[heap];
  return `(ref ${(t & NULLABLE) !== 0 ? 'null ' : ''}${heapName})`;
}

/** A list of types as in the specification's messages: `[i32 i64]`. */
export function typesName(ts: ArrayLike<number>, from = 0, to = ts.length): string {
  const names: string[] = [];
  for (let i = from; i < to; i++) names.push(typeName(ts[i]));
  return `[${names.join(' ')}]`;
}
