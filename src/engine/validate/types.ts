// Module-level checks of WebAssembly 3.0's types: the type section (indices inside recursion
// groups, declared supertypes and what subtyping requires of them), type indices named by
// imports, globals, tables and segments, and the GC instructions constant expressions allow.

import { refParts } from '../refTypes';
import type { CompositeType, Instr, Module, StorageType } from '../types';
import type { ModuleContext, FieldInfo } from './context';
import { opcodeName } from '../opcodes';
import { CONCRETE, DefKind, HEAP_ANY, HEAP_EXTERN, HEAP_I31, I16, I32, I8, NULLABLE, isDefaultable, matches, refOf, typeName, unpacked } from './valueTypes';

type Report = (offset: number | null, reason: string) => void;

function typeIndicesOf(t: CompositeType): number[] {
  const storages: StorageType[] = t.kind === 'struct' ? t.fields.map((f) => f.type) : t.kind === 'array' ? [t.elem.type] : [...t.params, ...t.results];
  const out: number[] = [];
  for (const s of storages) {
    const p = refParts(s);
    if (p !== null && typeof p.heap === 'number') out.push(p.heap);
  }
  return out;
}

/**
 * Checks that every type index in the type section points into its own recursion group or
 * before it, and every supertype before its subtype. False when one does not (then types
 * cannot be canonicalised).
 */
export function typeSectionIndices(module: Module, report: Report): boolean {
  let ok = true;
  module.types.forEach((t, i) => {
    const limit = (t.recStart ?? i) + (t.recSize ?? 1);
    for (const x of typeIndicesOf(t)) {
      if (x >= limit) {
        ok = false;
        report(null, `unknown type ${x}: type ${i} refers to it, ${x >= module.types.length ? `the module has ${module.types.length}` : 'beyond its recursion group'}`);
      }
    }
    const supers = t.supers ?? [];
    if (supers.length > 1) {
      ok = false;
      report(null, `sub type ${i} declares ${supers.length} supertypes, at most one is allowed`);
    }
    for (const x of supers) {
      if (x >= i) {
        ok = false;
        report(null, `unknown type ${x}: the supertype of type ${i} must be defined before it`);
      }
    }
  });
  return ok;
}

function fieldMatches(ctx: ModuleContext, a: FieldInfo, e: FieldInfo): boolean {
  if (a.mutable !== e.mutable) return false;
  if (a.type === I8 || a.type === I16 || e.type === I8 || e.type === I16) return a.type === e.type;
  return a.mutable ? matches(a.type, e.type, ctx) && matches(e.type, a.type, ctx) : matches(a.type, e.type, ctx);
}

/** Whether the composite type `i` may declare `s` as its supertype. */
function compositeMatches(ctx: ModuleContext, i: number, s: number): boolean {
  const kind = ctx.kinds[i];
  if (kind !== ctx.kinds[s]) return false;
  if (kind === DefKind.Func) {
    const p = ctx.typeParams[i];
    const r = ctx.typeResults[i];
    const sp = ctx.typeParams[s];
    const sr = ctx.typeResults[s];
    if (p.length !== sp.length || r.length !== sr.length) return false;
    for (let k = 0; k < p.length; k++) if (!matches(sp[k], p[k], ctx)) return false;
    for (let k = 0; k < r.length; k++) if (!matches(r[k], sr[k], ctx)) return false;
    return true;
  }
  const fields = ctx.fields[i];
  const sups = ctx.fields[s];
  if (fields.length < sups.length) return false;
  for (let k = 0; k < sups.length; k++) if (!fieldMatches(ctx, fields[k], sups[k])) return false;
  return true;
}

/** Each declared supertype must be non-final and its composite type matched by the subtype's. */
export function checkSubtypes(ctx: ModuleContext, report: Report): void {
  ctx.module.types.forEach((t, i) => {
    const s = t.supers?.[0];
    if (s === undefined) return;
    const sup = ctx.module.types[s];
    if (sup.final ?? true) report(null, `sub type ${i} has a final supertype ${s}`);
    else if (!compositeMatches(ctx, i, s)) report(null, `sub type ${i} does not match its supertype ${s}`);
  });
}

/** A function's type index must name a function type. */
export function funcKind(ctx: ModuleContext, x: number, what: string, report: Report): void {
  if (ctx.kinds[x] !== DefKind.Func) report(null, `type mismatch: ${what} has type ${x}, which is not a function type`);
}

/** Type indices named by imports, globals, tables and segments must exist. */
export class RefTypeChecker {
  constructor(
    private readonly ctx: ModuleContext,
    private readonly report: Report,
  ) {}

  check(t: StorageType, what: string): void {
    const p = refParts(t);
    if (p !== null && typeof p.heap === 'number' && p.heap >= this.ctx.kinds.length) {
      this.report(null, `unknown type ${p.heap}: ${what} refers to it, the module has ${this.ctx.kinds.length}`);
    }
  }
}

const GC = 0xfb00;

/**
 * The result type of a GC instruction allowed in constant expressions, after popping and
 * checking its operands from `stack`; a message when it is wrong; null for any other instruction.
 */
export function constGcType(ctx: ModuleContext, instr: Instr, stack: number[]): number | string | null {
  const op = instr.op;
  const x = instr.index ?? 0;
  const name = opcodeName(op);
  const popExpect = (t: number): string | null => {
    const actual = stack.pop();
    if (actual !== undefined && matches(actual, t, ctx)) return null;
    return `type mismatch: ${name} expects ${typeName(t)} but the stack has ${actual === undefined ? '[]' : typeName(actual)}`;
  };
  const kindIs = (k: DefKind): string | null => {
    if (x >= ctx.kinds.length) return `unknown type ${x}`;
    return ctx.kinds[x] === k ? null : `type mismatch: ${name} needs a ${k === DefKind.Struct ? 'struct' : 'array'} type, type ${x} is not one`;
  };
  switch (op) {
    case GC | 0x00: case GC | 0x01: {
      const bad = kindIs(DefKind.Struct);
      if (bad) return bad;
      const fields = ctx.fields[x];
      if (op === (GC | 0x00)) {
        for (let i = fields.length - 1; i >= 0; i--) {
          const p = popExpect(unpacked(fields[i].type));
          if (p) return p;
        }
      } else if (!fields.every((f) => isDefaultable(f.type))) return `type mismatch: struct.new_default of type ${x}, which has a field without a default value`;
      return refOf(CONCRETE + x, false);
    }
    case GC | 0x06: case GC | 0x07: case GC | 0x08: {
      const bad = kindIs(DefKind.Array);
      if (bad) return bad;
      const elem = ctx.fields[x][0];
      if (op === (GC | 0x08)) {
        for (let i = 0; i < (instr.index2 ?? 0); i++) {
          const p = popExpect(unpacked(elem.type));
          if (p) return p;
        }
      } else {
        const p = popExpect(I32) ?? (op === (GC | 0x06) ? popExpect(unpacked(elem.type)) : null);
        if (p) return p;
        if (op === (GC | 0x07) && !isDefaultable(elem.type)) return `type mismatch: array.new_default of type ${x}, whose elements have no default value`;
      }
      return refOf(CONCRETE + x, false);
    }
    case GC | 0x1c:
      return popExpect(I32) ?? refOf(HEAP_I31, false);
    case GC | 0x1a: case GC | 0x1b: {
      const from = op === (GC | 0x1a) ? HEAP_EXTERN : HEAP_ANY;
      const actual = stack[stack.length - 1];
      const p = popExpect(refOf(from, true));
      if (p) return p;
      return refOf(op === (GC | 0x1a) ? HEAP_ANY : HEAP_EXTERN, isNullable(actual));
    }
  }
  return null;
}

function isNullable(t: number | undefined): boolean {
  return t === undefined || (t & NULLABLE) !== 0;
}
