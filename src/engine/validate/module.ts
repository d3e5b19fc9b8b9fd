// Validation of a whole module: its index spaces, limits, constant expressions, segments, start
// function and exports, and every function body (body.ts). Problems are collected with the byte
// offset they concern (when the decoded module keeps one) and the specification's wording.

import { opcodeName as nameOf } from '../opcodes';
import type { ConstExpr, Limits, MemoryType, Module } from '../types';
import { isWasm3 } from '../features';
import { BodyValidator } from './body';
import { SECTION_EXPORT, SECTION_FUNCTION, SECTION_IMPORT, SECTION_MEMORY, SECTION_START, SECTION_TABLE, entryOffset } from './offsets';
import { GlobalInfo, ModuleContext, REF_FUNC } from './context';
import { F32, F64, I32, I64, V128, fromValType, isDefaultable, matches, typeName, typesName } from './valueTypes';
import { RefTypeChecker, checkSubtypes, constGcType, funcKind, typeSectionIndices } from './types';

export interface Problem {
  offset: number | null;
  reason: string;
}

/** More problems than this are not worth collecting: the first ones say what is wrong. */
const MAX_PROBLEMS = 100;

class TooMany {}

/** Every problem of the module, in the order the specification's reference validator meets them; empty when it is valid. */
export function moduleProblems(module: Module): Problem[] {
  const problems: Problem[] = [];
  const report = (offset: number | null, reason: string) => {
    problems.push({ offset, reason });
    if (problems.length >= MAX_PROBLEMS) throw new TooMany();
  };
  try {
    check(module, report);
  } catch (e) {
    if (!(e instanceof TooMany)) throw e;
  }
  return problems;
}

type Report = (offset: number | null, reason: string) => void;

function check(module: Module, report: Report): void {
  const at = (section: number, index = 0) => entryOffset(module.bytes, section, index);
  const typeCount = module.types.length;
  let typesKnown = true;
  const typeIndex = (t: number, offset: () => number | null, what: string) => {
    if (t < typeCount) return;
    typesKnown = false;
    report(offset(), `unknown type ${t}: ${what} names type ${t}, the module has ${typeCount}`);
  };
  let funcIndex = 0;
  module.imports.forEach((imp, i) => {
    const d = imp.desc;
    const where = () => at(SECTION_IMPORT, i);
    if (d.kind === 'func') typeIndex(d.typeIndex, where, `imported function ${funcIndex++} ("${imp.module}" "${imp.name}")`);
    else if (d.kind === 'table') tableLimits(d.type.limits, where, report);
    else if (d.kind === 'memory') memoryType(d.type, where, report);
    else if (d.kind === 'tag') typeIndex(d.typeIndex, where, `imported tag ("${imp.module}" "${imp.name}")`);
  });
  module.funcs.forEach((t, i) => typeIndex(t, () => at(SECTION_FUNCTION, i), `function ${funcIndex + i}`));
  module.tags.forEach((t, i) => typeIndex(t, () => null, `tag ${i}`));
  // Without the functions' types nothing that calls or references them can be checked.
  if (!typesKnown) return;
  // Nor without a well-formed type section (its indices are needed to canonicalise its types).
  if (!typeSectionIndices(module, report)) return;

  const ctx = new ModuleContext(module);
  // A tag's type describes an exception's payload: it returns nothing.
  ctx.tags.forEach((t, i) => {
    if (ctx.typeResults[t].length > 0) report(null, `non-empty tag result type: tag ${i} has type ${typesName(ctx.typeParams[t])} -> ${typesName(ctx.typeResults[t])}`);
  });
  const constExpr = new ConstExprChecker(ctx, report);
  checkSubtypes(ctx, report);
  let f = 0;
  for (const imp of module.imports) if (imp.desc.kind === 'func') funcKind(ctx, imp.desc.typeIndex, `imported function ${f++}`, report);
  module.funcs.forEach((t, i) => funcKind(ctx, t, `function ${f + i}`, report));
  const refTypes = new RefTypeChecker(ctx, report);
  module.imports.forEach((imp) => {
    if (imp.desc.kind === 'global') refTypes.check(imp.desc.type.type, `imported global "${imp.module}" "${imp.name}"`);
    if (imp.desc.kind === 'table') refTypes.check(imp.desc.type.elem, `imported table "${imp.module}" "${imp.name}"`);
  });
  module.globals.forEach((g, i) => refTypes.check(g.type.type, `global ${ctx.importedGlobals + i}`));
  module.tables.forEach((t, i) => {
    refTypes.check(t.elem, `table ${i}`);
    if (t.init) constExpr.check(t.init, fromValType(t.elem), ctx.importedGlobals, `the initialiser of table ${i}`);
    else if (!isDefaultable(fromValType(t.elem))) report(at(SECTION_TABLE, i), `type mismatch: table ${i} of ${typeName(fromValType(t.elem))} needs an initialiser, its element type has no default value`);
  });
  module.elems.forEach((e, i) => refTypes.check(e.type, `elem segment ${i}`));
  // Constant expressions read imported globals only in 2.0; 3.0 lets a global's initialiser read
  // the globals before it, and segments every global (instantiation sets globals first).
  const wasm3 = isWasm3(module.edition);
  const segmentGlobals = wasm3 ? ctx.globals.length : ctx.importedGlobals;
  module.globals.forEach((g, i) => constExpr.check(g.init, fromValType(g.type.type), ctx.importedGlobals + (wasm3 ? i : 0), `global ${ctx.importedGlobals + i}`));
  module.tables.forEach((t, i) => tableLimits(t.limits, () => at(SECTION_TABLE, i), report));
  module.memories.forEach((m, i) => memoryType(m, () => at(SECTION_MEMORY, i), report));
  // WebAssembly 3.0 allows any number of memories; 2.0 allowed one.
  if (!isWasm3(module.edition) && ctx.memories > 1) {
    report(module.memories.length > 0 ? at(SECTION_MEMORY, 0) : null, `multiple memories: the module has ${ctx.memories} (WebAssembly 2.0 allows one)`);
  }
  module.elems.forEach((e, i) => {
    const type = fromValType(e.type);
    if (e.mode === 'active') {
      const offset = e.offset?.[0]?.offset ?? null;
      if (e.table >= ctx.tables.length) report(offset, `unknown table ${e.table}: elem segment ${i} is for table ${e.table}`);
      else if (!matches(type, ctx.tables[e.table], ctx)) {
        report(offset, `type mismatch: elem segment ${i} holds ${typeName(type)}, table ${e.table} ${typeName(ctx.tables[e.table])}`);
      }
      constExpr.check(e.offset ?? [], ctx.tableAddress[e.table] ?? I32, segmentGlobals, `the offset of elem segment ${i}`);
    }
    for (const item of e.init) constExpr.check(item, type, segmentGlobals, `an item of elem segment ${i}`);
  });
  module.datas.forEach((d, i) => {
    if (d.mode !== 'active') return;
    const offset = d.offset ?? []; // read from the module's bytes at each use: once here
    if (d.memory >= ctx.memories) report(offset[0]?.offset ?? null, `unknown memory ${d.memory}: data segment ${i} is for memory ${d.memory}`);
    constExpr.check(offset, ctx.memoryAddress[d.memory] ?? I32, segmentGlobals, `the offset of data segment ${i}`);
  });

  const bodies = new BodyValidator(ctx);
  const imported = ctx.funcTypes.length - module.funcs.length;
  module.codes.forEach((code, i) => {
    const problem = bodies.validate(imported + i, code);
    if (problem) report(problem.offset, `${problem.reason} (in ${ctx.describeFunc(imported + i)})`);
  });

  if (module.start !== null) {
    const f = module.start;
    if (f >= ctx.funcTypes.length) report(at(SECTION_START), `unknown function ${f}: the start function`);
    else {
      const t = ctx.funcTypes[f];
      if (ctx.typeParams[t].length !== 0 || ctx.typeResults[t].length !== 0) {
        report(at(SECTION_START), `start function must have type [] -> [], ${ctx.describeFunc(f)} has ${typesName(ctx.typeParams[t])} -> ${typesName(ctx.typeResults[t])}`);
      }
    }
  }

  const names = new Set<string>();
  module.exports.forEach((x, i) => {
    if (names.has(x.name)) report(at(SECTION_EXPORT, i), `duplicate export name "${x.name}"`);
    names.add(x.name);
    const count = x.kind === 'func' ? ctx.funcTypes.length : x.kind === 'table' ? ctx.tables.length : x.kind === 'memory' ? ctx.memories : x.kind === 'tag' ? ctx.tags.length : ctx.globals.length;
    if (x.index >= count) report(at(SECTION_EXPORT, i), `unknown ${x.kind === 'func' ? 'function' : x.kind} ${x.index}: exported as "${x.name}"`);
  });
}

function memoryType(type: MemoryType, at: () => number | null, report: Report): void {
  // Threads proposal: a shared memory's size is bounded up front.
  if (type.shared && type.limits.max === null) report(at(), 'shared memory must have maximum');
  else memoryLimits(type.limits, at, report);
}

function memoryLimits(limits: Limits, at: () => number | null, report: Report): void {
  const [most, text] = limits.address64 ? [2 ** 48, '2^48 pages (256 TiB) for i64'] : [2 ** 16, '65536 pages (4GiB)'];
  if (limits.min > most || (limits.max !== null && limits.max > most)) {
    report(at(), `memory size must be at most ${text}, got ${Math.max(limits.min, limits.max ?? 0)}`);
  } else sizeOrder(limits, at, report);
}

function tableLimits(limits: Limits, at: () => number | null, report: Report): void {
  // A table64's bounds are u64s, always in range (numbers beyond 2^53 are rounded, never above 2^64).
  if (!limits.address64 && (limits.min > 2 ** 32 - 1 || (limits.max !== null && limits.max > 2 ** 32 - 1))) {
    report(at(), `table size must be at most 2^32-1 for i32, got ${Math.max(limits.min, limits.max ?? 0)}`);
  } else sizeOrder(limits, at, report);
}

function sizeOrder(limits: Limits, at: () => number | null, report: Report): void {
  if (limits.max !== null && limits.min > limits.max) {
    report(at(), `size minimum must not be greater than maximum (${limits.min} > ${limits.max})`);
  }
}

const CONST_BINARY: Record<number, number> = { 0x6a: I32, 0x6b: I32, 0x6c: I32, 0x7c: I64, 0x7d: I64, 0x7e: I64 };

/** Constant expressions: global initialisers, segment offsets and element items. */
class ConstExprChecker {
  private readonly stack: number[] = [];

  constructor(
    private readonly ctx: ModuleContext,
    private readonly report: Report,
  ) {}

  /** Checks `expr` produces exactly one `expected`; `visibleGlobals` is how many globals it may read. */
  check(expr: ConstExpr, expected: number, visibleGlobals: number, what: string): void {
    const problem = this.problem(expr, expected, visibleGlobals, what);
    if (problem) this.report(problem.offset, problem.reason);
  }

  private problem(expr: ConstExpr, expected: number, visibleGlobals: number, what: string): Problem | null {
    const stack = this.stack;
    stack.length = 0;
    const operand = (t: number, offset: number, name: string): Problem | null => {
      const actual = stack.length === 0 ? null : stack.pop()!;
      if (actual === t) return null;
      return { offset, reason: `type mismatch: ${name} expects ${typeName(t)} but the stack has ${actual === null ? '[]' : typeName(actual)} (in ${what})` };
    };
    for (const instr of expr) {
      const { op, offset } = instr;
      switch (op) {
        case 0x41: stack.push(I32); break;
        case 0x42: stack.push(I64); break;
        case 0x43: stack.push(F32); break;
        case 0x44: stack.push(F64); break;
        case 0xfd0c: stack.push(V128); break;
        case 0xd0: stack.push(fromValType(instr.refType!)); break;
        case REF_FUNC: {
          const f = instr.index!;
          if (f >= this.ctx.funcTypes.length) return { offset, reason: `unknown function ${f} (in ${what})` };
          stack.push(this.ctx.funcRef(f));
          break;
        }
        case 0x23: {
          const x = instr.index!;
          if (x >= visibleGlobals) {
            const rule = isWasm3(this.ctx.module.edition) ? 'only read the globals before it' : 'only read imported globals';
            const why = x < this.ctx.globals.length ? `, a constant expression can ${rule}` : '';
            return { offset, reason: `unknown global ${x} (in ${what}${why})` };
          }
          const g: GlobalInfo = this.ctx.globals[x];
          if (g.mutable) return { offset, reason: `constant expression required: global ${x} is mutable (in ${what})` };
          stack.push(g.type);
          break;
        }
        default: {
          const gc = constGcType(this.ctx, instr, stack);
          if (typeof gc === 'string') return { offset, reason: `${gc} (in ${what})` };
          if (gc !== null) {
            stack.push(gc);
            break;
          }
          const t = CONST_BINARY[op];
          if (t === undefined) {
            return { offset, reason: `constant expression required: ${nameOf(op)} is not allowed in a constant expression (in ${what})` };
          }
          const problem = operand(t, offset, nameOf(op)) ?? operand(t, offset, nameOf(op));
          if (problem) return problem;
          stack.push(t);
        }
      }
    }
    if (stack.length !== 1 || !matches(stack[0], expected, this.ctx)) {
      const at = expr.length > 0 ? expr[expr.length - 1].offset : null;
      return { offset: at, reason: `type mismatch: ${what} must be ${typeName(expected)}, its constant expression gives ${typesName(stack)}` };
    }
    return null;
  }
}
