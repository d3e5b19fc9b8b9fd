// The validation context of a module (the specification's C): its types, functions, tables,
// memories, globals, segments and declared function references, in the validator's type encoding.

import type { FieldType, Limits, Module, TableType } from '../types';
import { CanonType, canonicalTypes } from '../typeCanon';
import { CONCRETE, DefKind, I32, I64, TypeSpace, fromValType, refOf } from './valueTypes';

/** The value type of a memory's or table's addresses: i64 for memory64 and table64, else i32. */
export function addressType(limits: Limits): number {
  return limits.address64 ? I64 : I32;
}

/** A struct field or array element in the validator's encoding. */
export interface FieldInfo {
  type: number;
  mutable: boolean;
}

const EMPTY = new Int32Array(0);

export interface GlobalInfo {
  type: number;
  mutable: boolean;
}

export class ModuleContext implements TypeSpace {
  readonly typeParams: Int32Array[] = [];
  readonly typeResults: Int32Array[] = [];
  /** Type index of every function, imported ones first. */
  readonly funcTypes: number[] = [];
  readonly tables: number[] = [];
  /** The address type (I32 or I64) of every table and memory, imported ones first. */
  readonly tableAddress: number[] = [];
  readonly memoryAddress: number[] = [];
  readonly globals: GlobalInfo[] = [];
  importedGlobals = 0;
  readonly elemTypes: number[] = [];
  /** Type index of every tag (exceptions), imported ones first. */
  readonly tags: number[] = [];
  /** Functions a `ref.func` may name: those referenced outside function bodies. */
  readonly refs: Uint8Array;

  readonly kinds: DefKind[] = [];
  /** Struct fields (an array type: its one element), by type index; empty for function types. */
  readonly fields: FieldInfo[][] = [];
  readonly supers: number[] = [];
  /** Canonical types, by type index (the type section must have been checked first). */
  readonly canon: CanonType[];

  constructor(readonly module: Module) {
    const field = (f: FieldType): FieldInfo => ({ type: fromValType(f.type), mutable: f.mutable });
    for (const t of module.types) {
      const isFunc = t.kind === undefined || t.kind === 'func';
      this.typeParams.push(isFunc ? Int32Array.from(t.params, fromValType) : EMPTY);
      this.typeResults.push(isFunc ? Int32Array.from(t.results, fromValType) : EMPTY);
      this.kinds.push(t.kind === 'struct' ? DefKind.Struct : t.kind === 'array' ? DefKind.Array : DefKind.Func);
      this.fields.push(t.kind === 'struct' ? t.fields.map(field) : t.kind === 'array' ? [field(t.elem)] : []);
      this.supers.push(t.supers?.[0] ?? -1);
    }
    this.canon = canonicalTypes(module);
    for (const imp of module.imports) {
      const d = imp.desc;
      if (d.kind === 'func') this.funcTypes.push(d.typeIndex);
      else if (d.kind === 'table') this.addTable(d.type);
      else if (d.kind === 'memory') this.memoryAddress.push(addressType(d.type.limits));
      else if (d.kind === 'tag') this.tags.push(d.typeIndex);
      else this.globals.push({ type: fromValType(d.type.type), mutable: d.type.mutable });
    }
    this.importedGlobals = this.globals.length;
    for (const t of module.funcs) this.funcTypes.push(t);
    for (const t of module.tables) this.addTable(t);
    for (const m of module.memories) this.memoryAddress.push(addressType(m.limits));
    for (const t of module.tags) this.tags.push(t);
    for (const g of module.globals) this.globals.push({ type: fromValType(g.type.type), mutable: g.type.mutable });
    for (const e of module.elems) this.elemTypes.push(fromValType(e.type));

    this.refs = new Uint8Array(this.funcTypes.length);
    const declare = (index: number | undefined) => {
      if (index !== undefined && index < this.refs.length) this.refs[index] = 1;
    };
    for (const g of module.globals) for (const i of g.init) if (i.op === REF_FUNC) declare(i.index);
    for (const e of module.elems) {
      const indices = e.functionIndices?.();
      if (indices) for (const f of indices) declare(f);
      else for (const item of e.init) for (const i of item) if (i.op === REF_FUNC) declare(i.index);
    }
    for (const x of module.exports) if (x.kind === 'func') declare(x.index);
  }

  get memories(): number {
    return this.memoryAddress.length;
  }

  private addTable(t: TableType): void {
    this.tables.push(fromValType(t.elem));
    this.tableAddress.push(addressType(t.limits));
  }

  kindOf(index: number): DefKind {
    return this.kinds[index];
  }

  superOf(index: number): number {
    return this.supers[index];
  }

  same(a: number, b: number): boolean {
    return a === b || this.canon[a] === this.canon[b];
  }

  /** The type of `ref.func` of a function: a non-null reference to its function type. */
  funcRef(funcIndex: number): number {
    return refOf(CONCRETE + this.funcTypes[funcIndex], false);
  }

  /** The function's name for messages: `function 3 ($main)`, or `function 3` without a name section entry. */
  describeFunc(funcIndex: number): string {
    const name = this.module.names?.functions.get(funcIndex);
    return name === undefined ? `function ${funcIndex}` : `function ${funcIndex} ($${name})`;
  }
}

export const REF_FUNC = 0xd2;
