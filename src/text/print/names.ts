// The names every view of a module uses: its generated text, the stack, variables, breakpoints and
// the disassembly all ask here, so they never disagree.
//
// Own names come from the name section. A module shown through generated text also gets a name
// for everything else, unique in its index space (a duplicate gets `.INDEX` appended):
//   functions   the name section, else the first export name, else `module.name` of its import, else f<index>
//   tables      the same order, else T<index>;  memories: else M<index>;  globals: else g<index>
//   types t<index>, element segments e<index>, data segments d<index>
//   parameters p<index>, other locals l<index> (index in the function's local index space)
// Generated text must read back, so a character an identifier cannot hold (a space, a comma, a
// parenthesis of a C++ or Rust name) becomes `_`; a function breakpoint still finds the original name.

import { funcTypeOf, importCount, type ExternKind, type Module } from '../../engine/index';
import { functionBody } from './body';

export type IndexSpace = 'functions' | 'types' | 'tables' | 'memories' | 'globals' | 'elems' | 'datas' | 'tags';

const KIND: Partial<Record<IndexSpace, ExternKind>> = { functions: 'func', tables: 'table', memories: 'memory', globals: 'global', tags: 'tag' };
const PREFIX: Record<IndexSpace, string> = { functions: 'f', types: 't', tables: 'T', memories: 'M', globals: 'g', elems: 'e', datas: 'd', tags: 'tag' };

/** Characters the text format allows in a `$name` without quoting. */
const ID_CHARS = /^[0-9A-Za-z!#$%&'*+\-./:<=>?@\\^_`|~]+$/;

/** `$name`, or `$"name"` when the name has characters an identifier cannot hold. */
export function identifier(name: string): string {
  return ID_CHARS.test(name) ? `$${name}` : `$${JSON.stringify(name)}`;
}

export class ModuleNames {
  /**
   * Generated names, per index space, of the entries whose name is not their default (`f12` for
   * function 12): a module without a name section has tens of thousands of functions, and a string
   * each would be kept for nothing.
   */
  private readonly spaces = new Map<IndexSpace, Map<number, string>>();
  private readonly locals = new Map<number, (string | null)[]>();
  private readonly references = new Map<IndexSpace, string[]>();
  private byName: Map<string, number[]> | null = null;

  /**
   * `generate`: give everything a name (a module shown through generated text); otherwise only the
   * name section's names (a module whose text the user wrote, which names nothing else).
   */
  constructor(
    readonly module: Module,
    readonly generate: boolean,
  ) {}

  private static own = new WeakMap<Module, ModuleNames>();

  /** The names of a module debugged in its own text: the name section's only (shared per module). */
  static of(module: Module): ModuleNames {
    let names = ModuleNames.own.get(module);
    if (!names) ModuleNames.own.set(module, (names = new ModuleNames(module, false)));
    return names;
  }

  /** The module's own name (the name section's), or null. */
  get moduleName(): string | null {
    return this.module.names?.module ?? null;
  }

  /** The name (without `$`) of entry `index` of `space`; null when it has none (never when generating). */
  name(space: IndexSpace, index: number): string | null {
    if (!this.generate) return this.module.names?.[space]?.get(index) ?? null;
    if (!(index >= 0 && index < this.count(space))) return null;
    return this.space(space).get(index) ?? defaultName(space, index);
  }

  /** The entry of `space` whose generated name is its default, `name` (`f12`), or -1. */
  private defaultNamed(space: IndexSpace, name: string): number {
    const prefix = PREFIX[space];
    if (!name.startsWith(prefix)) return -1;
    const digits = name.slice(prefix.length);
    if (!/^(0|[1-9][0-9]*)$/.test(digits)) return -1;
    const index = Number(digits);
    return index < this.count(space) && !this.space(space).has(index) ? index : -1;
  }

  /** `$name` of entry `index` of `space` as the text writes it, or the bare index when it has no name. */
  reference(space: IndexSpace, index: number): string {
    let refs = this.references.get(space);
    if (!refs) this.references.set(space, (refs = new Array<string>(this.count(space))));
    let ref = refs[index];
    if (ref === undefined) {
      const name = this.name(space, index);
      refs[index] = ref = name === null ? String(index) : identifier(name);
    }
    return ref;
  }

  func(index: number): string | null {
    return this.name('functions', index);
  }

  /** The name of local `localIndex` (parameters first) of function `funcIndex`, or null. */
  local(funcIndex: number, localIndex: number): string | null {
    if (!this.generate) return this.module.names?.locals.get(funcIndex)?.get(localIndex) ?? null;
    let names = this.locals.get(funcIndex);
    if (!names) this.locals.set(funcIndex, (names = this.localSpace(funcIndex)));
    return names[localIndex] ?? null;
  }

  /** The functions a name stands for: its own or generated name, with or without `$`, or an export name. */
  functionsNamed(name: string): number[] {
    const listed = this.namedFunctions().get(name) ?? [];
    // A default name (`f12`, `$f12`) is not listed: its function comes first, as its name is its own.
    const byDefault = this.generate ? this.defaultNamed('functions', name.startsWith('$') ? name.slice(1) : name) : -1;
    return byDefault < 0 ? listed : [byDefault, ...listed.filter((i) => i !== byDefault)];
  }

  private namedFunctions(): Map<string, number[]> {
    if (!this.byName) {
      const byName = new Map<string, number[]>();
      const add = (key: string, index: number) => {
        const list = byName.get(key);
        if (!list) byName.set(key, [index]);
        else if (!list.includes(index)) list.push(index);
      };
      if (this.generate) {
        for (const [i, own] of this.space('functions')) {
          add(own, i);
          add('$' + own, i);
        }
      } else {
        const count = this.count('functions');
        for (let i = 0; i < count; i++) {
          const own = this.func(i);
          if (own !== null) {
            add(own, i);
            add('$' + own, i);
          }
        }
      }
      for (const e of this.module.exports) if (e.kind === 'func') add(e.name, e.index);
      for (const [i, own] of this.module.names?.functions ?? []) add(own, i);
      this.byName = byName;
    }
    return this.byName;
  }

  /** How many entries `space` has (imports included). */
  count(space: IndexSpace): number {
    const m = this.module;
    switch (space) {
      case 'functions':
        return importCount(m, 'func') + m.funcs.length;
      case 'types':
        return m.types.length;
      case 'tables':
        return importCount(m, 'table') + m.tables.length;
      case 'memories':
        return importCount(m, 'memory') + m.memories.length;
      case 'globals':
        return importCount(m, 'global') + m.globals.length;
      case 'elems':
        return m.elems.length;
      case 'datas':
        return m.datas.length;
      case 'tags':
        return importCount(m, 'tag') + m.tags.length;
    }
  }

  private space(space: IndexSpace): Map<number, string> {
    let names = this.spaces.get(space);
    if (names) return names;
    const m = this.module;
    const own = m.names?.[space];
    const kind = KIND[space];
    const fromExport = new Map<number, string>();
    const fromImport: string[] = [];
    if (kind) {
      for (const e of m.exports) if (e.kind === kind && !fromExport.has(e.index)) fromExport.set(e.index, e.name);
      for (const imp of m.imports) if (imp.desc.kind === kind) fromImport.push(`${imp.module}.${imp.name}`);
    }
    const count = this.count(space);
    const used = new Set<string>();
    names = new Map<number, string>();
    for (let i = 0; i < count; i++) {
      const wanted = own?.get(i) ?? fromExport.get(i) ?? fromImport[i];
      const name = unique(idText(wanted) ?? defaultName(space, i), i, used);
      if (name !== defaultName(space, i)) names.set(i, name);
    }
    this.spaces.set(space, names);
    return names;
  }

  private localSpace(funcIndex: number): (string | null)[] {
    const m = this.module;
    const imported = importCount(m, 'func');
    if (funcIndex < imported || funcIndex >= imported + m.funcs.length) return [];
    const params = funcTypeOf(m, funcIndex).params.length;
    const count = params + functionBody(m, funcIndex - imported).locals.length;
    const own = m.names?.locals.get(funcIndex);
    const used = new Set<string>();
    const names = new Array<string | null>(count);
    for (let i = 0; i < count; i++) names[i] = unique(idText(own?.get(i)) ?? `${i < params ? 'p' : 'l'}${i}`, i, used);
    return names;
  }
}

/** The generated name of entry `index` of `space` when nothing names it: `f12`, `t3`. */
function defaultName(space: IndexSpace, index: number): string {
  return `${PREFIX[space]}${index}`;
}

/** A name as an identifier can hold it (other characters as `_`), or null for none or an empty one. */
function idText(name: string | undefined): string | null {
  if (!name) return null;
  return ID_CHARS.test(name) ? name : name.replace(/[^0-9A-Za-z!#$%&'*+\-./:<=>?@\\^_`|~]/g, '_');
}

function unique(wanted: string, index: number, used: Set<string>): string {
  let name = wanted;
  if (used.has(name)) name = `${wanted}.${index}`;
  while (used.has(name)) name += '_';
  used.add(name);
  return name;
}
