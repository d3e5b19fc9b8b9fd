// Types in the text format: value types, heap and reference types (with their shorthands),
// function/struct/array types, limits and the types of tables, memories and globals.

import { Cursor } from './cursor';
import type { CompType, GlobalType, HeapType, Limits, Param, StorageType, TableType, ValType } from './ast';

export const NUM_TYPES: Record<string, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

export const ABSTRACT_HEAP_TYPES: Record<string, number> = {
  noexn: 0x74,
  nofunc: 0x73,
  noextern: 0x72,
  none: 0x71,
  func: 0x70,
  extern: 0x6f,
  any: 0x6e,
  eq: 0x6d,
  i31: 0x6c,
  struct: 0x6b,
  array: 0x6a,
  exn: 0x69,
};

/** `funcref` and friends: nullable references to an abstract heap type. */
const REF_SHORTHANDS: Record<string, string> = {
  funcref: 'func',
  externref: 'extern',
  anyref: 'any',
  eqref: 'eq',
  i31ref: 'i31',
  structref: 'struct',
  arrayref: 'array',
  exnref: 'exn',
  nullref: 'none',
  nullfuncref: 'nofunc',
  nullexternref: 'noextern',
  nullexnref: 'noexn',
};

export function isValTypeStart(c: Cursor): boolean {
  const k = c.peekKeyword();
  return (k !== null && (k in NUM_TYPES || k in REF_SHORTHANDS)) || c.peekHead() === 'ref';
}

export function heapType(c: Cursor): HeapType {
  const t = c.peekAtom();
  if (t && t.kind === 'keyword' && t.text in ABSTRACT_HEAP_TYPES) {
    c.i++;
    return { code: ABSTRACT_HEAP_TYPES[t.text] };
  }
  if (t && (t.kind === 'id' || t.kind === 'number')) {
    c.i++;
    return { ref: t };
  }
  return c.unexpected('a heap type');
}

/** A reference type: a shorthand keyword or `(ref null? heaptype)`. */
export function refType(c: Cursor): ValType {
  const k = c.peekKeyword();
  if (k !== null && k in REF_SHORTHANDS) {
    c.i++;
    return { nullable: true, heap: { code: ABSTRACT_HEAP_TYPES[REF_SHORTHANDS[k]] } };
  }
  if (c.peekHead() !== 'ref') c.unexpected('a reference type');
  const r = c.list('ref');
  const nullable = r.keyword('null');
  const heap = heapType(r);
  r.end();
  return { nullable, heap };
}

export function valType(c: Cursor): ValType {
  const k = c.peekKeyword();
  if (k !== null && k in NUM_TYPES) {
    c.i++;
    return { num: NUM_TYPES[k] };
  }
  if (!isValTypeStart(c)) c.unexpected('a value type');
  return refType(c);
}

function storageType(c: Cursor): StorageType {
  if (c.keyword('i8')) return { packed: 0x78 };
  if (c.keyword('i16')) return { packed: 0x77 };
  return valType(c);
}

/** `storagetype` or `(mut storagetype)`. */
function fieldType(c: Cursor): { type: StorageType; mutable: boolean } {
  const m = c.maybeList('mut');
  if (!m) return { type: storageType(c), mutable: false };
  const type = storageType(m);
  m.end();
  return { type, mutable: true };
}

/** `(param $x t)` or `(param t*)` lists, appended to `into`; the same for results without ids. */
export function params(c: Cursor, into: Param[], allowIds: boolean): void {
  while (c.peekHead() === 'param') {
    const p = c.list('param');
    const id = p.id();
    if (id) {
      if (!allowIds) p.fail(id.start, 'unexpected token: a parameter here cannot have a name');
      into.push({ id, type: valType(p) });
      p.end();
      continue;
    }
    while (!p.atEnd()) into.push({ id: null, type: valType(p) });
  }
}

export function results(c: Cursor, into: ValType[]): void {
  while (c.peekHead() === 'result') {
    const r = c.list('result');
    while (!r.atEnd()) into.push(valType(r));
  }
}

/** The composite type inside `(type $t ...)` or `(sub ...)`: `(func ...)`, `(struct ...)`, `(array ...)`. */
export function compType(c: Cursor): CompType {
  const head = c.peekHead();
  if (head === 'func') {
    const f = c.list('func');
    const ps: Param[] = [];
    params(f, ps, true);
    const rs: ValType[] = [];
    results(f, rs);
    f.end();
    return { kind: 'func', params: ps, results: rs };
  }
  if (head === 'struct') {
    const s = c.list('struct');
    const fields: { id: ReturnType<Cursor['id']>; type: StorageType; mutable: boolean }[] = [];
    while (s.peekHead() === 'field') {
      const f = s.list('field');
      const id = f.id();
      if (id) {
        fields.push({ id, ...fieldType(f) });
        f.end();
        continue;
      }
      while (!f.atEnd()) fields.push({ id: null, ...fieldType(f) });
    }
    s.end();
    return { kind: 'struct', fields };
  }
  if (head === 'array') {
    const a = c.list('array');
    const field = fieldType(a);
    a.end();
    return { kind: 'array', ...field };
  }
  return c.unexpected('(func ...), (struct ...) or (array ...)');
}

function u64(c: Cursor, what: string): bigint {
  const t = c.peekAtom();
  if (!t || t.kind !== 'number' || !/^(0x[0-9a-fA-F](_?[0-9a-fA-F])*|[0-9](_?[0-9])*)$/.test(t.text)) c.unexpected(what);
  c.i++;
  const v = BigInt(t.text.replace(/_/g, ''));
  if (v >= 1n << 64n) c.fail(t.start, 'constant out of range');
  return v;
}

/** `i32|i64? min max?` (the address type first, for memories and tables). */
export function limits(c: Cursor, allowShared: boolean): Limits {
  const addr64 = c.keyword('i64') ? true : (c.keyword('i32'), false);
  const min = u64(c, 'a minimum size');
  const t = c.peekAtom();
  const max = t && t.kind === 'number' ? u64(c, 'a maximum size') : null;
  const shared = allowShared && c.keyword('shared');
  // Sizes beyond what the address type allows are the validator's to reject.
  return { min, max, addr64, shared };
}

export function tableType(c: Cursor): TableType {
  const l = limits(c, false);
  return { limits: l, ref: refType(c) };
}

export function globalType(c: Cursor): GlobalType {
  const m = c.maybeList('mut');
  if (!m) return { type: valType(c), mutable: false };
  const type = valType(m);
  m.end();
  return { type, mutable: true };
}

/** True when `list` (a module field's item) is one of the type-use lists. */
export function isTypeUseHead(head: string | null): boolean {
  return head === 'type' || head === 'param' || head === 'result';
}

