// Iso-recursive type equivalence: every recursion group of every module is described by a key in
// which references to types of the same group are relative (`r0`, `r1`, ...) and references to
// earlier types name their canonical type (`c17`). Equal keys mean equivalent groups, so each
// defined type maps to one shared `CanonType`, across modules. Casts and call_indirect compare
// canonical types and walk their canonical supertype chains.

import { refParts } from './refTypes';
import type { CompositeType, DefType, FieldType, FuncType, Module, StorageType } from './types';

export class CanonType {
  /** The supertypes from the root down to this type itself: `chain[depth] === this`. */
  readonly chain: CanonType[];
  readonly depth: number;

  constructor(
    readonly id: number,
    readonly kind: 'func' | 'struct' | 'array',
    readonly final: boolean,
    readonly parent: CanonType | null,
    /** The module and type index it was first defined by (its composite type's indices are that module's). */
    readonly module: Module | null,
    readonly index: number,
    readonly def: DefType,
  ) {
    this.chain = parent === null ? [this] : [...parent.chain, this];
    this.depth = this.chain.length - 1;
  }

  /** Whether this type is `other` or declares it as a (transitive) supertype. */
  isSubOf(other: CanonType): boolean {
    return this === other || (other.depth < this.depth && this.chain[other.depth] === other);
  }
}

const groups = new Map<string, CanonType[]>();
const byId: CanonType[] = [];
const perModule = new WeakMap<Module, CanonType[]>();

/** The canonical type of id `id` (as compiled code names them). */
export function canonById(id: number): CanonType {
  return byId[id];
}

function kindOf(t: CompositeType): 'func' | 'struct' | 'array' {
  return t.kind ?? 'func';
}

/**
 * The canonical type of each type index of `module`. The module's type section must be valid as
 * far as indices go: every concrete reference inside a group points into the group or before it,
 * and every supertype before the type (the validator checks this first).
 */
export function canonicalTypes(module: Module): CanonType[] {
  let out = perModule.get(module);
  if (out) return out;
  out = [];
  const types = module.types;
  for (let start = 0; start < types.length; ) {
    const size = types[start].recSize ?? 1;
    const key = groupKey(types, start, size, out);
    let group = groups.get(key);
    if (!group) {
      group = [];
      for (let k = 0; k < size; k++) {
        const def = types[start + k];
        const sup = def.supers?.[0];
        // A supertype is before the type: in an earlier group (canonical already) or earlier in this one.
        const parent = sup === undefined ? null : sup < start ? out[sup] : group[sup - start];
        const t = new CanonType(byId.length, kindOf(def), def.final ?? true, parent ?? null, module, start + k, def);
        byId.push(t);
        group.push(t);
      }
      groups.set(key, group);
    }
    out.push(...group);
    start += size;
  }
  perModule.set(module, out);
  return out;
}

function groupKey(types: DefType[], start: number, size: number, canon: CanonType[]): string {
  const ref = (x: number) => (x >= start && x < start + size ? `r${x - start}` : x < start ? `c${canon[x].id}` : `?${x}`);
  const storage = (t: StorageType) => {
    const p = refParts(t);
    if (p === null || typeof p.heap === 'string') return t;
    return `(ref ${p.nullable ? 'null ' : ''}${ref(p.heap)})`;
  };
  const field = (f: FieldType) => `${f.mutable ? 'mut ' : ''}${storage(f.type)}`;
  const parts: string[] = [];
  for (let k = 0; k < size; k++) {
    const t = types[start + k];
    const head = `${t.final ?? true ? 'final' : 'sub'}(${(t.supers ?? []).map(ref).join(' ')})`;
    let body: string;
    if (t.kind === 'struct') body = `struct(${t.fields.map(field).join(',')})`;
    else if (t.kind === 'array') body = `array(${field(t.elem)})`;
    else body = `func(${t.params.map(storage).join(',')})->(${t.results.map(storage).join(',')})`;
    parts.push(head + body);
  }
  return parts.join(';');
}

const hostTypes = new Map<string, CanonType>();

/**
 * The canonical type of a host function's type, a final function type alone in its group (as a
 * module's `(type (func ...))` is). Host function types name no type indices.
 */
export function canonOfHostFuncType(type: FuncType): CanonType {
  const key = `final()func(${type.params.join(',')})->(${type.results.join(',')})`;
  let t = hostTypes.get(key);
  if (t === undefined) {
    let group = groups.get(key);
    if (!group) {
      group = [new CanonType(byId.length, 'func', true, null, null, -1, { params: type.params, results: type.results })];
      byId.push(group[0]);
      groups.set(key, group);
    }
    t = group[0];
    hostTypes.set(key, t);
  }
  return t;
}

const ABSTRACT_TOP: Record<string, string> = {
  any: 'any', eq: 'any', i31: 'any', struct: 'any', array: 'any', none: 'any',
  func: 'func', nofunc: 'func', extern: 'extern', noextern: 'extern', exn: 'exn', noexn: 'exn',
};
const BOTTOMS = new Set(['none', 'nofunc', 'noextern', 'noexn']);

/** A heap type with concrete ones made canonical, so types of different modules compare. */
type CanonHeap = string | CanonType;

function canonHeap(heap: string | number, module: Module | null): CanonHeap {
  if (typeof heap === 'string') return heap;
  if (module === null) throw new Error(`type index ${heap} without a module`);
  return canonicalTypes(module)[heap];
}

function topOf(h: CanonHeap): string {
  return typeof h === 'string' ? ABSTRACT_TOP[h] : h.kind === 'func' ? 'func' : 'any';
}

function heapSub(a: CanonHeap, e: CanonHeap): boolean {
  if (a === e) return true;
  if (topOf(a) !== topOf(e)) return false;
  if (typeof e === 'string' && e === topOf(e)) return true;
  if (typeof a === 'string' && BOTTOMS.has(a)) return true;
  if (typeof e === 'string' && BOTTOMS.has(e)) return false;
  if (typeof a === 'string') return e === 'eq' && (a === 'i31' || a === 'struct' || a === 'array');
  if (typeof e === 'string') return e === 'eq' ? a.kind !== 'func' : e === a.kind;
  return a.isSubOf(e);
}

/**
 * Whether a value type `a` of module `aModule` matches `e` of module `eModule` (subtyping across
 * modules, by canonical types). A module is needed only for types that name a type index.
 */
export function valTypeMatches(a: StorageType, aModule: Module | null, e: StorageType, eModule: Module | null): boolean {
  const pa = refParts(a);
  const pe = refParts(e);
  if (pa === null || pe === null) return a === e;
  if (pa.nullable && !pe.nullable) return false;
  return heapSub(canonHeap(pa.heap, aModule), canonHeap(pe.heap, eModule));
}
