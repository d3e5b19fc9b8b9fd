// The expression language of watch, hover, the debug console and breakpoint conditions.
//
//   $n  local0  $g  global0          locals/params (by text name or index), globals
//   i32[$p + 4]  u8[addr]  f64[..]    typed little-endian loads from memory 0
//   $heap.i32[$p]  memory1.u8[0]  math!memory0.i64[8]   ... from a memory by name or index, of any instance
//   i64($x)  u32(..)  f32(..)         conversions
//   $v.i32x4[2]  $v.u8x16[0]  $v.f64x2[1]   a lane of a v128 (shapes i8x16 u8x16 i16x8 u16x8 i32x4 u32x4 i64x2 u64x2 f32x4 f64x2)
//   i32x4 1 2 3 4  f32x4 1.5 nan 0 -inf     a v128, as the text format writes v128.const
//   $fib(10)  gcd($a, 4)  math!fib(5)  calls of the frame's instance's (or a named instance's) functions
//   $p.x  $p.0  $p.field0  $arr[3]  $arr.length  $m[2][1].next  $e[0]   struct fields, array elements, exception payloads (evaluateGc.ts)
//   1  0xff  1_000  2.5  1e-3  inf  nan  nan:0x200000  true  false  null
//   unary - ! ~, * / %, + -, << >> >>>, < <= > >=, == != (references by identity), &, ^, |, &&, ||, parentheses
//
// Integers are BigInts of a known width (32 or 64, signed or unsigned) or of no width (literals,
// which take the width of what they meet), so i64 arithmetic is exact. Expressions are parsed once
// (`parseExpression`) and evaluated many times (`evaluateExpression`): a breakpoint condition is
// parsed when it is set, and a syntax error is reported then.

import type { Value, ValType } from '../engine/index';
import { f32FromBits, f32ToBits, f64FromBits, f64ToBits, isRefType } from '../engine/index';
import { LiteralError, parseF64, parseIntLane } from '../text/literals';
import { EvalError, formatEvalValue, fromValue, toNumber, toValue, typeName, type EvalValue, type IntWidth, type Num, type TypedValue } from './evalValue';
import { arrayLength, compareReferences, elementSlot, fieldSlot, isReference, readSlot, type GcSlot } from './evaluateGc';
import { LANE_SHAPES, isLaneShape, laneBits, parseVector, withLane, type LaneShape } from './vectors';

/** What an expression can read: the frame's locals, its instance's globals and memory. */
export interface EvalContext {
  /** A parameter or local by its text name (without the `$`). */
  localByName(name: string): TypedValue | undefined;
  /** A parameter or local by index (parameters first). */
  local(index: number): TypedValue | undefined;
  localCount(): number;
  globalByName(name: string): TypedValue | undefined;
  global(index: number): TypedValue | undefined;
  globalCount(): number;
  /**
   * The bytes of a memory (re-read on every call): memory 0 of the frame's instance without
   * `select` (null when it has none), else the one `select` names (an EvalError when there is none).
   */
  memory(select: MemorySelector | null, col: number): Uint8Array | null;
  /**
   * Calls function `name` (its text name or export name) of the frame's instance, or of instance
   * `instance`; the context converts the arguments to the parameter types. Absent: calls are refused.
   */
  call?(instance: string | null, name: string, args: EvalValue[], col: number): EvalValue;
}

/** A context with nothing in it: for evaluating constant expressions. */
export const emptyContext: EvalContext = {
  localByName: () => undefined,
  local: () => undefined,
  localCount: () => 0,
  globalByName: () => undefined,
  global: () => undefined,
  globalCount: () => 0,
  memory: () => null,
};

export { EvalError, formatEvalValue, fromValue, toValue, typeName as evalTypeName, type EvalValue, type IntWidth, type TypedValue };

// ---------------------------------------------------------------------------------------------
// Syntax

/** A memory named in a load: `$heap.` or `memory1.`, with `math!` in front for another instance's. */
export interface MemorySelector {
  instance: string | null;
  /** Its name (without `$`) or its index. */
  memory: string | number;
}

export type LoadType = 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32' | 'i64' | 'u64' | 'f32' | 'f64';
export type ConvertType = 'i32' | 'u32' | 'i64' | 'u64' | 'f32' | 'f64';
type BinaryOp = '*' | '/' | '%' | '+' | '-' | '<<' | '>>' | '>>>' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&' | '^' | '|' | '&&' | '||';
type UnaryOp = '-' | '!' | '~';

export type Expr =
  | { k: 'int'; value: bigint; col: number }
  | { k: 'float'; value: number; nan?: { negative: boolean; payload: bigint | null }; col: number }
  | { k: 'bool'; value: boolean; col: number }
  | { k: 'null'; col: number }
  | { k: 'name'; name: string; col: number }
  | { k: 'local'; index: number; col: number }
  | { k: 'global'; index: number; col: number }
  | { k: 'load'; type: LoadType; addr: Expr; col: number; memory?: MemorySelector }
  | { k: 'convert'; type: ConvertType; arg: Expr; col: number }
  | { k: 'call'; instance: string | null; name: string; args: Expr[]; col: number }
  | { k: 'lane'; base: Expr; shape: LaneShape; index: Expr; col: number }
  | { k: 'v128'; bytes: Uint8Array; col: number }
  /** `base.x`, `base.0`, `base.field0`: a struct's field; `base.length`: an array's. `of` is the base's text, for messages. */
  | { k: 'field'; base: Expr; field: string; of: string; col: number }
  /** `base[i]`: an array's element (or an exception's payload value). */
  | { k: 'index'; base: Expr; index: Expr; of: string; col: number }
  | { k: 'unary'; op: UnaryOp; arg: Expr; col: number }
  | { k: 'binary'; op: BinaryOp; left: Expr; right: Expr; col: number };

type Token =
  | { t: 'int'; value: bigint; col: number; text: string }
  | { t: 'float'; value: number; nan?: { negative: boolean; payload: bigint | null }; col: number; text: string }
  | { t: 'name'; name: string; col: number; text: string }
  | { t: 'word'; word: string; col: number; text: string }
  | { t: 'punct'; p: string; col: number; text: string }
  | { t: 'end'; col: number; text: string };

const LOAD_TYPES = new Set<string>(['i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64', 'f32', 'f64']);
const CONVERT_TYPES = new Set<string>(['i32', 'u32', 'i64', 'u64', 'f32', 'f64']);
// Longest first, so `>>>` wins over `>>` and `>`.
const PUNCTUATION = ['>>>', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '(', ')', '[', ']', ',', '+', '-', '*', '/', '%', '<', '>', '&', '^', '|', '!', '~', '.'];
const NAME_CHAR = /[A-Za-z0-9_.:@#?'`\\]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const col = i + 1;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '$') {
      if (text[i + 1] === '"') {
        const close = text.indexOf('"', i + 2);
        if (close < 0) throw new EvalError('unterminated quoted name', col);
        tokens.push({ t: 'name', name: text.slice(i + 2, close), col, text: text.slice(i, close + 1) });
        i = close + 1;
        continue;
      }
      let j = i + 1;
      while (j < text.length && NAME_CHAR.test(text[j])) j++;
      if (j === i + 1) throw new EvalError("expected a name after '$'", col);
      tokens.push({ t: 'name', name: text.slice(i + 1, j), col, text: text.slice(i, j) });
      i = j;
      continue;
    }
    const previous = tokens[tokens.length - 1];
    if (/[0-9]/.test(c) && previous?.t === 'punct' && previous.p === '.') {
      // A field by index (`$m[0].1.2`): digits only, so `1.2` is not read as a float.
      let j = i;
      while (j < text.length && /[0-9]/.test(text[j])) j++;
      tokens.push({ t: 'int', value: BigInt(text.slice(i, j)), col, text: text.slice(i, j) });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const lit = numberExtent(text, i);
      tokens.push(numberToken(lit, col));
      i += lit.length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < text.length && /[A-Za-z0-9_]/.test(text[j])) j++;
      // `local3.i32x4` (a lane shape after a word) is one token, as `$v.i32x4` is.
      const suffix = /^\.([a-z0-9]+)/.exec(text.slice(j));
      // ... and so is `memory1.i32` before '[' (a load from a memory named by index).
      if (suffix && (isLaneShape(suffix[1]) || (LOAD_TYPES.has(suffix[1]) && text[j + suffix[0].length] === '['))) j += suffix[0].length;
      const word = text.slice(i, j);
      if (word === 'nan' && text[j] === ':') {
        const m = /^:0[xX]([0-9a-fA-F_]+)/.exec(text.slice(j));
        if (!m) throw new EvalError("expected a hexadecimal payload after 'nan:', e.g. nan:0x200000", col);
        const payload = BigInt('0x' + m[1].replace(/_/g, ''));
        if (payload === 0n) throw new EvalError('a NaN payload must not be 0', col);
        tokens.push({ t: 'float', value: NaN, nan: { negative: false, payload }, col, text: text.slice(i, j + m[0].length) });
        i = j + m[0].length;
        continue;
      }
      if (word === 'nan' || word === 'inf') {
        const nan = word === 'nan' ? { negative: false, payload: null } : undefined;
        tokens.push({ t: 'float', value: word === 'nan' ? NaN : Infinity, nan, col, text: word });
      } else {
        tokens.push({ t: 'word', word, col, text: word });
      }
      i = j;
      continue;
    }
    const p = PUNCTUATION.find((q) => text.startsWith(q, i));
    if (!p) throw new EvalError(`unexpected character '${c}'`, col);
    tokens.push({ t: 'punct', p, col, text: p });
    i += p.length;
  }
  tokens.push({ t: 'end', col: text.length + 1, text: '' });
  return tokens;
}

/**
 * The text of the number starting at `start`: letters, digits, `_` and `.`, and a sign right after
 * an exponent mark (`1e-3`, `0x1p-3`; in hex `e` is a digit, so `0x1e-3` is a subtraction).
 */
function numberExtent(text: string, start: number): string {
  const exponentMark = /^0[xX]/.test(text.slice(start, start + 2)) ? /[pP]/ : /[eE]/;
  let j = start;
  while (j < text.length && (/[0-9A-Za-z_.]/.test(text[j]) || ((text[j] === '+' || text[j] === '-') && exponentMark.test(text[j - 1])))) j++;
  return text.slice(start, j);
}

/** A number as the text format writes it (the same parser as launch arguments and .wast scripts). */
function numberToken(lit: string, col: number): Token {
  const isFloat = /^0[xX]/.test(lit) ? /[.pP]/.test(lit) : /[.eE]/.test(lit);
  try {
    // An untyped literal: floats as f64, integers as anything up to 64 bits (a sign is an operator here).
    if (isFloat) return { t: 'float', value: f64FromBits(parseF64(lit)), col, text: lit };
    return { t: 'int', value: parseIntLane(lit, 64), col, text: lit };
  } catch (e) {
    if (e instanceof LiteralError) throw new EvalError(e.message, col);
    throw e;
  }
}

// Binary operators by precedence level, loosest first.
const LEVELS: BinaryOp[][] = [
  ['||'],
  ['&&'],
  ['|'],
  ['^'],
  ['&'],
  ['==', '!='],
  ['<', '<=', '>', '>='],
  ['<<', '>>', '>>>'],
  ['+', '-'],
  ['*', '/', '%'],
];

function describe(tok: Token): string {
  return tok.t === 'end' ? 'end of expression' : `'${tok.text}'`;
}

/** Parses an expression; throws `EvalError` naming what is wrong and the column. */
export function parseExpression(text: string): Expr {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const isPunct = (p: string) => {
    const tok = tokens[pos];
    return tok.t === 'punct' && tok.p === p;
  };
  const expect = (p: string, what: string) => {
    if (!isPunct(p)) throw new EvalError(`expected '${p}' ${what}, found ${describe(peek())}`, peek().col);
    pos++;
  };

  const binary = (level: number): Expr => {
    if (level === LEVELS.length) return unary();
    let left = binary(level + 1);
    for (;;) {
      const tok = peek();
      if (tok.t !== 'punct' || !(LEVELS[level] as string[]).includes(tok.p)) return left;
      pos++;
      const right = binary(level + 1);
      left = { k: 'binary', op: tok.p as BinaryOp, left, right, col: tok.col };
    }
  };

  const unary = (): Expr => {
    const tok = peek();
    if (tok.t === 'punct' && (tok.p === '-' || tok.p === '!' || tok.p === '~')) {
      pos++;
      const arg = unary();
      // Fold a negated literal so `-9223372036854775808` stays an exact literal.
      if (tok.p === '-' && arg.k === 'int') return { k: 'int', value: -arg.value, col: tok.col };
      return { k: 'unary', op: tok.p, arg, col: tok.col };
    }
    return postfix(primary(), tok);
  };

  /** The text of the expression from token `first` to the last one read. */
  const textFrom = (first: Token) => {
    const last = tokens[pos - 1];
    return text.slice(first.col - 1, last.col - 1 + last.text.length);
  };

  /** Field and element accesses after a value: `.x`, `.0`, `.length`, `[i]`, in any chain. */
  const postfix = (base: Expr, first: Token): Expr => {
    for (;;) {
      const tok = peek();
      if (tok.t !== 'punct' || (tok.p !== '[' && tok.p !== '.')) return base;
      const of = textFrom(first);
      pos++;
      if (tok.p === '[') {
        const index = binary(0);
        expect(']', `to close the index of ${of}[...] opened at column ${tok.col}`);
        base = { k: 'index', base, index, of, col: tok.col };
        continue;
      }
      const field = peek();
      if (field.t !== 'word' && field.t !== 'int') throw new EvalError(`expected a field name or index after '.', found ${describe(field)}`, field.col);
      pos++;
      base = { k: 'field', base, field: field.text, of, col: field.col };
    }
  };

  const primary = (): Expr => {
    const tok = peek();
    pos++;
    switch (tok.t) {
      case 'int':
        return { k: 'int', value: tok.value, col: tok.col };
      case 'float':
        return { k: 'float', value: tok.value, nan: tok.nan, col: tok.col };
      case 'name':
        return memoryLoad(tok.name, tok, null) ?? lane(tok.name, tok, (name) => ({ k: 'name', name, col: tok.col })) ?? call(tok) ?? { k: 'name', name: tok.name, col: tok.col };
      case 'word': {
        const w = tok.word;
        if (w === 'true' || w === 'false') return { k: 'bool', value: w === 'true', col: tok.col };
        if (w === 'null') return { k: 'null', col: tok.col };
        if (isLaneShape(w)) return vector(w, tok.col);
        const loaded = memoryLoad(w, tok, null);
        if (loaded) return loaded;
        const laneOf = lane(w, tok, (base) => {
          const indexed = /^(local|global)([0-9]+)$/.exec(base);
          if (!indexed) return { k: 'name', name: base, col: tok.col };
          return { k: indexed[1] as 'local' | 'global', index: Number(indexed[2]), col: tok.col };
        });
        if (laneOf) return laneOf;
        if (LOAD_TYPES.has(w) && isPunct('[')) {
          pos++;
          const addr = binary(0);
          expect(']', `to close the address of ${w}[...] opened at column ${tok.col}`);
          return { k: 'load', type: w as LoadType, addr, col: tok.col };
        }
        if (CONVERT_TYPES.has(w) && isPunct('(')) {
          pos++;
          const arg = binary(0);
          expect(')', `to close ${w}(...) opened at column ${tok.col}`);
          return { k: 'convert', type: w as ConvertType, arg, col: tok.col };
        }
        const indexed = /^(local|global)([0-9]+)$/.exec(w);
        if (indexed) {
          const index = Number(indexed[2]);
          return indexed[1] === 'local' ? { k: 'local', index, col: tok.col } : { k: 'global', index, col: tok.col };
        }
        if (LOAD_TYPES.has(w)) {
          throw new EvalError(`expected '[' or '(' after '${w}' (a memory load ${w}[address] or a conversion ${w}(value))`, peek().col);
        }
        const called = call(tok);
        if (called) return called;
        // A bare word is a name without its `$` (what an editor hover may send).
        return { k: 'name', name: w, col: tok.col };
      }
      case 'punct':
        if (tok.p === '(') {
          const inner = binary(0);
          expect(')', `to close '(' at column ${tok.col}`);
          return inner;
        }
        throw new EvalError(`expected a value, found ${describe(tok)}`, tok.col);
      case 'end':
        throw new EvalError(pos === 1 ? 'empty expression' : 'expected a value, found end of expression', tok.col);
    }
  };

  /** `base.shape[index]` when `text` (a name or word token's) ends in a lane shape and '[' follows; else null. */
  const lane = (text: string, tok: Token, base: (name: string) => Expr): Expr | null => {
    const m = /^(.+)\.([a-z0-9]+)$/.exec(text);
    if (!m || !isLaneShape(m[2]) || !isPunct('[')) return null;
    pos++;
    const index = binary(0);
    expect(']', `to close the lane index of ${tok.text}[...] opened at column ${tok.col}`);
    return { k: 'lane', base: base(m[1]), shape: m[2], index, col: tok.col };
  };

  /** `<memory>.type[address]` when `text` (a name or word token's) is `<memory>.type` and '[' follows; else null. */
  const memoryLoad = (text: string, tok: Token, instance: string | null): Expr | null => {
    const m = /^(.+)\.([a-z0-9]+)$/.exec(text);
    if (!m || !LOAD_TYPES.has(m[2]) || !isPunct('[')) return null;
    pos++;
    const addr = binary(0);
    expect(']', `to close the address of ${tok.text}[...] opened at column ${tok.col}`);
    const byIndex = tok.t === 'word' ? /^memory([0-9]+)$/.exec(m[1]) : null;
    const memory = byIndex ? Number(byIndex[1]) : m[1];
    return { k: 'load', type: m[2] as LoadType, addr, col: tok.col, memory: { instance, memory } };
  };

  /** `i32x4 1 -2 3 4`: a v128 from one literal per lane, after its shape. */
  const vector = (shape: LaneShape, col: number): Expr => {
    const lanes: string[] = [];
    for (let n = 0; n < LANE_SHAPES[shape].count; n++) {
      const negative = isPunct('-');
      if (negative) pos++;
      const t = peek();
      if (t.t !== 'int' && t.t !== 'float') {
        throw new EvalError(`expected lane ${n} of ${shape} (it has ${LANE_SHAPES[shape].count} lanes), found ${describe(t)}`, t.col);
      }
      pos++;
      lanes.push((negative ? '-' : '') + t.text);
    }
    try {
      return { k: 'v128', bytes: parseVector(shape, lanes), col };
    } catch (e) {
      if (e instanceof LiteralError) throw new EvalError(e.message, col);
      throw e;
    }
  };

  /** The arguments of a call, after its '(' : expressions separated by ',' up to ')'. */
  const callArgs = (opener: Token): Expr[] => {
    const args: Expr[] = [];
    if (isPunct(')')) {
      pos++;
      return args;
    }
    for (;;) {
      args.push(binary(0));
      if (isPunct(',')) {
        pos++;
        continue;
      }
      expect(')', `to close the arguments opened at column ${opener.col}`);
      return args;
    }
  };

  /** After a function name: `name(args)`, or `instance!name(args)` when `first` names the instance. */
  const call = (first: Token & { t: 'word' | 'name' }): Expr | null => {
    const nameOf = (t: Token & { t: 'word' | 'name' }) => (t.t === 'name' ? '$' + t.name : t.word);
    if (isPunct('(')) {
      pos++;
      return { k: 'call', instance: null, name: nameOf(first), args: callArgs(first), col: first.col };
    }
    const bang = tokens[pos];
    const fn = tokens[pos + 1];
    if (first.t === 'word' && bang.t === 'punct' && bang.p === '!' && (fn.t === 'word' || fn.t === 'name')) {
      const open = tokens[pos + 2];
      if (open.t === 'punct' && open.p === '(') {
        pos += 3;
        return { k: 'call', instance: first.word, name: nameOf(fn), args: callArgs(first), col: first.col };
      }
      if (open.t === 'punct' && open.p === '[') {
        pos += 2;
        const loaded = memoryLoad(fn.t === 'name' ? fn.name : fn.word, fn, first.word);
        if (loaded) return { ...loaded, col: first.col };
        pos -= 2;
      }
    }
    return null;
  };

  const expr = binary(0);
  if (peek().t !== 'end') throw new EvalError(`unexpected ${describe(peek())} after the expression`, peek().col);
  return expr;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

function int(width: IntWidth, unsigned: boolean, value: bigint): EvalValue {
  return { kind: 'int', width, unsigned, value: normalize(width, unsigned, value) };
}

function normalize(width: IntWidth, unsigned: boolean, value: bigint): bigint {
  if (width === 0) return value;
  return unsigned ? BigInt.asUintN(width, value) : BigInt.asIntN(width, value);
}

/** Whether a breakpoint condition holds: non-zero numbers and `true`. */
export function isTruthy(v: EvalValue): boolean {
  switch (v.kind) {
    case 'int':
      return v.value !== 0n;
    case 'float':
      return v.value !== 0;
    case 'bool':
      return v.value;
    case 'opaque':
      if (isRefType(v.value.type)) return ((v.value as { value: unknown }).value ?? null) !== null;
      return true;
    case 'null':
      return false;
    case 'results':
      return v.values.length > 0;
  }
}

function asNumber(v: EvalValue, what: string, col: number): Num {
  if (v.kind === 'bool') return { kind: 'int', width: 32, unsigned: false, value: v.value ? 1n : 0n };
  if (v.kind === 'opaque') throw new EvalError(`${what} cannot use a ${v.value.type} value`, col);
  if (v.kind === 'null') throw new EvalError(`${what} cannot use null`, col);
  if (v.kind === 'results') throw new EvalError(`${what} cannot use a call that returns ${v.values.length === 0 ? 'no value' : `${v.values.length} values`}`, col);
  return v;
}

function float(width: IntWidth, value: number): EvalValue {
  return { kind: 'float', width, value: width === 32 ? Math.fround(value) : value };
}

const COMPARISONS = new Set<BinaryOp>(['<', '<=', '>', '>=', '==', '!=']);

/** A comparison of two floats (numbers) or two integers (BigInts). */
function compare(op: BinaryOp, x: number | bigint, y: number | bigint): EvalValue {
  switch (op) {
    case '<': return { kind: 'bool', value: x < y };
    case '<=': return { kind: 'bool', value: x <= y };
    case '>': return { kind: 'bool', value: x > y };
    case '>=': return { kind: 'bool', value: x >= y };
    case '==': return { kind: 'bool', value: x === y };
    case '!=': return { kind: 'bool', value: x !== y };
    default: throw new Error(`${op} is not a comparison`);
  }
}

function evalBinary(op: BinaryOp, a: Num, b: Num, col: number): EvalValue {
  if (a.kind === 'float' || b.kind === 'float') {
    const width = Math.max(a.kind === 'float' ? a.width : 0, b.kind === 'float' ? b.width : 0) as IntWidth;
    const x = toNumber(a);
    const y = toNumber(b);
    switch (op) {
      case '+': return float(width, x + y);
      case '-': return float(width, x - y);
      case '*': return float(width, x * y);
      case '/': return float(width, x / y);
      default:
        if (COMPARISONS.has(op)) return compare(op, x, y);
        throw new EvalError(`'${op}' needs integer operands, not ${typeName(a)} and ${typeName(b)}`, col);
    }
  }
  const width = Math.max(a.width, b.width) as IntWidth;
  // An operand of the result's width that is unsigned makes the operation unsigned (as in C).
  const unsigned = (a.width === width && a.unsigned) || (b.width === width && b.unsigned);
  const x = normalize(width, unsigned, a.value);
  const y = normalize(width, unsigned, b.value);
  switch (op) {
    case '+': return int(width, unsigned, x + y);
    case '-': return int(width, unsigned, x - y);
    case '*': return int(width, unsigned, x * y);
    case '/':
    case '%':
      if (y === 0n) throw new EvalError(op === '/' ? 'division by zero' : 'remainder by zero', col);
      return int(width, unsigned, op === '/' ? x / y : x % y);
    case '&': return int(width, unsigned, x & y);
    case '|': return int(width, unsigned, x | y);
    case '^': return int(width, unsigned, x ^ y);
    case '<<':
    case '>>':
    case '>>>': {
      const bits = width === 0 ? 64 : width;
      let count = y;
      if (width === 0) {
        if (count < 0n || count > 1024n) throw new EvalError(`shift count ${count} is out of range`, col);
      } else {
        count = BigInt.asUintN(32, count) % BigInt(width); // as WebAssembly's shifts do
      }
      if (op === '<<') return int(width, unsigned, x << count);
      if (op === '>>' && !(unsigned && width !== 0)) return int(width, unsigned, x >> count);
      return int(width, unsigned, BigInt.asUintN(bits, x) >> count);
    }
    case '<':
    case '<=':
    case '>':
    case '>=':
    case '==':
    case '!=':
      return compare(op, x, y);
    case '&&':
    case '||':
      throw new Error('logical operators are evaluated by evaluateExpression');
  }
}

function convert(type: ConvertType, v: Num, col: number): EvalValue {
  if (type === 'f32' || type === 'f64') {
    const width = type === 'f32' ? 32 : 64;
    if (v.kind === 'float' && v.bits !== undefined && v.width === width) return v;
    return float(width, toNumber(v));
  }
  const width = type.endsWith('64') ? 64 : 32;
  const unsigned = type.startsWith('u');
  if (v.kind === 'float') {
    if (!Number.isFinite(v.value)) throw new EvalError(`cannot convert ${formatEvalValue(v)} to ${type}`, col);
    return int(width, unsigned, BigInt(Math.trunc(v.value)));
  }
  return int(width, unsigned, v.value);
}

const LOAD_SIZE: Record<LoadType, number> = { i8: 1, u8: 1, i16: 2, u16: 2, i32: 4, u32: 4, i64: 8, u64: 8, f32: 4, f64: 8 };

/** How a load names its memory in messages: `memory1.i32`, `math!$heap.u8`, or just the type for memory 0. */
function loadName(type: LoadType, select: MemorySelector | undefined): string {
  if (!select) return type;
  const memory = typeof select.memory === 'number' ? `memory${select.memory}` : `$${select.memory}`;
  return `${select.instance ? select.instance + '!' : ''}${memory}.${type}`;
}

/**
 * Where `type[address]` is: the memory's bytes and a checked byte offset. Addresses are exact
 * BigInts (a memory64's included), so one beyond the memory is refused, never rounded into it.
 */
function memoryPlace(type: LoadType, address: Num, ctx: EvalContext, col: number, select?: MemorySelector): { view: DataView; at: number } {
  const name = loadName(type, select);
  if (address.kind !== 'int') throw new EvalError(`the address of ${name}[...] must be an integer, not ${typeName(address)}`, col);
  // An i32 or i64 address is read as unsigned, as WebAssembly does.
  const addr = address.width === 0 ? address.value : BigInt.asUintN(address.width, address.value);
  const mem = ctx.memory(select ?? null, col);
  if (!mem) throw new EvalError(`${type}[...] needs a memory, and this instance has none`, col);
  const size = LOAD_SIZE[type];
  if (addr < 0n || addr + BigInt(size) > BigInt(mem.length)) {
    throw new EvalError(`out of bounds memory access: ${name}[${addr}] reads ${size} byte${size > 1 ? 's' : ''} but the memory is ${mem.length} bytes`, col);
  }
  return { view: new DataView(mem.buffer, mem.byteOffset, mem.byteLength), at: Number(addr) };
}

function load(type: LoadType, address: Num, ctx: EvalContext, col: number, select?: MemorySelector): EvalValue {
  const { view, at } = memoryPlace(type, address, ctx, col, select);
  switch (type) {
    case 'i8': return int(32, false, BigInt(view.getInt8(at)));
    case 'u8': return int(32, false, BigInt(view.getUint8(at)));
    case 'i16': return int(32, false, BigInt(view.getInt16(at, true)));
    case 'u16': return int(32, false, BigInt(view.getUint16(at, true)));
    case 'i32': return int(32, false, BigInt(view.getInt32(at, true)));
    case 'u32': return int(32, true, BigInt(view.getUint32(at, true)));
    case 'i64': return int(64, false, view.getBigInt64(at, true));
    case 'u64': return int(64, true, view.getBigUint64(at, true));
    case 'f32': return fromValue({ type: 'f32', bits: view.getUint32(at, true) });
    case 'f64': return fromValue({ type: 'f64', bits: view.getBigUint64(at, true) });
  }
}

/** Evaluates a parsed expression; throws `EvalError` for what cannot be computed (unknown name, bounds...). */
/** `local9` where the frame has fewer locals (or a global likewise): says which there are. */
function noSuchIndex(kind: 'local' | 'global', index: number, count: number, owner: 'frame' | 'instance', col: number): never {
  const have = count === 0 ? `no ${kind}s` : count === 1 ? `only ${kind}0` : `${kind}0..${kind}${count - 1}`;
  throw new EvalError(`no ${kind}${index}: this ${owner} has ${have}`, col);
}

export function evaluateExpression(expr: Expr, ctx: EvalContext): EvalValue {
  switch (expr.k) {
    case 'int':
      return { kind: 'int', width: 0, unsigned: false, value: expr.value };
    case 'float':
      return { kind: 'float', width: 0, value: expr.value, nan: expr.nan };
    case 'bool':
      return { kind: 'bool', value: expr.value };
    case 'null':
      return { kind: 'null' };
    case 'name': {
      const v = ctx.localByName(expr.name) ?? ctx.globalByName(expr.name);
      if (v) return fromValue(v);
      return evaluateExpression(dottedAccess(expr, ctx), ctx);
    }
    case 'field': {
      const base = evaluateExpression(expr.base, ctx);
      const slot = fieldSlot(base, expr.field, expr.of, expr.col);
      return slot ? readSlot(slot) : arrayLength(base);
    }
    case 'index':
      return readSlot(elementSlot(evaluateExpression(expr.base, ctx), evaluateExpression(expr.index, ctx), expr.of, expr.col));
    case 'local':
      return fromValue(ctx.local(expr.index) ?? noSuchIndex('local', expr.index, ctx.localCount(), 'frame', expr.col));
    case 'global':
      return fromValue(ctx.global(expr.index) ?? noSuchIndex('global', expr.index, ctx.globalCount(), 'instance', expr.col));
    case 'load':
      return load(expr.type, asNumber(evaluateExpression(expr.addr, ctx), `${loadName(expr.type, expr.memory)}[...]`, expr.col), ctx, expr.col, expr.memory);
    case 'call': {
      if (!ctx.call) throw new EvalError(`functions cannot be called here`, expr.col);
      const args = expr.args.map((a) => evaluateExpression(a, ctx));
      return ctx.call(expr.instance, expr.name, args, expr.col);
    }
    case 'convert':
      return convert(expr.type, asNumber(evaluateExpression(expr.arg, ctx), `${expr.type}(...)`, expr.col), expr.col);
    case 'v128':
      return { kind: 'opaque', value: { type: 'v128', bytes: expr.bytes } };
    case 'lane': {
      const { bytes, index } = lanePlace(expr, ctx);
      return laneValue(bytes, expr.shape, index);
    }
    case 'unary': {
      const arg = evaluateExpression(expr.arg, ctx);
      if (expr.op === '!') return { kind: 'bool', value: !isTruthy(arg) };
      const n = asNumber(arg, `'${expr.op}'`, expr.col);
      if (expr.op === '~') {
        if (n.kind !== 'int') throw new EvalError(`'~' needs an integer operand, not ${typeName(n)}`, expr.col);
        return int(n.width, n.unsigned, ~n.value);
      }
      if (n.kind === 'int') return int(n.width, n.unsigned, -n.value);
      if (n.bits !== undefined) {
        const sign = n.width === 32 ? 0x80000000n : 0x8000000000000000n;
        const bits = n.bits ^ sign;
        return { kind: 'float', width: n.width, value: -n.value, bits };
      }
      if (n.nan) return { kind: 'float', width: n.width, value: NaN, nan: { ...n.nan, negative: !n.nan.negative } };
      return { kind: 'float', width: n.width, value: -n.value };
    }
    case 'binary': {
      if (expr.op === '&&' || expr.op === '||') {
        const left = isTruthy(evaluateExpression(expr.left, ctx));
        if (expr.op === '&&' ? !left : left) return { kind: 'bool', value: left };
        return { kind: 'bool', value: isTruthy(evaluateExpression(expr.right, ctx)) };
      }
      const left = evaluateExpression(expr.left, ctx);
      const right = evaluateExpression(expr.right, ctx);
      if ((expr.op === '==' || expr.op === '!=') && (isReference(left) || isReference(right))) return compareReferences(expr.op, left, right, expr.col);
      return evalBinary(expr.op, asNumber(left, `'${expr.op}'`, expr.col), asNumber(right, `'${expr.op}'`, expr.col), expr.col);
    }
  }
}

/**
 * `$p.next.x` is one name token: unless a variable has the whole name, the longest prefix that
 * names one is the variable and the rest are fields. An EvalError when no prefix names one.
 */
function dottedAccess(expr: Expr & { k: 'name' }, ctx: EvalContext): Expr {
  const parts = expr.name.split('.');
  for (let n = parts.length - 1; n >= 1; n--) {
    const name = parts.slice(0, n).join('.');
    if (!ctx.localByName(name) && !ctx.globalByName(name)) continue;
    let access: Expr = { k: 'name', name, col: expr.col };
    let of = '$' + name;
    for (const field of parts.slice(n)) {
      if (field === '') throw new EvalError(`expected a field name or index after '.'`, expr.col + of.length + 1);
      access = { k: 'field', base: access, field, of, col: expr.col + of.length + 1 };
      of += '.' + field;
    }
    return access;
  }
  throw new EvalError(`no local, parameter or global named $${parts[0] === '' ? expr.name : parts[0]}`, expr.col);
}

/** The field or element an access expression (`$p.x`, `$a[2]`, `$m[0].next`) names; null for any other expression. */
export function gcSlotOf(expr: Expr, ctx: EvalContext): GcSlot | null {
  switch (expr.k) {
    case 'name':
      return ctx.localByName(expr.name) || ctx.globalByName(expr.name) || !expr.name.includes('.') ? null : gcSlotOf(dottedAccess(expr, ctx), ctx);
    case 'field': {
      const slot = fieldSlot(evaluateExpression(expr.base, ctx), expr.field, expr.of, expr.col);
      if (!slot) throw new EvalError(`the length of ${expr.of} cannot be changed`, expr.col);
      return slot;
    }
    case 'index':
      return elementSlot(evaluateExpression(expr.base, ctx), evaluateExpression(expr.index, ctx), expr.of, expr.col);
    default:
      return null;
  }
}

/** The vector a lane expression reads and its checked lane index. */
export function lanePlace(expr: Expr & { k: 'lane' }, ctx: EvalContext): { bytes: Uint8Array; index: number } {
  const base = evaluateExpression(expr.base, ctx);
  if (base.kind !== 'opaque' || base.value.type !== 'v128') {
    throw new EvalError(`.${expr.shape}[...] reads a lane of a v128, not of ${base.kind === 'opaque' ? `a ${base.value.type}` : typeName(asNumber(base, `.${expr.shape}[...]`, expr.col))}`, expr.col);
  }
  const i = asNumber(evaluateExpression(expr.index, ctx), `.${expr.shape}[...]`, expr.col);
  const count = LANE_SHAPES[expr.shape].count;
  if (i.kind !== 'int' || i.value < 0n || i.value >= BigInt(count)) {
    throw new EvalError(`lane index ${formatEvalValue(i)} is out of range: ${expr.shape} has lanes 0..${count - 1}`, expr.col);
  }
  return { bytes: base.value.bytes, index: Number(i.value) };
}

/** One lane as an expression value: narrow lanes as i32 (like u8[...] loads), u32 and u64 unsigned, floats with their bits. */
function laneValue(bytes: Uint8Array, shape: LaneShape, index: number): EvalValue {
  const { bits: width, kind } = LANE_SHAPES[shape];
  const bits = laneBits(bytes, shape, index);
  if (kind === 'float') return width === 32 ? fromValue({ type: 'f32', bits: Number(bits) }) : fromValue({ type: 'f64', bits });
  const value = kind === 'signed' ? BigInt.asIntN(width, bits) : bits;
  return int(width === 64 ? 64 : 32, kind === 'unsigned' && width >= 32, value);
}

/** `vector` with lane `index` set to `value`: integers must fit the lane (signed or unsigned), floats go through f32/f64. */
export function replaceLane(bytes: Uint8Array, shape: LaneShape, index: number, value: EvalValue): Uint8Array {
  const { bits: width, kind } = LANE_SHAPES[shape];
  if (kind === 'float') {
    const v = toValue(value, width === 32 ? 'f32' : 'f64');
    return withLane(bytes, shape, index, BigInt((v as { bits: number | bigint }).bits));
  }
  const v = toValue(value, width === 64 ? 'i64' : 'i32', width < 32);
  const n = BigInt((v as { value: number | bigint }).value);
  const wide = value.kind === 'int' ? value.value : n;
  if (width < 32 && (wide < -(1n << BigInt(width - 1)) || wide >= 1n << BigInt(width))) {
    throw new Error(`${wide} does not fit in a ${width}-bit lane`);
  }
  return withLane(bytes, shape, index, BigInt.asUintN(width, n));
}

/**
 * Stores `value` at the memory place `expr` (a `type[address]` load expression) names, as a
 * WebAssembly store of that width would (integers wrap to the width).
 */
export function storeToMemory(expr: Expr & { k: 'load' }, value: EvalValue, ctx: EvalContext): void {
  const { view, at } = memoryPlace(expr.type, asNumber(evaluateExpression(expr.addr, ctx), `${loadName(expr.type, expr.memory)}[...]`, expr.col), ctx, expr.col, expr.memory);
  const wide = expr.type.endsWith('64');
  const stored = toValue(value, expr.type === 'f32' ? 'f32' : expr.type === 'f64' ? 'f64' : wide ? 'i64' : 'i32', true);
  switch (expr.type) {
    case 'i8': case 'u8': view.setUint8(at, (stored as { value: number }).value & 0xff); break;
    case 'i16': case 'u16': view.setUint16(at, (stored as { value: number }).value & 0xffff, true); break;
    case 'i32': case 'u32': view.setInt32(at, (stored as { value: number }).value, true); break;
    case 'i64': case 'u64': view.setBigInt64(at, (stored as { value: bigint }).value, true); break;
    case 'f32': view.setUint32(at, (stored as { bits: number }).bits, true); break;
    case 'f64': view.setBigUint64(at, (stored as { bits: bigint }).bits, true); break;
  }
}

/** Parses and evaluates in one go. */
export function evaluate(text: string, ctx: EvalContext): EvalValue {
  return evaluateExpression(parseExpression(text), ctx);
}
