// Instantiation: resolve and check imports, create the module's own entities, evaluate global
// initialisers and segments, apply active segments (checked before writing, as the spec says),
// run the start function (unless the caller runs it itself, e.g. a debugger, with `runStart: false`).

import { ConstExpr, FuncType, GlobalType, Import, Limits, MemoryType, Module, RefType, Value, ValType, funcTypeAt, importCount } from './types';
import { ExternVal, FuncInst, GlobalInst, Instance, LinkError, MemoryInst, TableInst, defaultValue } from './runtime';
import { canonicalTypes, valTypeMatches } from './typeCanon';
import { evalGcConst } from './gc';
import { Trap } from './trap';
import { TagInst, tagName } from './exception';
import { isValidated } from './validate/index';
import { noteInitialBytes } from './memoryImage';
import type { Store } from './store';

/** What a dropped data segment holds (one for all: nothing ever writes into it). */
const DROPPED = new Uint8Array(0);

export interface InstantiateOptions {
  /**
   * Whether to run the start function (default true). A caller that passes false runs it itself,
   * `instance.funcs[module.start]`, before anything else uses the instance, as the spec requires.
   */
  runStart?: boolean;
}

export function instantiate(
  store: Store,
  module: Module,
  resolve: (imp: Import) => ExternVal | undefined,
  name: string,
  options: InstantiateOptions = {},
): Instance {
  if (!isValidated(module)) throw new Error(`cannot instantiate ${name}: the module was not validated (load it with loadModule)`);
  const inst = new Instance(name, module);
  for (const imp of module.imports) {
    const ext = resolve(imp);
    if (ext === undefined) throw new LinkError(imp.module, imp.name, name, 'unknown import');
    const mismatch = importMismatch(module, imp, ext);
    if (mismatch !== null) throw new LinkError(imp.module, imp.name, name, `incompatible import type: expected ${mismatch.expected}, got ${mismatch.got}`);
    switch (ext.kind) {
      case 'func': inst.funcs.push(ext.func); break;
      case 'table': inst.tables.push(ext.table); break;
      case 'memory': inst.memories.push(ext.memory); break;
      case 'global': inst.globals.push(ext.global); break;
      case 'tag': inst.tags.push(ext.tag); break;
    }
  }

  const exportNames = new Map<number, string>();
  for (const e of module.exports) if (e.kind === 'func' && !exportNames.has(e.index)) exportNames.set(e.index, e.name);
  const nImported = importCount(module, 'func');
  module.funcs.forEach((typeIndex, i) => {
    const index = nImported + i;
    const fname = module.names?.functions.get(index) ?? exportNames.get(index) ?? null;
    inst.funcs.push(new FuncInst(funcTypeAt(module, typeIndex), fname, inst, index));
  });
  // Globals first: a table's initialiser may read them (and 3.0 orders them before tables' uses).
  for (const g of module.globals) {
    const global = new GlobalInst(g.type, evalConst(g.init, inst, g.type.type));
    global.owner = module;
    inst.globals.push(global);
  }
  for (const t of module.tables) {
    const table = new TableInst(t, t.init ? refValue(evalConst(t.init, inst, t.elem)) : null);
    table.owner = module;
    inst.tables.push(table);
  }
  for (const m of module.memories) inst.memories.push(new MemoryInst(m));
  const nImportedTags = inst.tags.length;
  module.tags.forEach((typeIndex, i) => inst.tags.push(new TagInst(funcTypeAt(module, typeIndex), `${name}!${tagName(module, nImportedTags + i)}`, canonicalTypes(module)[typeIndex])));

  for (const e of module.exports) {
    switch (e.kind) {
      case 'func': inst.exports.set(e.name, { kind: 'func', func: inst.funcs[e.index] }); break;
      case 'table': inst.exports.set(e.name, { kind: 'table', table: inst.tables[e.index] }); break;
      case 'memory': inst.exports.set(e.name, { kind: 'memory', memory: inst.memories[e.index] }); break;
      case 'global': inst.exports.set(e.name, { kind: 'global', global: inst.globals[e.index] }); break;
      case 'tag': inst.exports.set(e.name, { kind: 'tag', tag: inst.tags[e.index] }); break;
    }
  }

  inst.elems = module.elems.map((seg) => seg.functionIndices?.()?.map((f) => inst.funcs[f]) ?? seg.init.map((expr) => refValue(evalConst(expr, inst, seg.type))));
  // An active data segment is dropped once written, so it gets no view of its bytes (tens of
  // thousands in a big module) unless instantiation stops before writing it: the instance's
  // functions may already be in a table by then, and memory.init on the segment still sees them.
  inst.datas = module.datas.map((d) => (d.mode === 'active' ? DROPPED : d.bytes));
  let written = 0;
  try {
    module.elems.forEach((seg, i) => {
      if (seg.mode === 'active') {
        const table = inst.tables[seg.table].elements;
        const offset = addressValue(evalConst(seg.offset!, inst, 'i32'));
        const items = inst.elems[i];
        if (offset + items.length > table.length) throw new Trap('out of bounds table access');
        for (let k = 0; k < items.length; k++) table[offset + k] = items[k];
      }
      if (seg.mode !== 'passive') inst.elems[i] = [];
    });
    module.datas.forEach((seg, i) => {
      written = i;
      if (seg.mode !== 'active') return;
      const mem = inst.memories[seg.memory];
      const offset = addressValue(evalConst(seg.offset!, inst, 'i32'));
      // Stored bytes are read straight into the memory (no copy of them is kept).
      const bytes = seg.stored ?? seg.bytes;
      if (offset + bytes.length > mem.u8.length) throw new Trap('out of bounds memory access');
      if (bytes instanceof Uint8Array) mem.u8.set(bytes, offset);
      else if (!bytes.source.read(bytes.position, bytes.length, mem.u8, offset)) throw new Error(`cannot read data segment ${i}: ${bytes.source.name} changed after it was loaded`);
      noteInitialBytes(mem, offset, bytes);
    });
  } catch (e) {
    for (let i = written; i < module.datas.length; i++) if (module.datas[i].mode === 'active') inst.datas[i] = module.datas[i].bytes;
    throw e;
  }

  if (module.start !== null && options.runStart !== false) store.invoke(inst.funcs[module.start], []);
  return inst;
}

/**
 * A segment offset (an i32, or an i64 for a memory64 or table64) as an unsigned number: exact up
 * to 2^53, and rounded above that, where it is beyond any memory or table either way.
 */
function addressValue(v: Value): number {
  return v.type === 'i64' ? Number(BigInt.asUintN(64, v.value)) : (v as { value: number }).value >>> 0;
}

function refValue(v: Value): unknown {
  return (v as { value: unknown }).value;
}

/** Evaluates a constant expression (numeric constants, ref.null/ref.func, global.get, extended-const arithmetic). */
export function evalConst(expr: ConstExpr, inst: Instance, type: ValType): Value {
  const stack: Value[] = [];
  const pop = () => stack.pop()!;
  for (const ins of expr) {
    switch (ins.op) {
      case 0x41: stack.push({ type: 'i32', value: Number(ins.value) | 0 }); break;
      case 0x42: stack.push({ type: 'i64', value: BigInt.asIntN(64, BigInt(ins.value!)) }); break;
      case 0x43: stack.push({ type: 'f32', bits: Number(ins.value) >>> 0 }); break;
      case 0x44: stack.push({ type: 'f64', bits: BigInt.asUintN(64, BigInt(ins.value!)) }); break;
      case 0xfd0c: stack.push({ type: 'v128', bytes: ins.bytes!.slice() }); break; // v128.const
      case 0xd0: stack.push({ type: ins.refType!, value: null } as Value); break;
      case 0xd2: stack.push({ type: 'funcref', value: inst.funcs[ins.index!] }); break;
      case 0x23: stack.push(inst.globals[ins.index!].get()); break;
      case 0xfb00: case 0xfb01: case 0xfb06: case 0xfb07: case 0xfb08: case 0xfb1a: case 0xfb1b: case 0xfb1c:
        evalGcConst(ins, inst.module, stack);
        break;
      case 0x6a: case 0x6b: case 0x6c: {
        const b = (pop() as { value: number }).value;
        const a = (pop() as { value: number }).value;
        const r = ins.op === 0x6a ? a + b : ins.op === 0x6b ? a - b : Math.imul(a, b);
        stack.push({ type: 'i32', value: r | 0 });
        break;
      }
      case 0x7c: case 0x7d: case 0x7e: {
        const b = (pop() as { value: bigint }).value;
        const a = (pop() as { value: bigint }).value;
        const r = ins.op === 0x7c ? a + b : ins.op === 0x7d ? a - b : a * b;
        stack.push({ type: 'i64', value: BigInt.asIntN(64, r) });
        break;
      }
      default:
        throw new Error(`instruction 0x${ins.op.toString(16)} at byte 0x${ins.offset.toString(16)} is not allowed in a constant expression`);
    }
  }
  return stack.length === 1 ? stack[0] : defaultValue(type);
}

function sameType(a: ValType, aModule: Module | null, b: ValType, bModule: Module | null): boolean {
  return valTypeMatches(a, aModule, b, bModule) && valTypeMatches(b, bModule, a, aModule);
}

function limitsMatch(actualMin: number, actual: Limits, want: Limits): boolean {
  const actualMax = actual.max;
  if (!actual.address64 !== !want.address64) return false;
  if (actualMin < want.min) return false;
  if (want.max === null) return true;
  return actualMax !== null && actualMax <= want.max;
}

function importMismatch(module: Module, imp: Import, ext: ExternVal): { expected: string; got: string } | null {
  const d = imp.desc;
  const expected = describeImportType(module, imp);
  const got = describeExtern(ext);
  if (d.kind !== ext.kind) return { expected, got };
  switch (d.kind) {
    case 'func': {
      const want = canonicalTypes(module)[d.typeIndex];
      return (ext as { func: FuncInst }).func.canon.isSubOf(want) ? null : { expected, got };
    }
    case 'table': {
      const t = (ext as { table: TableInst }).table;
      return sameType(t.type.elem, t.owner, d.type.elem, module) && limitsMatch(t.size(), t.type.limits, d.type.limits) ? null : { expected, got };
    }
    case 'memory': {
      const m = (ext as { memory: MemoryInst }).memory;
      // Threads proposal: shared matches only shared, unshared only unshared.
      return m.isShared() === (d.type.shared === true) && limitsMatch(m.pages(), m.type.limits, d.type.limits) ? null : { expected, got };
    }
    case 'global': {
      const g = (ext as { global: GlobalInst }).global;
      if (g.type.mutable !== d.type.mutable) return { expected, got };
      // A mutable global's type must be the same both ways; an immutable one's may be a subtype.
      const ok = d.type.mutable ? sameType(g.type.type, g.owner, d.type.type, module) : valTypeMatches(g.type.type, g.owner, d.type.type, module);
      return ok ? null : { expected, got };
    }
    case 'tag': {
      // Tag types match exactly: the same canonical type.
      return (ext as { tag: TagInst }).tag.canon === canonicalTypes(module)[d.typeIndex] ? null : { expected, got };
    }
  }
}

export function formatFuncType(t: FuncType): string {
  const parts = ['func'];
  if (t.params.length) parts.push(`(param ${t.params.join(' ')})`);
  if (t.results.length) parts.push(`(result ${t.results.join(' ')})`);
  return `(${parts.join(' ')})`;
}

function formatLimits(min: number, limits: Limits): string {
  const address = limits.address64 ? 'i64 ' : '';
  return limits.max === null ? `${address}${min}` : `${address}${min} ${limits.max}`;
}

function formatTable(min: number, limits: Limits, elem: RefType): string {
  return `(table ${formatLimits(min, limits)} ${elem})`;
}

function formatMemory(min: number, type: MemoryType): string {
  return `(memory ${formatLimits(min, type.limits)}${type.shared ? ' shared' : ''})`;
}

function formatGlobal(t: GlobalType): string {
  return `(global ${t.mutable ? `(mut ${t.type})` : t.type})`;
}

function describeImportType(module: Module, imp: Import): string {
  const d = imp.desc;
  switch (d.kind) {
    case 'func': return formatFuncType(funcTypeAt(module, d.typeIndex));
    case 'table': return formatTable(d.type.limits.min, d.type.limits, d.type.elem);
    case 'memory': return formatMemory(d.type.limits.min, d.type);
    case 'global': return formatGlobal(d.type);
    case 'tag': return formatTag(funcTypeAt(module, d.typeIndex));
  }
}

function formatTag(t: FuncType): string {
  return t.params.length ? `(tag (param ${t.params.join(' ')}))` : '(tag)';
}

/** The type of an external value, in text-format notation (current sizes for tables and memories). */
export function describeExtern(ext: ExternVal): string {
  switch (ext.kind) {
    case 'func': return formatFuncType(ext.func.type);
    case 'table': return formatTable(ext.table.size(), ext.table.type.limits, ext.table.type.elem);
    case 'memory': return formatMemory(ext.memory.pages(), ext.memory.type);
    case 'global': return formatGlobal(ext.global.type);
    case 'tag': return formatTag(ext.tag.type);
  }
}

