// Whether a reference value may go where a reference type is expected, outside validated code (the
// debugger storing into a local, a global, a field or an element): by its static type, or, within
// one type hierarchy, by the value itself as `ref.cast` would test it (an `anyref` local holding a
// `$point` fits a `(ref null $point)` field).

import { castImmediates } from './gcCompile';
import { hasHeapType } from './gc';
import { asNullable, refParts } from './refTypes';
import { canonById, valTypeMatches } from './typeCanon';
import type { Module, RefType } from './types';

const TOPS: RefType[] = ['anyref', 'funcref', 'externref', 'exnref'];

/**
 * The top of the hierarchy a reference type belongs to: anyref, funcref, externref or exnref.
 * `module` gives the meaning of a type index in it (null: the type names none).
 */
export function hierarchyOf(t: RefType, module: Module | null): RefType {
  const top = TOPS.find((top) => valTypeMatches(asNullable(t), module, top, null));
  if (top === undefined) throw new Error(`${t} belongs to no reference type hierarchy`);
  return top;
}

/**
 * Whether `value`, a reference of static type `from` (type indices of `fromModule`), may be stored
 * where `to` (type indices of `toModule`) is expected.
 */
export function refValueFits(value: unknown, from: RefType, fromModule: Module | null, to: RefType, toModule: Module | null): boolean {
  if (valTypeMatches(from, fromModule, to, toModule)) return true;
  if (hierarchyOf(from, fromModule) !== hierarchyOf(to, toModule)) return false;
  if (value === null) return refParts(to)!.nullable;
  if (toModule === null && typeof refParts(to)!.heap === 'number') return false;
  const [heap, canonId] = castImmediates(toModule!, to);
  return hasHeapType(value, heap, canonId < 0 ? null : canonById(canonId));
}
