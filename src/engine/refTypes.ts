// Reference types as the decoder spells them (types.ts `RefType`): building, reading and naming
// them. Shorthands stand for the nullable abstract types, so each type has one spelling.

import type { AbsHeapType, HeapType, RefType, StorageType, ValType } from './types';

export const ABSTRACT_HEAP_TYPES: readonly AbsHeapType[] = ['any', 'eq', 'i31', 'struct', 'array', 'none', 'func', 'nofunc', 'extern', 'noextern', 'exn', 'noexn'];

const SHORTHAND: Record<AbsHeapType, RefType> = {
  any: 'anyref', eq: 'eqref', i31: 'i31ref', struct: 'structref', array: 'arrayref', none: 'nullref',
  func: 'funcref', nofunc: 'nullfuncref', extern: 'externref', noextern: 'nullexternref', exn: 'exnref', noexn: 'nullexnref',
};
const FROM_SHORTHAND = new Map<string, AbsHeapType>(Object.entries(SHORTHAND).map(([h, s]) => [s, h as AbsHeapType]));

/** The reference type `(ref null? heap)` in its one spelling. */
export function refType(heap: HeapType, nullable: boolean): RefType {
  if (nullable && typeof heap === 'string') return SHORTHAND[heap];
  return `(ref ${nullable ? 'null ' : ''}${heap})`;
}

export interface RefParts {
  nullable: boolean;
  heap: HeapType;
}

const partsCache = new Map<string, RefParts>();

/** The nullability and heap type of a reference type; null for a number, vector or packed type. */
export function refParts(t: StorageType): RefParts | null {
  const cached = partsCache.get(t);
  if (cached) return cached;
  let parts: RefParts | null = null;
  const short = FROM_SHORTHAND.get(t);
  if (short) parts = { nullable: true, heap: short };
  else if (t.startsWith('(ref ')) {
    const body = t.slice(5, -1);
    const nullable = body.startsWith('null ');
    const h = nullable ? body.slice(5) : body;
    parts = { nullable, heap: /^\d+$/.test(h) ? Number(h) : (h as AbsHeapType) };
  }
  if (parts) partsCache.set(t, parts);
  return parts;
}

export function isRefType(t: StorageType): t is RefType {
  return refParts(t) !== null;
}

/** Whether a value of this type needs no initialisation (numbers, vectors and nullable references). */
export function isDefaultableType(t: ValType): boolean {
  const p = refParts(t);
  return p === null || p.nullable;
}

/** The same reference type made nullable (`(ref 3)` -> `(ref null 3)`). */
export function asNullable(t: RefType): RefType {
  const p = refParts(t)!;
  return refType(p.heap, true);
}
