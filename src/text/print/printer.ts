// Our printer of a decoded module in the text format: one function at a time (its own small
// document, every instruction's line:column recorded as it is written, so the source map needs no
// re-reading), and the module's other fields (types, imports, tables, memories, globals, exports,
// start, element and data segments) for the module's overview. Instructions are flat, one per line,
// indented by block, as wabt prints them.

import { BRANCH_HINT_SECTION, BranchHints, funcTypeAt, importCount, opcodeName, type ConstExpr, type DefType, type ElemSegment, type FieldType, type Limits, type MemoryType, type Module, type ValType } from '../../engine/index';
import { plural, type MappedFunction, type MappedInstr } from '../sourceMap';
import { functionBody } from './body';
import { formatInstr, reference, typeUse } from './instr';
import { identifier, type ModuleNames } from './names';

const INDENT = '  ';
/**
 * Blocks nested deeper than this are not indented further: an interpreter's dispatch loop nests
 * hundreds of blocks, and indenting each of its lines by hundreds of spaces would multiply its size.
 */
const MAX_INDENT = 16;
const indents = Array.from({ length: MAX_INDENT + 1 }, (_, i) => INDENT.repeat(i));

export interface PrintedFunction {
  text: string;
  /** The function's place in `text`: its `(func`, its closing parenthesis and every instruction. */
  mapped: MappedFunction;
}

/**
 * Function `funcIndex` (a defined one) as a `(func ...)` field, after `comments` (each written as a
 * `;;` line above it). Its final `end` is the closing parenthesis.
 */
export function printFunction(names: ModuleNames, funcIndex: number, comments: string[] = []): PrintedFunction {
  const module = names.module;
  const defined = funcIndex - importCount(module, 'func');
  const body = functionBody(module, defined);
  const type = funcTypeAt(module, module.funcs[defined]);
  // Branch hints are shown before their instruction; hints that are wrong are said above the function.
  const { hints, problems } = BranchHints.of(module).forFunction(funcIndex);
  const lines = [...comments, ...problems.map((p) => `ignored: ${p}`)].map((c) => `;; ${c}`);
  const start = { line: lines.length + 1, column: 1 };

  let header = `(func ${identifier(names.func(funcIndex)!)}`;
  for (const e of module.exports) if (e.kind === 'func' && e.index === funcIndex) header += ` (export ${quoted(e.name)})`;
  header += ` (type ${reference(names, 'types', module.funcs[defined])})`;
  type.params.forEach((t, i) => (header += ` (param${localId(names, funcIndex, i)} ${t})`));
  if (type.results.length) header += ` (result ${type.results.join(' ')})`;
  lines.push(header);
  if (body.locals.length) {
    const base = type.params.length;
    lines.push(INDENT + body.locals.map((t, i) => `(local${localId(names, funcIndex, base + i)} ${t})`).join(' '));
  }

  const instrs: MappedInstr[] = new Array(body.body.length);
  let depth = 0;
  let end = start;
  for (let index = 0; index < body.body.length; index++) {
    const instr = body.body[index];
    const name = opcodeName(instr.op);
    let at: number;
    let text: string;
    if (name === 'end' && depth === 0) {
      // The function's own end: its closing parenthesis.
      lines.push(')');
      end = { line: lines.length, column: 1 };
      instrs[index] = { funcIndex, offset: instr.offset, name, index, line: end.line, column: 1 };
      continue;
    }
    if (name === 'end' || name === 'else' || name === 'catch' || name === 'catch_all' || name === 'delegate') {
      // A legacy try's catch clauses sit at its own indentation, like else; delegate ends it like end.
      at = depth;
      if (name === 'end' || name === 'delegate') depth--;
      text = name === 'end' || name === 'else' ? name : formatInstr(instr, names, funcIndex, depth);
    } else if (name === 'block' || name === 'loop' || name === 'if' || name === 'try' || name === 'try_table') {
      at = depth + 1;
      text = `${formatInstr(instr, names, funcIndex, depth)}  ;; label = @${depth + 1}`;
      depth++;
    } else {
      at = depth + 1;
      text = formatInstr(instr, names, funcIndex, depth);
    }
    const indent = indents[Math.min(at, MAX_INDENT)];
    const likely = hints.get(instr.offset);
    const hint = likely === undefined ? '' : `(@${BRANCH_HINT_SECTION} "\\0${likely ? 1 : 0}") `;
    lines.push(indent + hint + text);
    instrs[index] = { funcIndex, offset: instr.offset, name, index, line: lines.length, column: indent.length + hint.length + 1 };
  }
  return {
    text: lines.join('\n') + '\n',
    mapped: { funcIndex, name: '$' + names.func(funcIndex), imported: false, start, end, instrs },
  };
}

/** ` $name` of a parameter or local, or nothing when it has none. */
function localId(names: ModuleNames, funcIndex: number, localIndex: number): string {
  const name = names.local(funcIndex, localIndex);
  return name === null ? '' : ' ' + identifier(name);
}

/** How much of the segments the overview writes out. */
export interface SegmentLimits {
  /** Bytes of each data segment (the rest is summarized in a comment). */
  dataBytes: number;
  /** Items of each element segment. */
  elemItems: number;
}

/** Everything that is written in full: nothing summarized. */
export const NO_LIMITS: SegmentLimits = { dataBytes: Infinity, elemItems: Infinity };

/**
 * The module's fields other than its functions' code, one per line (indented for a `(module`):
 * types, imports, tables, memories, globals, exports, start, element and data segments.
 * With NO_LIMITS, together with printFunction's fields, the text of the whole module.
 */
export function printModuleFields(names: ModuleNames, limits: SegmentLimits): string[] {
  const m = names.module;
  const lines: string[] = [];
  const add = (field: string) => lines.push(INDENT + field);
  m.types.forEach((t, i) => add(`(type ${reference(names, 'types', i)} ${defTypeText(t)})`));
  const seen = { func: 0, table: 0, memory: 0, global: 0, tag: 0 };
  for (const imp of m.imports) {
    const index = seen[imp.desc.kind]++;
    let desc: string;
    switch (imp.desc.kind) {
      case 'func':
        desc = `(func ${reference(names, 'functions', index)} ${typeUse(names, imp.desc.typeIndex)})`;
        break;
      case 'table':
        desc = `(table ${reference(names, 'tables', index)} ${limitsText(imp.desc.type.limits)} ${imp.desc.type.elem})`;
        break;
      case 'memory':
        desc = `(memory ${reference(names, 'memories', index)} ${memoryTypeText(imp.desc.type)})`;
        break;
      case 'global':
        desc = `(global ${reference(names, 'globals', index)} ${globalType(imp.desc.type.type, imp.desc.type.mutable)})`;
        break;
      case 'tag':
        desc = `(tag ${reference(names, 'tags', index)} ${typeUse(names, imp.desc.typeIndex)})`;
        break;
    }
    add(`(import ${quoted(imp.module)} ${quoted(imp.name)} ${desc})`);
  }
  m.tables.forEach((t, i) => add(`(table ${reference(names, 'tables', seen.table + i)} ${limitsText(t.limits)} ${t.elem})`));
  m.memories.forEach((mem, i) => add(`(memory ${reference(names, 'memories', seen.memory + i)} ${memoryTypeText(mem)})`));
  m.tags.forEach((t, i) => add(`(tag ${reference(names, 'tags', seen.tag + i)} ${typeUse(names, t)})`));
  m.globals.forEach((g, i) =>
    add(`(global ${reference(names, 'globals', seen.global + i)} ${globalType(g.type.type, g.type.mutable)} ${constExpr(names, g.init)})`),
  );
  const SPACE = { func: 'functions', table: 'tables', memory: 'memories', global: 'globals', tag: 'tags' } as const;
  for (const e of m.exports) add(`(export ${quoted(e.name)} (${e.kind} ${reference(names, SPACE[e.kind], e.index)}))`);
  if (m.start !== null) add(`(start ${reference(names, 'functions', m.start)})`);
  m.elems.forEach((seg, i) => add(elemField(names, seg, i, limits.elemItems)));
  m.datas.forEach((seg, i) => {
    let field = `(data ${reference(names, 'datas', i)}`;
    if (seg.mode === 'active') {
      if (seg.memory !== 0) field += ` (memory ${reference(names, 'memories', seg.memory)})`;
      field += ` ${offsetExpr(names, seg.offset!)}`;
    }
    const shown = seg.bytes.length > limits.dataBytes ? seg.bytes.subarray(0, limits.dataBytes) : seg.bytes;
    field += ` ${bytesString(shown)}`;
    if (shown.length < seg.bytes.length) field += ` (; ${count(seg.bytes.length)} bytes, the first ${count(shown.length)} shown ;)`;
    add(field + ')');
  });
  return lines;
}

/**
 * The module overview: its fields (segments summarized) and a `(func $name (type ...))` line for
 * every function, imported or defined, under `comments`.
 */
export function printOverview(names: ModuleNames, comments: string[], limits: SegmentLimits): string {
  const m = names.module;
  // A branch hints section that cannot be read is said here; a wrong hint, above its function.
  const lines = [...comments, ...BranchHints.of(m).problems.map((p) => `ignored: ${p}`)].map((c) => `;; ${c}`);
  lines.push(names.moduleName !== null ? `(module ${identifier(names.moduleName)}` : '(module');
  lines.push(...printModuleFields(names, limits));
  const imported = importCount(m, 'func');
  if (m.funcs.length) lines.push(`${INDENT};; ${plural(m.funcs.length, 'function')} defined here, each with its code in a document of its own`);
  m.funcs.forEach((typeIndex, i) => lines.push(`${INDENT}(func ${reference(names, 'functions', imported + i)} (type ${reference(names, 'types', typeIndex)}))`));
  lines.push(')');
  return lines.join('\n') + '\n';
}

function elemField(names: ModuleNames, seg: ElemSegment, index: number, limit: number): string {
  let field = `(elem ${reference(names, 'elems', index)}`;
  if (seg.mode === 'declarative') field += ' declare';
  if (seg.mode === 'active') {
    if (seg.table !== 0) field += ` (table ${reference(names, 'tables', seg.table)})`;
    field += ` ${offsetExpr(names, seg.offset!)}`;
  }
  const shown = seg.init.slice(0, Math.min(seg.init.length, limit));
  // `func $a $b` when every item is a ref.func, else each item as an expression.
  const plain = (seg.type === 'funcref' || seg.type === '(ref func)') && seg.init.every((e) => e.length === 1 && opcodeName(e[0].op) === 'ref.func');
  if (plain) {
    field += ' func';
    for (const item of shown) field += ` ${reference(names, 'functions', item[0].index!)}`;
  } else {
    field += ` ${seg.type}`;
    for (const item of shown) field += ` (item ${item.map((i) => formatInstr(i, names, -1)).join(' ')})`;
  }
  if (shown.length < seg.init.length) field += ` (; ${count(seg.init.length)} items, the first ${count(shown.length)} shown ;)`;
  return field + ')';
}

/** An offset: `(i32.const 1024)`, or `(offset ...)` for an expression of several instructions. */
function offsetExpr(names: ModuleNames, expr: ConstExpr): string {
  return expr.length === 1 ? `(${formatInstr(expr[0], names, -1)})` : `(offset ${expr.map((i) => formatInstr(i, names, -1)).join(' ')})`;
}

/** A global's initializer: `(i32.const 0)`, or its instructions in a row. */
function constExpr(names: ModuleNames, expr: ConstExpr): string {
  return expr.length === 1 ? `(${formatInstr(expr[0], names, -1)})` : expr.map((i) => formatInstr(i, names, -1)).join(' ');
}

function signature(params: ValType[], results: ValType[]): string {
  return (params.length ? ` (param ${params.join(' ')})` : '') + (results.length ? ` (result ${results.join(' ')})` : '');
}

function memoryTypeText(type: MemoryType): string {
  return type.shared ? `${limitsText(type.limits)} shared` : limitsText(type.limits);
}

function limitsText(limits: Limits): string {
  const bounds = limits.max === null ? boundText(limits.min) : `${boundText(limits.min)} ${boundText(limits.max)}`;
  return limits.address64 ? `i64 ${bounds}` : bounds;
}

const U64_MAX = 2n ** 64n - 1n;

/** A bound as an integer literal; beyond 2^53 the decoder kept it rounded, printed as the nearest u64. */
function boundText(n: number): string {
  if (Number.isSafeInteger(n)) return String(n);
  const big = BigInt(n);
  return String(big > U64_MAX ? U64_MAX : big);
}

function globalType(type: ValType, mutable: boolean): string {
  return mutable ? `(mut ${type})` : type;
}

/** `1,234` (toLocaleString is slow enough to show in a large module's overview) */
function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** A text-format string of `bytes`: printable ASCII as is, everything else as `\hh`. */
export function bytesString(bytes: Uint8Array): string {
  const parts = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) parts[i] = BYTE_TEXT[bytes[i]];
  return `"${parts.join('')}"`;
}

/** Each byte as a string literal writes it. */
const BYTE_TEXT = Array.from({ length: 256 }, (_, b) =>
  b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : '\\' + b.toString(16).padStart(2, '0'),
);

/** A name as a text-format string (UTF-8, with `\hh` escapes where needed). */
function quoted(name: string): string {
  return bytesString(new TextEncoder().encode(name));
}

/** A type definition's body: `(func ...)`, `(struct (field ...))`, `(array (mut i8))`, in `sub` when declared so. */
function defTypeText(t: DefType): string {
  const field = (f: FieldType) => (f.mutable ? `(mut ${f.type})` : f.type);
  const body = t.kind === 'struct'
    ? `(struct${t.fields.map((f) => ` (field ${field(f)})`).join('')})`
    : t.kind === 'array' ? `(array ${field(t.elem)})` : `(func${signature(t.params, t.results)})`;
  if (t.supers === undefined) return body;
  return `(sub${t.final ? ' final' : ''}${t.supers.map((x) => ` ${x}`).join('')} ${body})`;
}
