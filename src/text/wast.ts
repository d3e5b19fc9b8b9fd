// Reader for `.wast` scripts: turns the text into a list of commands, each with its position, so a
// runner (the `watdbg test` command, or the debugger running a script) can execute them one by one
// and report `file:line:column` for every failure.

import type { AbsHeapType, RefType, Value } from '../engine/types';
import { ABSTRACT_HEAP_TYPES, refType as makeRefType } from '../engine/refTypes';
import { internalize } from '../engine/gcValues';
import { LiteralError, parseF32, parseF64, parseI32, parseI64, parseIntLane } from './literals';
import { withoutAnnotations } from './wat/cursor';
import { decodeStringLiteral, headKeyword, parseSExprs, Position, SAtom, SExpr, SList, TextSyntaxError } from './sexpr';

/** Where a script module's bytes come from. */
export type ModuleSource =
  /** A `(module ...)` in text: `text` is its exact source slice, starting at `start` in the script. */
  | { kind: 'text'; text: string; start: Position }
  /** `(module binary "...")`: the bytes are given directly. */
  | { kind: 'binary'; bytes: Uint8Array }
  /** `(module quote "...")`: text to assemble, whose positions do not map back to the script. */
  | { kind: 'quote'; text: string };

export interface ScriptModule {
  /** `$name` given after `module`, or null. */
  id: string | null;
  source: ModuleSource;
  start: Position;
  end: Position;
  /** `(module definition ...)`: only loaded; `(module instance ...)` commands instantiate it. */
  definition?: boolean;
}

export type Action =
  | { kind: 'invoke'; module: string | null; name: string; args: Value[]; start: Position }
  | { kind: 'get'; module: string | null; name: string; start: Position };

export type NanClass = 'canonical' | 'arithmetic';

export type LanePattern = { kind: 'bits'; bits: bigint } | { kind: 'nan'; nan: NanClass };

export type V128Shape = 'i8x16' | 'i16x8' | 'i32x4' | 'i64x2' | 'f32x4' | 'f64x2';

/** One expected result of `assert_return`. */
export type ResultPattern =
  /** An exact value: integers by value, floats by bits. */
  | { kind: 'value'; value: Value }
  | { kind: 'nan'; type: 'f32' | 'f64'; nan: NanClass }
  | { kind: 'v128'; shape: V128Shape; lanes: LanePattern[] }
  /** `(ref.null ht)`: a null reference (of any heap type: nulls of one hierarchy are one value). */
  | { kind: 'ref.null'; type: RefType }
  /** `(ref.host N)`: host reference N seen in the any hierarchy; `(ref.host)`: any such. */
  | { kind: 'ref.host'; id: number | null }
  /** `(ref.i31 N)` / `(ref.i31)`: an i31 reference (with that value). */
  | { kind: 'ref.i31'; value: number | null }
  /** `(ref.struct)`, `(ref.array)`, `(ref.eq)`, `(ref.any)`, `(ref.exn)`: any non-null reference of that kind. */
  | { kind: 'ref.kind'; which: 'struct' | 'array' | 'eq' | 'any' | 'exn' }
  /** `(ref.extern N)`: the host reference N; `(ref.extern)`: any non-null extern reference. */
  | { kind: 'ref.extern'; id: number | null }
  /** `(ref.func)`: any non-null function reference. */
  | { kind: 'ref.func' }
  /** `(either p1 p2 ...)`: any one of the patterns (relaxed SIMD's implementation-defined results). */
  | { kind: 'either'; options: ResultPattern[] };

interface CommandBase {
  start: Position;
  end: Position;
}

export type Command = CommandBase &
  (
    | { kind: 'module'; module: ScriptModule }
    /** `(module instance $i? $m?)`: an instance of the module definition `$m` (the latest one without it). */
    | { kind: 'module_instance'; instance: string | null; definition: string | null }
    | { kind: 'register'; name: string; module: string | null }
    | { kind: 'action'; action: Action }
    | { kind: 'assert_return'; action: Action; expected: ResultPattern[] }
    | { kind: 'assert_trap'; action: Action; message: string }
    | { kind: 'assert_trap_module'; module: ScriptModule; message: string }
    | { kind: 'assert_exhaustion'; action: Action; message: string }
    /** The action ends by an exception no handler catches (exceptions). */
    | { kind: 'assert_exception'; action: Action }
    | { kind: 'assert_invalid'; module: ScriptModule; message: string }
    /** A valid module whose custom section (branch hints) breaks that section's own rules. */
    | { kind: 'assert_invalid_custom'; module: ScriptModule; message: string }
    | { kind: 'assert_malformed'; module: ScriptModule; message: string }
    | { kind: 'assert_unlinkable'; module: ScriptModule; message: string }
    | { kind: 'assert_uninstantiable'; module: ScriptModule; message: string }
  );

export interface Script {
  file: string;
  text: string;
  commands: Command[];
}

/** A host value passed to or expected from a script as `ref.extern N`; one object per N. */
export class ExternRef {
  private static readonly interned = new Map<number, ExternRef>();
  private constructor(readonly id: number) {}
  static of(id: number): ExternRef {
    let ref = ExternRef.interned.get(id);
    if (!ref) {
      ref = new ExternRef(id);
      ExternRef.interned.set(id, ref);
    }
    return ref;
  }
  /** Its number, as the script writes it after `ref.extern`. */
  toString(): string {
    return String(this.id);
  }
}

/** Reads a whole `.wast` script; throws TextSyntaxError naming file:line:column. */
export function parseScript(text: string, file: string): Script {
  const reader = new ScriptReader(text, file);
  // Annotations `(@id ...)` mean nothing to a script; a module's own text keeps them (the assembler reads `@name`).
  const exprs = withoutAnnotations(parseSExprs(text, file), file);
  if (exprs.length > 0 && exprs.every((e) => MODULE_FIELDS.has(headKeyword(e) ?? ''))) {
    // A file of bare module fields (what a .wat may hold) is one module, as in the reference interpreter.
    const start = exprs[0].kind === 'list' ? exprs[0].start : exprs[0].token.start;
    const end = exprs[exprs.length - 1].kind === 'list' ? (exprs[exprs.length - 1] as SList).end : start;
    const source: ModuleSource = { kind: 'text', text: text.slice(start.offset, end.offset), start };
    return { file, text, commands: [{ kind: 'module', start, end, module: { id: null, source, start, end } }] };
  }
  return { file, text, commands: exprs.map((e) => reader.command(e)) };
}

const MODULE_FIELDS = new Set(['type', 'import', 'func', 'table', 'memory', 'global', 'export', 'start', 'elem', 'data']);

// ignoreBOM: a name may start with U+FEFF (names.wast has one), which must not be dropped.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

class ScriptReader {
  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  private fail(at: Position, reason: string): never {
    throw new TextSyntaxError(this.file, at, reason);
  }

  /** The position of a list's ')', where "expected ..." points when an item is missing. */
  private closing(list: SList): Position {
    return { offset: list.end.offset - 1, line: list.end.line, column: list.end.column - 1 };
  }

  private start(e: SExpr): Position {
    return e.kind === 'list' ? e.start : e.token.start;
  }

  private list(e: SExpr | undefined, what: string, after: Position): SList {
    if (!e) this.fail(after, `expected ${what}`);
    if (e.kind !== 'list') this.fail(e.token.start, `expected ${what}, got ${e.token.text}`);
    return e;
  }

  private atom(e: SExpr | undefined, what: string, after: Position): SAtom {
    if (!e) this.fail(after, `expected ${what}`);
    if (e.kind !== 'atom') this.fail(e.start, `expected ${what}, got a list`);
    return e;
  }

  private string(e: SExpr | undefined, after: Position): string {
    return utf8.decode(this.stringBytes(e, after));
  }

  private stringBytes(e: SExpr | undefined, after: Position): Uint8Array {
    const a = this.atom(e, 'a string', after);
    if (a.token.kind !== 'string') this.fail(a.token.start, `expected a string, got ${a.token.text}`);
    return decodeStringLiteral(a.token.text);
  }

  private noMore(list: SList, from: number): void {
    if (list.items.length > from) this.fail(this.start(list.items[from]), 'unexpected item');
  }

  command(e: SExpr): Command {
    const head = headKeyword(e);
    if (e.kind !== 'list' || !head) this.fail(this.start(e), 'expected a script command such as (module ...) or (assert_return ...)');
    const base = { start: e.start, end: e.end };
    const items = e.items;
    switch (head) {
      case 'module': {
        const second = items[1];
        if (second?.kind === 'atom' && second.token.kind === 'keyword' && second.token.text === 'instance') {
          const ids = items.slice(2).map((x) => (x.kind === 'atom' && x.token.kind === 'id' ? x.token.text : this.fail(this.start(x), 'expected a module name such as $m')));
          if (ids.length > 2) this.fail(this.start(items[4]), 'unexpected item');
          const [instance, definition] = ids.length === 2 ? ids : [null, ids[0] ?? null];
          return { ...base, kind: 'module_instance', instance, definition };
        }
        return { ...base, kind: 'module', module: this.module(e) };
      }
      case 'register': {
        const name = this.string(items[1], this.closing(e));
        const id = items[2] && items[2].kind === 'atom' && items[2].token.kind === 'id' ? items[2].token.text : null;
        this.noMore(e, id ? 3 : 2);
        return { ...base, kind: 'register', name, module: id };
      }
      case 'invoke':
      case 'get':
        return { ...base, kind: 'action', action: this.action(e) };
      case 'assert_return': {
        const action = this.action(this.list(items[1], 'an action', this.closing(e)));
        const expected = items.slice(2).map((r) => this.result(r));
        return { ...base, kind: 'assert_return', action, expected };
      }
      case 'assert_trap': {
        const target = this.list(items[1], 'an action or a module', this.closing(e));
        const message = this.message(e);
        if (headKeyword(target) === 'module') return { ...base, kind: 'assert_trap_module', module: this.module(target), message };
        return { ...base, kind: 'assert_trap', action: this.action(target), message };
      }
      case 'assert_exhaustion':
        return { ...base, kind: 'assert_exhaustion', action: this.action(this.list(items[1], 'an action', this.closing(e))), message: this.message(e) };
      case 'assert_exception': {
        const action = this.action(this.list(items[1], 'an action', this.closing(e)));
        this.noMore(e, 2);
        return { ...base, kind: 'assert_exception', action };
      }
      case 'assert_invalid':
      case 'assert_invalid_custom':
      case 'assert_malformed':
      case 'assert_malformed_custom':
      case 'assert_unlinkable':
      case 'assert_uninstantiable': {
        const target = this.list(items[1], 'a module', this.closing(e));
        if (headKeyword(target) !== 'module') this.fail(target.start, 'expected a module');
        // A malformed custom annotation (`@name`, `@custom`) is a malformed module to us.
        return { ...base, kind: head === 'assert_malformed_custom' ? 'assert_malformed' : head, module: this.module(target), message: this.message(e) };
      }
      default:
        return this.fail(e.start, `unknown script command "${head}"`);
    }
  }

  private message(e: SList): string {
    const message = this.string(e.items[2], this.closing(e));
    this.noMore(e, 3);
    return message;
  }

  private module(e: SList): ScriptModule {
    const items = e.items;
    let i = 1;
    let id: string | null = null;
    let definition = false;
    let text = this.text.slice(e.start.offset, e.end.offset);
    const at = items[1];
    if (at?.kind === 'atom' && at.token.kind === 'keyword' && at.token.text === 'definition') {
      // The keyword is blanked out of the module's text, so positions in it stay those of the script.
      definition = true;
      i++;
      const from = at.token.start.offset - e.start.offset;
      text = text.slice(0, from) + ' '.repeat(at.token.text.length) + text.slice(from + at.token.text.length);
    }
    if (items[i]?.kind === 'atom' && (items[i] as SAtom).token.kind === 'id') id = (items[i++] as SAtom).token.text;
    const next = items[i];
    const mode = next?.kind === 'atom' && next.token.kind === 'keyword' ? next.token.text : null;
    const strings = () => items.slice(i + 1).map((s) => this.stringBytes(s, this.closing(e)));
    let source: ModuleSource;
    if (mode === 'binary') {
      source = { kind: 'binary', bytes: concat(strings()) };
    } else if (mode === 'quote') {
      source = { kind: 'quote', text: utf8.decode(concat(strings())) };
    } else {
      source = { kind: 'text', text, start: e.start };
    }
    return definition ? { id, source, start: e.start, end: e.end, definition } : { id, source, start: e.start, end: e.end };
  }

  private action(e: SList): Action {
    const head = headKeyword(e);
    const items = e.items;
    let i = 1;
    let module: string | null = null;
    if (items[i]?.kind === 'atom' && (items[i] as SAtom).token.kind === 'id') module = (items[i++] as SAtom).token.text;
    const name = this.string(items[i++], this.closing(e));
    if (head === 'invoke') {
      const args = items.slice(i).map((a) => this.constValue(a));
      return { kind: 'invoke', module, name, args, start: e.start };
    }
    if (head === 'get') {
      this.noMore(e, i);
      return { kind: 'get', module, name, start: e.start };
    }
    return this.fail(e.start, 'expected an action: (invoke ...) or (get ...)');
  }

  /** `(i32.const 1)`, `(ref.null func)`, `(ref.extern 2)`, `(v128.const i32x4 ...)` as a Value. */
  private constValue(e: SExpr): Value {
    const pattern = this.result(e);
    if (pattern.kind === 'value') return pattern.value;
    if (pattern.kind === 'ref.null') return { type: pattern.type, value: null } as Value;
    if (pattern.kind === 'ref.host' && pattern.id !== null) return { type: 'anyref', value: internalize(ExternRef.of(pattern.id)) };
    if (pattern.kind === 'ref.extern' && pattern.id !== null) return { type: 'externref', value: ExternRef.of(pattern.id) };
    if (pattern.kind === 'v128' && pattern.lanes.every((l) => l.kind === 'bits')) {
      return { type: 'v128', bytes: laneBytes(pattern.shape, pattern.lanes.map((l) => (l as { bits: bigint }).bits)) };
    }
    return this.fail(this.start(e), 'expected a constant argument, got a result pattern');
  }

  private result(e: SExpr): ResultPattern {
    const list = this.list(e, 'a constant such as (i32.const 1)', this.start(e));
    const head = headKeyword(list);
    const arg = (n: number) => this.atom(list.items[n], `an operand for ${head}`, this.closing(list));
    const literal = <T>(n: number, parse: (text: string) => T): T => {
      const a = arg(n);
      try {
        return parse(a.token.text);
      } catch (err) {
        if (err instanceof LiteralError) this.fail(a.token.start, err.message);
        throw err;
      }
    };
    const nanClass = (text: string): NanClass | null =>
      text === 'nan:canonical' ? 'canonical' : text === 'nan:arithmetic' ? 'arithmetic' : null;
    switch (head) {
      case 'i32.const':
        this.noMore(list, 2);
        return { kind: 'value', value: { type: 'i32', value: literal(1, parseI32) } };
      case 'i64.const':
        this.noMore(list, 2);
        return { kind: 'value', value: { type: 'i64', value: literal(1, parseI64) } };
      case 'f32.const':
      case 'f64.const': {
        this.noMore(list, 2);
        const type = head === 'f32.const' ? 'f32' : 'f64';
        const nan = nanClass(arg(1).token.text);
        if (nan) return { kind: 'nan', type, nan };
        return type === 'f32'
          ? { kind: 'value', value: { type: 'f32', bits: literal(1, parseF32) } }
          : { kind: 'value', value: { type: 'f64', bits: literal(1, parseF64) } };
      }
      case 'v128.const': {
        const shapeText = arg(1).token.text;
        const shape = V128_LANES[shapeText as V128Shape] ? (shapeText as V128Shape) : this.fail(arg(1).token.start, `unknown v128 shape ${shapeText}`);
        const { count, bits, float } = V128_LANES[shape];
        if (list.items.length !== 2 + count) this.fail(list.start, `${shape} needs ${count} lanes, got ${list.items.length - 2}`);
        const lanes: LanePattern[] = [];
        for (let n = 2; n < 2 + count; n++) {
          const nan = float ? nanClass(arg(n).token.text) : null;
          if (nan) lanes.push({ kind: 'nan', nan });
          else if (float) lanes.push({ kind: 'bits', bits: literal(n, (t) => (bits === 32 ? BigInt(parseF32(t)) : parseF64(t))) });
          else lanes.push({ kind: 'bits', bits: literal(n, (t) => parseIntLane(t, bits)) });
        }
        return { kind: 'v128', shape, lanes };
      }
      case 'ref.null': {
        // `(ref.null)` without a heap type (a result pattern of 3.0): any null reference.
        if (list.items.length === 1) return { kind: 'ref.null', type: 'anyref' };
        const t = arg(1).token.text;
        this.noMore(list, 2);
        const heap = t.endsWith('ref') ? t.slice(0, -3) : t;
        if ((ABSTRACT_HEAP_TYPES as readonly string[]).includes(heap)) return { kind: 'ref.null', type: makeRefType(heap as AbsHeapType, true) };
        return this.fail(arg(1).token.start, `unknown reference type ${t}`);
      }
      case 'ref.host': {
        if (list.items.length === 1) return { kind: 'ref.host', id: null };
        this.noMore(list, 2);
        return { kind: 'ref.host', id: Number(literal(1, (t) => parseIntLane(t, 32))) };
      }
      case 'ref.i31': {
        if (list.items.length === 1) return { kind: 'ref.i31', value: null };
        this.noMore(list, 2);
        return { kind: 'ref.i31', value: Number(literal(1, (t) => parseIntLane(t, 32))) };
      }
      case 'ref.struct':
      case 'ref.array':
      case 'ref.eq':
      case 'ref.any':
      case 'ref.exn':
        this.noMore(list, 1);
        return { kind: 'ref.kind', which: head.slice(4) as 'struct' | 'array' | 'eq' | 'any' | 'exn' };
      case 'ref.extern': {
        if (list.items.length === 1) return { kind: 'ref.extern', id: null };
        this.noMore(list, 2);
        return { kind: 'ref.extern', id: Number(literal(1, (t) => parseIntLane(t, 32))) };
      }
      case 'ref.func':
        return { kind: 'ref.func' };
      case 'either': {
        if (list.items.length < 2) this.fail(list.start, '(either ...) needs at least one result pattern');
        return { kind: 'either', options: list.items.slice(1).map((item) => this.result(item)) };
      }
      default:
        return this.fail(list.start, `expected a constant such as (i32.const 1), got (${head ?? '...'})`);
    }
  }
}

const V128_LANES: Record<V128Shape, { count: number; bits: 8 | 16 | 32 | 64; float: boolean }> = {
  i8x16: { count: 16, bits: 8, float: false },
  i16x8: { count: 8, bits: 16, float: false },
  i32x4: { count: 4, bits: 32, float: false },
  i64x2: { count: 2, bits: 64, float: false },
  f32x4: { count: 4, bits: 32, float: true },
  f64x2: { count: 2, bits: 64, float: true },
};

/** The 16 little-endian bytes of a v128 given its lanes' unsigned bit patterns. */
export function laneBytes(shape: V128Shape, lanes: bigint[]): Uint8Array {
  const bytesPerLane = V128_LANES[shape].bits / 8;
  const out = new Uint8Array(16);
  lanes.forEach((lane, n) => {
    for (let b = 0; b < bytesPerLane; b++) out[n * bytesPerLane + b] = Number((lane >> BigInt(8 * b)) & 0xffn);
  });
  return out;
}

/** Lane count and width of a v128 shape. */
export function shapeInfo(shape: V128Shape): { count: number; bits: 8 | 16 | 32 | 64; float: boolean } {
  return V128_LANES[shape];
}

/** The bytes of `parts`, one after another. */
export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `file:line:column` of a position, the way every message of the text front end names places. */
export function formatPosition(file: string, at: Position): string {
  return `${file}:${at.line}:${at.column}`;
}
