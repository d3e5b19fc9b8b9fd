// Translates one function's internal code (compile.ts, the unfused `orig`) into the source of a
// JavaScript function, created once with `new Function`. Locals live in JS variables, operands in
// one variable per stack depth and type (stack heights and types are static in wasm), i32 as int32
// numbers, f32/f64 as numbers, i64 as two int32 words (i64.ts). Control flow is JavaScript loops
// and labelled blocks rebuilt from the branches (structure.ts).
//
// The generated code never stops by itself. Before anything the interpreter would stop at or trap
// on (a budget point with one point left, a trap, a call it cannot make directly: to a host
// function, or to a function not compiled or with breakpoints), it leaves: it writes its locals and operands into its frame's slots and
// the position of that instruction into the call stack, and returns with `S.u` set; each compiled
// caller below it on the JS stack does the same at its call's return position. The interpreter
// then runs that instruction itself, so every stop, trap and tick happens in the interpreter,
// exactly as without the tier.
//
// A float is only ever made from bits (a load, a global, a reinterpretation, the frame's slots) when
// the bits are not a NaN: a NaN's payload would not survive in a JS number, so there the code leaves
// to the interpreter instead (or is not entered).

import { Op, CompiledFunc, operandTypesEverywhere } from '../compile';
import type { FuncInst, Instance } from '../runtime';
import { funcTypeAt, type FuncType, type ValType } from '../types';
import { canonById } from '../typeCanon';
import { regions, type Region } from './structure';
import { laneVars, translateSimd } from './simd';
import { I64_LOADS, I64_STORES, I64_TO_FLOAT, I64_TO_I32, I64_TRAPS, TO_I64, hi, i64Const, truncToI64 } from './i64';

/** A generated function: `pc < 0` is a direct call from compiled code with the arguments after `depth`; else an entry from the interpreter's frame at code index `pc`. */
export type TierFn = (fp: number, pc: number, depth: number, ...args: unknown[]) => unknown;

export interface Translation {
  /** The JS source of the factory (for tests and for reading). */
  source: string;
  /** Code indices where the interpreter may hand a frame over: 0, every loop head and every call's return position. */
  entries: Set<number>;
  /** Values the factory needs, in the order of its parameters. */
  constants: unknown[];
  names: string[];
  /** The most JS stack the generated function takes, estimated (a call adds this to `depth`). */
  frameBytes: number;
}

export class Untranslatable extends Error {}

/** i32, i64, f32, f64, and v128 (four int32 variables, simd.ts). */
export type Kind = 'i' | 'l' | 'f' | 'd' | 'v';

function kindOf(t: ValType): Kind | null {
  switch (t) {
    case 'i32': return 'i';
    case 'i64': return 'l';
    case 'f32': return 'f';
    case 'f64': return 'd';
    case 'v128': return 'v';
    default: return null;
  }
}

function kindOrFail(t: ValType, what: string): Kind {
  const k = kindOf(t);
  if (k === null) throw new Untranslatable(`${what} of type ${t}`);
  return k;
}

/** A number as a literal that may stand anywhere in an expression (negative ones in parentheses). */
function numLit(x: number): string {
  if (Object.is(x, -0)) return '(-0)';
  return x < 0 ? `(${x})` : String(x);
}

/** The JS variables that hold a value of kind `k` named `name`: one, an i64's two words (i64.ts), a v128's four (simd.ts). */
function varsOf(k: Kind, name: string): string[] {
  return k === 'l' ? [name, hi(name)] : k === 'v' ? laneVars(name) : [name];
}

/** The elements of the store's views (`I32`, `F32`, `F64`, `V`) holding slot expression `slot` of kind `k`, in the order of varsOf. */
function slotWords(k: Kind, slot: string): string[] {
  const low = `I32[(${slot}) << 1]`;
  const high = `I32[((${slot}) << 1) + 1]`;
  switch (k) {
    case 'i': return [low];
    case 'l': return [low, high];
    case 'v': return [low, high, `V[(${slot}) << 1]`, `V[((${slot}) << 1) + 1]`];
    case 'f': return [`F32[(${slot}) << 1]`];
    case 'd': return [`F64[${slot}]`];
  }
}

/** Statement: each of `dst` from the same place of `src`. */
function assignWords(dst: string[], src: string[]): string {
  return dst.map((d, i) => `${d} = ${src[i]};`).join(' ');
}

/** Statement: variable `name` of kind `k` from slot `slot`. */
function readSlot(k: Kind, slot: string, name: string): string {
  return assignWords(varsOf(k, name), slotWords(k, slot));
}

/** Statement: slot `slot` of kind `k` from variable `name`. */
function writeSlot(k: Kind, slot: string, name: string): string {
  return assignWords(slotWords(k, slot), varsOf(k, name));
}

/** Statement: variable `dst` of kind `k` from `src`. */
function copy(k: Kind, dst: string, src: string): string {
  return dst === src ? '' : assignWords(varsOf(k, dst), varsOf(k, src));
}

/** Returns a v128 result: written where the interpreter's RETURN leaves it, the frame's first slot (tier.ts reads nothing back). */
function returnVec(name: string): string {
  return `{ const I32 = store.I32, V = store.V; ${writeSlot('v', 'fp', name)} } return 0;`;
}

/** Length in words of the internal instruction at `pc` (only the instructions translated here). */
function lengthAt(code: Int32Array, pc: number): number {
  const op = code[pc];
  switch (op) {
    case Op.UNREACHABLE: case Op.NOP: case Op.RETURN: case Op.DROP: case Op.SELECT: case Op.MEMORY_SIZE: case Op.MEMORY_GROW:
    case Op.MEMORY_COPY: case Op.MEMORY_FILL:
      return 1;
    case Op.BR: case Op.BR_IF: case Op.BR_BACK: case Op.BR_IF_BACK: case Op.IF: case Op.CALL:
    case Op.LOCAL_GET32: case Op.LOCAL_SET32: case Op.LOCAL_TEE32: case Op.LOCAL_GET64: case Op.LOCAL_SET64: case Op.LOCAL_TEE64:
    case Op.GLOBAL_GET32: case Op.GLOBAL_SET32: case Op.GLOBAL_GET64: case Op.GLOBAL_SET64: case Op.I32_CONST: case Op.F32_CONST:
      return 2;
    case Op.CALL_INDIRECT: case Op.I64_CONST: case Op.F64_CONST:
      return 3;
    case Op.SIMD:
      return code[pc + 1];
    case Op.BR_MOVE: case Op.BR_IF_MOVE:
      return 4;
    case Op.BR_TABLE:
      return 2 + 3 * (code[pc + 1] + 1);
  }
  if (op >= 0x28 && op <= 0x3e) return 2;
  if ((op >= 0x45 && op <= 0xc4) || (op >= 0xe0 && op <= 0xe7)) return 1;
  throw new Untranslatable(`instruction ${opName(op)}`);
}

function opName(op: number): string {
  const names: Record<number, string> = {
    [Op.RETURN_CALL]: 'return_call', [Op.RETURN_CALL_INDIRECT]: 'return_call_indirect', [Op.CALL_REF]: 'call_ref', [Op.RETURN_CALL_REF]: 'return_call_ref',
    [Op.GC]: 'GC', [Op.MEMORY_N]: 'a memory other than 0', [Op.ADDR64]: 'memory64/table64 addressing',
    [Op.THROW]: 'throw', [Op.THROW_REF]: 'throw_ref', [Op.RETHROW]: 'rethrow', [Op.LOCAL_GET_REF]: 'reference locals',
    [Op.SELECT_REF]: 'select of references', [Op.GLOBAL_GET_REF]: 'reference globals', [Op.GLOBAL_SET_REF]: 'reference globals',
    [Op.TABLE_GET]: 'table.get', [Op.TABLE_SET]: 'table.set', [Op.REF_NULL]: 'ref.null', [Op.REF_IS_NULL]: 'ref.is_null', [Op.REF_FUNC]: 'ref.func',
    [Op.MEMORY_INIT]: 'memory.init', [Op.DATA_DROP]: 'data.drop', [Op.TABLE_INIT]: 'table.init', [Op.ELEM_DROP]: 'elem.drop',
    [Op.TABLE_COPY]: 'table.copy', [Op.TABLE_GROW]: 'table.grow', [Op.TABLE_SIZE]: 'table.size', [Op.TABLE_FILL]: 'table.fill',
  };
  return names[op] ?? `0x${op.toString(16)}`;
}

/** Operand expressions of numeric instructions: [result kind, expression of a (and b)]. */
const UNARY: Record<number, [Kind, (a: string) => string]> = {
  0x45: ['i', (a) => `(${a} === 0 ? 1 : 0)`],
  0x67: ['i', (a) => `Math.clz32(${a})`],
  0x68: ['i', (a) => `H.ctz32(${a})`],
  0x69: ['i', (a) => `H.popcnt32(${a})`],
  0x8b: ['f', (a) => `Math.abs(${a})`],
  0x8c: ['f', (a) => `(-${a})`],
  0x8d: ['f', (a) => `Math.ceil(${a})`],
  0x8e: ['f', (a) => `Math.floor(${a})`],
  0x8f: ['f', (a) => `Math.trunc(${a})`],
  0x90: ['f', (a) => `H.nearest(${a})`],
  0x91: ['f', (a) => `Math.fround(Math.sqrt(${a}))`],
  0x99: ['d', (a) => `Math.abs(${a})`],
  0x9a: ['d', (a) => `(-${a})`],
  0x9b: ['d', (a) => `Math.ceil(${a})`],
  0x9c: ['d', (a) => `Math.floor(${a})`],
  0x9d: ['d', (a) => `Math.trunc(${a})`],
  0x9e: ['d', (a) => `H.nearest(${a})`],
  0x9f: ['d', (a) => `Math.sqrt(${a})`],
  0xb2: ['f', (a) => `Math.fround(${a})`],
  0xb3: ['f', (a) => `Math.fround(${a} >>> 0)`],
  0xb6: ['f', (a) => `Math.fround(${a})`],
  0xb7: ['d', (a) => `(${a})`],
  0xb8: ['d', (a) => `(${a} >>> 0)`],
  0xbb: ['d', (a) => `(${a})`],
  0xbc: ['i', (a) => `H.f32Bits(${a})`],
  0xc0: ['i', (a) => `((${a} << 24) >> 24)`],
  0xc1: ['i', (a) => `((${a} << 16) >> 16)`],
  0xe0: ['i', (a) => `H.i32TruncSatS(${a})`],
  0xe1: ['i', (a) => `H.i32TruncSatU(${a})`],
  0xe2: ['i', (a) => `H.i32TruncSatS(${a})`],
  0xe3: ['i', (a) => `H.i32TruncSatU(${a})`],
};

const cmp = (e: string) => `(${e} ? 1 : 0)`;

const BINARY: Record<number, [Kind, (a: string, b: string) => string]> = {
  0x46: ['i', (a, b) => cmp(`${a} === ${b}`)],
  0x47: ['i', (a, b) => cmp(`${a} !== ${b}`)],
  0x48: ['i', (a, b) => cmp(`${a} < ${b}`)],
  0x49: ['i', (a, b) => cmp(`(${a} >>> 0) < (${b} >>> 0)`)],
  0x4a: ['i', (a, b) => cmp(`${a} > ${b}`)],
  0x4b: ['i', (a, b) => cmp(`(${a} >>> 0) > (${b} >>> 0)`)],
  0x4c: ['i', (a, b) => cmp(`${a} <= ${b}`)],
  0x4d: ['i', (a, b) => cmp(`(${a} >>> 0) <= (${b} >>> 0)`)],
  0x4e: ['i', (a, b) => cmp(`${a} >= ${b}`)],
  0x4f: ['i', (a, b) => cmp(`(${a} >>> 0) >= (${b} >>> 0)`)],
  0x6a: ['i', (a, b) => `((${a} + ${b}) | 0)`],
  0x6b: ['i', (a, b) => `((${a} - ${b}) | 0)`],
  0x6c: ['i', (a, b) => `Math.imul(${a}, ${b})`],
  0x6d: ['i', (a, b) => `((${a} / ${b}) | 0)`],
  0x6e: ['i', (a, b) => `(((${a} >>> 0) / (${b} >>> 0)) | 0)`],
  0x6f: ['i', (a, b) => `((${a} % ${b}) | 0)`],
  0x70: ['i', (a, b) => `(((${a} >>> 0) % (${b} >>> 0)) | 0)`],
  0x71: ['i', (a, b) => `(${a} & ${b})`],
  0x72: ['i', (a, b) => `(${a} | ${b})`],
  0x73: ['i', (a, b) => `(${a} ^ ${b})`],
  0x74: ['i', (a, b) => `(${a} << ${b})`],
  0x75: ['i', (a, b) => `(${a} >> ${b})`],
  0x76: ['i', (a, b) => `((${a} >>> ${b}) | 0)`],
  0x77: ['i', (a, b) => `H.rotl32(${a}, ${b})`],
  0x78: ['i', (a, b) => `H.rotr32(${a}, ${b})`],
  0x92: ['f', (a, b) => `Math.fround(${a} + ${b})`],
  0x93: ['f', (a, b) => `Math.fround(${a} - ${b})`],
  0x94: ['f', (a, b) => `Math.fround(${a} * ${b})`],
  0x95: ['f', (a, b) => `Math.fround(${a} / ${b})`],
  0x96: ['f', (a, b) => `Math.min(${a}, ${b})`],
  0x97: ['f', (a, b) => `Math.max(${a}, ${b})`],
  0x98: ['f', (a, b) => `H.copysign(${a}, ${b})`],
  0xa0: ['d', (a, b) => `(${a} + ${b})`],
  0xa1: ['d', (a, b) => `(${a} - ${b})`],
  0xa2: ['d', (a, b) => `(${a} * ${b})`],
  0xa3: ['d', (a, b) => `(${a} / ${b})`],
  0xa4: ['d', (a, b) => `Math.min(${a}, ${b})`],
  0xa5: ['d', (a, b) => `Math.max(${a}, ${b})`],
  0xa6: ['d', (a, b) => `H.copysign(${a}, ${b})`],
};
for (let op = 0x5b; op <= 0x66; op++) {
  const rel = ['===', '!==', '<', '>', '<=', '>='][(op - 0x5b) % 6];
  BINARY[op] = ['i', (a, b) => cmp(`${a} ${rel} ${b}`)];
}

/** Conditions under which an instruction traps (the interpreter then runs it and traps). */
const TRAPS: Record<number, (a: string, b: string) => string> = {
  0x6d: (a, b) => `${b} === 0 || (${a} === -2147483648 && ${b} === -1)`,
  0x6e: (_a, b) => `${b} === 0`,
  0x6f: (_a, b) => `${b} === 0`,
  0x70: (_a, b) => `${b} === 0`,
};

/** Float to integer truncations that trap: [result kind, signed, 64-bit result]. */
const TRUNCS: Record<number, [boolean, boolean]> = {
  0xa8: [true, false], 0xa9: [false, false], 0xaa: [true, false], 0xab: [false, false],
  0xae: [true, true], 0xaf: [false, true], 0xb0: [true, true], 0xb1: [false, true],
};

/** Loads other than i64's (i64.ts): [result kind, width in bytes, expression of the address `ea`]. */
const LOADS: Record<number, [Kind, number, string]> = {
  0x28: ['i', 4, 'mv.getInt32(ea, true)'],
  0x2a: ['f', 4, 'mv.getFloat32(ea, true)'],
  0x2b: ['d', 8, 'mv.getFloat64(ea, true)'],
  0x2c: ['i', 1, 'mv.getInt8(ea)'],
  0x2d: ['i', 1, 'mu8[ea]'],
  0x2e: ['i', 2, 'mv.getInt16(ea, true)'],
  0x2f: ['i', 2, 'mv.getUint16(ea, true)'],
};

/** Stores other than i64's (i64.ts): [width in bytes, statement storing `v` at `ea`]. */
const STORES: Record<number, [number, (v: string) => string]> = {
  0x36: [4, (v) => `mv.setInt32(ea, ${v}, true)`],
  0x38: [4, (v) => `mv.setFloat32(ea, ${v}, true)`],
  0x39: [8, (v) => `mv.setFloat64(ea, ${v}, true)`],
  0x3a: [1, (v) => `mu8[ea] = ${v}`],
  0x3b: [2, (v) => `mv.setInt16(ea, ${v}, true)`],
};

/** An exit to the interpreter: where, and the operand stack to write back (types, bottom first). */
interface Exit {
  pc: number;
  stack: Kind[];
  /** The operands not yet in their variables: their expressions (constants and locals, unchanged until the exit). */
  lazy: (string | null)[];
}

/** The most JS stack compiled code may use above an entry from the interpreter, in estimated bytes. */
export const JS_STACK_BUDGET = 256_000;

/**
 * Translates `f` (a wasm function of `inst`) whose internal code is `cf`. `tierOf` gives the tier
 * record of a callee (a constant of the generated code). Throws `Untranslatable` with the reason.
 */
export function translate(f: FuncInst, cf: CompiledFunc, inst: Instance, tierOf: (g: FuncInst) => unknown, maxCallDepth: number): Translation {
  if (cf.handlers.length > 0) throw new Untranslatable('exception handlers');
  if (cf.nresults > 1) throw new Untranslatable('several results');
  const code = cf.orig;
  const NL = cf.nlocals;
  const localKinds = cf.localTypes.map((t) => kindOrFail(t, 'a local'));
  if (localKinds.length !== NL) throw new Untranslatable('hidden locals');
  const resultKind: Kind | null = cf.nresults === 1 ? kindOrFail(cf.type.results[0], 'a result') : null;
  const stacks = operandTypesEverywhere(cf);

  // First pass: lengths (which also rejects what is not translated), branch targets, loop heads.
  const leaders = new Set<number>([0]);
  const entries = new Set<number>([0]);
  const starts: number[] = [];
  const forward = new Map<number, number[]>();
  const back = new Map<number, number[]>();
  for (let pc = 0; pc < code.length; pc += lengthAt(code, pc)) {
    starts.push(pc);
    const op = code[pc];
    const target = (t: number) => {
      leaders.add(t);
      if (t <= pc) entries.add(t);
      const sources = t <= pc ? back : forward;
      const list = sources.get(t);
      if (list === undefined) sources.set(t, [pc]);
      else list.push(pc);
    };
    if (op === Op.BR || op === Op.BR_IF || op === Op.BR_BACK || op === Op.BR_IF_BACK || op === Op.IF || op === Op.BR_MOVE || op === Op.BR_IF_MOVE) target(code[pc + 1]);
    else if (op === Op.BR_TABLE) for (let i = 0; i <= code[pc + 1]; i++) { const t = code[pc + 2 + 3 * i]; if (t >= 0) target(t); }
    else if (op === Op.CALL || op === Op.CALL_INDIRECT) {
      // A call's return position: a frame the interpreter ran the callee for resumes here in compiled code.
      const next = pc + lengthAt(code, pc);
      leaders.add(next);
      entries.add(next);
    }
  }


  const constants: unknown[] = [];
  const names: string[] = [];
  const constant = (value: unknown, prefix: string): string => {
    const i = constants.indexOf(value);
    if (i >= 0) return names[i];
    const name = `${prefix}${constants.length}`;
    constants.push(value);
    names.push(name);
    return name;
  };

  const usedVars = new Set<string>();
  const v = (depth: number, k: Kind) => {
    const name = `s${depth}${k}`;
    usedVars.add(name);
    return name;
  };
  const exits: Exit[] = [];
  const exitTo = (pc: number, stack: Kind[], lazy: (string | null)[]) => {
    exits.push({ pc, stack: stack.slice(), lazy: lazy.slice(0, stack.length) });
    return `{ x = ${exits.length - 1}; break d; }`;
  };
  // The budget lives in `b` while the function runs (S.b around calls, exits and returns).
  // Breakpoints need no check here: they are set between runs, every run starts in the
  // interpreter, which hands over no frame of a function with breakpoints, and a compiled call
  // checks its callee's.
  const budgetCheck = `b <= 1`;
  const memory = inst.memories.length > 0 ? inst.memories[0] : null;
  /** Stands for the frame's size in the source until every variable is known. */
  const FRAME = '__frameBytes__';

  const body: string[] = [];
  /** The JS of each instruction translated (by code index). */
  const pieces = new Map<number, string>();
  let stack: Kind[] | null = [];
  /**
   * Operands pushed by a constant or a local.get (of a number type) are not written to their
   * variable at once: `lazy` holds their expression, used where they are popped. They are written
   * before the local they read changes, before a branch and before code that is a branch target.
   */
  let lazy: (string | null)[] = [];
  let last = 0;
  for (let pc = 0; pc < code.length; pc += lengthAt(code, pc)) {
    if (body.length > 0) pieces.set(last, body.splice(0).join('\n'));
    // Code after an unconditional transfer that no branch targets is never reached (a function's
    // final RETURN after a `return`, say): nothing to translate.
    if (stack === null && !leaders.has(pc)) continue;
    const recorded = stacks[pc];
    if (stack === null) lazy = [];
    if (recorded !== undefined) stack = recorded.map((t) => kindOrFail(t, 'an operand'));
    if (stack === null) throw new Untranslatable(`no operand types at code index ${pc}`);
    last = pc;
    /** A branch: back to a loop's head, or out of the block that ends at its target. */
    const jump = (target: number) => (target <= pc ? `continue L${target};` : `break b${target};`);
    const st: Kind[] = stack;
    const at = st.slice(); // the stack in front of this instruction, for exits
    const atLazy = lazy.slice();
    const lz = lazy;
    /** The value at `depth`: its expression, or its variable. */
    const val = (depth: number) => lz[depth] ?? v(depth, st[depth]);
    const pop = () => {
      const depth = st.length - 1;
      const x = val(depth);
      st.pop();
      lz.length = st.length;
      return x;
    };
    const push = (k: Kind) => {
      st.push(k);
      lz.length = st.length;
      lz[st.length - 1] = null;
      return v(st.length - 1, k);
    };
    const pushLazy = (k: Kind, expr: string) => {
      st.push(k);
      lz.length = st.length;
      lz[st.length - 1] = expr;
    };
    /** Writes the operand at `depth` to its variable if it is lazy. */
    const flushAt = (depth: number) => {
      const x = lz[depth];
      if (x === null || x === undefined) return;
      body.push(`${v(depth, st[depth])} = ${x};`);
      lz[depth] = null;
    };
    /** Writes the lazy operands (those whose expression is `only`, when given) to their variables. */
    const flush = (only?: string) => {
      for (let i = 0; i < st.length; i++) if (only === undefined || lz[i] === only) flushAt(i);
    };
    /** The top operand in its variable (for instructions that assign to it). */
    const topVar = () => {
      const depth = st.length - 1;
      flushAt(depth);
      return v(depth, st[depth]);
    };
    const here = () => exitTo(pc, at, atLazy);
    const op = code[pc];
    const emit = (s: string) => body.push(s);
    /** Moves the top `n` operands down to depth `to` (a branch keeping its values). */
    const moveTop = (n: number, to: number): string => {
      let s = '';
      for (let i = 0; i < n; i++) {
        const k = st[st.length - n + i];
        if (to + i !== st.length - n + i) s += `${copy(k, v(to + i, k), v(st.length - n + i, k))} `;
      }
      return s;
    };
    const ret = (): string => (resultKind === null ? `S.b = b; return 0;` : resultKind === 'v' ? `S.b = b; ${returnVec(v(st.length - 1, 'v'))}` : `S.b = b; ${resultKind === 'l' ? `H.hi = ${hi(v(st.length - 1, 'l'))}; ` : ''}return ${val(st.length - 1)};`);
    switch (op) {
      case Op.NOP:
        break;
      case Op.UNREACHABLE:
        emit(here());
        stack = null;
        break;
      case Op.BR:
        flush();
        emit(jump(code[pc + 1]));
        stack = null;
        break;
      case Op.BR_IF: {
        const c = pop();
        flush();
        emit(`if (${c} !== 0) { ${jump(code[pc + 1])} }`);
        break;
      }
      case Op.IF: {
        const c = pop();
        flush();
        emit(`if (${c} === 0) { ${jump(code[pc + 1])} }`);
        break;
      }
      case Op.BR_BACK:
        flush();
        emit(`if (${budgetCheck}) ${here()} b -= 1; ${jump(code[pc + 1])}`);
        stack = null;
        break;
      case Op.BR_IF_BACK: {
        const c = pop();
        flush();
        emit(`if (${c} !== 0) { if (${budgetCheck}) ${here()} b -= 1; ${jump(code[pc + 1])} }`);
        break;
      }
      case Op.BR_MOVE: case Op.BR_IF_MOVE: {
        const conditional = op === Op.BR_IF_MOVE;
        const c = conditional ? pop() : '';
        flush();
        const target = code[pc + 1];
        const back = target <= pc;
        const go = `${back ? `if (${budgetCheck}) ${here()} b -= 1; ` : ''}${moveTop(code[pc + 2], code[pc + 3] - NL)}${jump(target)}`;
        emit(conditional ? `if (${c} !== 0) { ${go} }` : go);
        if (!conditional) stack = null;
        break;
      }
      case Op.BR_TABLE: {
        const n = code[pc + 1];
        const idx = pop();
        flush();
        const groups = new Map<string, number[]>();
        for (let i = 0; i <= n; i++) {
          const e = pc + 2 + 3 * i;
          const target = code[e];
          const arm = target < 0 ? ret() : `${target <= pc ? `if (${budgetCheck}) ${here()} b -= 1; ` : ''}${moveTop(code[e + 1], code[e + 2] - NL)}${jump(target)}`;
          const list = groups.get(arm) ?? [];
          list.push(i);
          groups.set(arm, list);
        }
        let s = `switch (${idx} >>> 0 > ${n} ? ${n} : ${idx}) {`;
        for (const [arm, list] of groups) s += ` ${list.map((i) => (i === n ? 'default:' : `case ${i}:`)).join(' ')} { ${arm} }`;
        emit(s + ' }');
        stack = null;
        break;
      }
      case Op.RETURN:
        emit(ret());
        stack = null;
        break;
      case Op.CALL: case Op.CALL_INDIRECT: {
        const indirect = op === Op.CALL_INDIRECT;
        const calleeType = indirect ? tierCalleeTypeOf(code[pc + 1]) : inst.funcs[code[pc + 1]].type;
        if (calleeType.results.length > 1) throw new Untranslatable('a call to a function with several results');
        const pk = calleeType.params.map((t) => kindOrFail(t, 'a call argument'));
        const rk = calleeType.results.length === 1 ? kindOrFail(calleeType.results[0], 'a call result') : null;
        if (rk === 'v') { // a v128 result comes back in the callee's frame: the interpreter makes the call
          emit(here());
          stack = null;
          break;
        }
        const next = pc + lengthAt(code, pc);
        const idx = indirect ? pop() : '';
        const args = pk.map(() => '');
        for (let i = pk.length - 1; i >= 0; i--) args[i] = pop();
        const after = st.slice(); // below the arguments: what the caller keeps while the callee runs
        const nfp = `fp + ${NL + after.length}`;
        let s: string;
        let sameInstance = false;
        if (indirect) {
          const table = constant(inst.tables[code[pc + 2]], 'TB');
          const typeId = code[pc + 1];
          s = `{ const els = ${table}.elements; const i = ${idx} >>> 0; if (i >= els.length) ${here()} c = els[i];`
            + ` if (c === null || (c.typeId !== ${typeId} && !c.canon.isSubOf(H.canonById(${typeId}))) || c.instance === null || c.tier === null) ${here()} t = c.tier; }`;
        } else {
          const callee = inst.funcs[code[pc + 1]];
          if (callee.instance === null) {
            // A host function: the interpreter calls it (and counts its return), then goes on.
            emit(here());
            stack = null;
            break;
          }
          s = `c = ${constant(callee, 'FN')}; t = ${constant(tierOf(callee), 'T')};`;
          sameInstance = callee.instance === inst;
        }
        emit(s);
        // This frame's position is written only if the callee leaves to the interpreter (the exit
        // below), and a call within the instance needs no new entry in the sparse instance list.
        emit(`if (t.fn === null || t.cf.breakpoints.size !== 0 || ${budgetCheck} || depth > ${JS_STACK_BUDGET} || h >= ${maxCallDepth - 1} || ${nfp} + t.cf.maxHeight > store.capacity) ${here()}`);
        emit(sameInstance
          ? `S.b = b - 1; if (h + 1 < cs.fps.length) { cs.funcs[h + 1] = c; cs.fps[h + 1] = ${nfp}; cs.height = h + 2; } else cs.push(c, ${nfp});`
          : `S.b = b - 1; cs.push(c, ${nfp}, c.instance);`);
        const popFrame = sameInstance ? 'cs.height = h + 1;' : 'cs.pop();';
        const call = `t.fn(${nfp}, -1, depth + ${FRAME}${args.map((a, i) => `, ${varsOf(pk[i], a).join(', ')}`).join('')})`;
        const afterExit = exitTo(next, after, lz);
        if (rk === null) emit(`${call}; b = S.b;`);
        else {
          const r = push(rk);
          emit(`r${rk} = ${call}; b = S.b;`);
          usedVars.add(`r${rk}`);
          emit(`if (S.u) ${afterExit}`);
          emit(`${popFrame} ${r} = r${rk};${rk === 'l' ? ` ${hi(r)} = H.hi;` : ''}`);
        }
        if (rk === null) emit(`if (S.u) ${afterExit} ${popFrame}`);
        if (memory !== null) emit('mv = M.view; mu8 = M.u8; mlen = mu8.length;');
        break;
      }
      case Op.DROP:
        st.pop();
        break;
      case Op.SELECT: {
        const c = pop();
        const b = pop();
        const a = topVar();
        emit(`if (${c} === 0) { ${copy(st[st.length - 1], a, b)} }`);
        break;
      }
      case Op.LOCAL_GET32: case Op.LOCAL_GET64: {
        const i = code[pc + 1];
        if (localKinds[i] === 'l') emit(copy('l', push('l'), `l${i}`));
        else pushLazy(localKinds[i], `l${i}`);
        break;
      }
      case Op.LOCAL_SET32: case Op.LOCAL_SET64: {
        const i = code[pc + 1];
        const x = pop();
        flush(`l${i}`);
        emit(copy(localKinds[i], `l${i}`, x));
        break;
      }
      case Op.LOCAL_TEE32: case Op.LOCAL_TEE64: {
        const i = code[pc + 1];
        flush(`l${i}`);
        emit(copy(localKinds[i], `l${i}`, val(st.length - 1)));
        break;
      }
      case Op.GLOBAL_GET32: case Op.GLOBAL_GET64: {
        const g = inst.globals[code[pc + 1]];
        const k = kindOrFail(g.type.type, 'a global');
        const cell = globalCell(g.i32, k);
        const name = constant(cell, 'G');
        if (k === 'f' || k === 'd') {
          emit(`t${k} = ${name}[0]; if (t${k} !== t${k}) ${here()}`);
          usedVars.add(`t${k}`);
          emit(`${push(k)} = t${k};`);
        } else if (k === 'l') {
          const r = push(k);
          emit(`${r} = ${name}[0]; ${hi(r)} = ${name}[1];`);
        } else emit(`${push(k)} = ${name}[0];`);
        break;
      }
      case Op.GLOBAL_SET32: case Op.GLOBAL_SET64: {
        const g = inst.globals[code[pc + 1]];
        const k = kindOrFail(g.type.type, 'a global');
        const name = constant(globalCell(g.i32, k), 'G');
        const a = pop();
        emit(k === 'l' ? `${name}[0] = ${a}; ${name}[1] = ${hi(a)};` : `${name}[0] = ${a};`);
        break;
      }
      case Op.MEMORY_SIZE:
        emit(`${push('i')} = (mlen / 65536) | 0;`);
        break;
      case Op.MEMORY_GROW: {
        const a = topVar();
        emit(`${a} = M.grow(${a} >>> 0); mv = M.view; mu8 = M.u8; mlen = mu8.length;`);
        break;
      }
      case Op.MEMORY_FILL: {
        const n = pop();
        const val = pop();
        const dst = pop();
        emit(`if ((${dst} >>> 0) + (${n} >>> 0) > mlen) ${here()} mu8.fill(${val} & 0xff, ${dst} >>> 0, (${dst} >>> 0) + (${n} >>> 0));`);
        break;
      }
      case Op.MEMORY_COPY: {
        const n = pop();
        const src = pop();
        const dst = pop();
        emit(`if ((${src} >>> 0) + (${n} >>> 0) > mlen || (${dst} >>> 0) + (${n} >>> 0) > mlen) ${here()} mu8.copyWithin(${dst} >>> 0, ${src} >>> 0, (${src} >>> 0) + (${n} >>> 0));`);
        break;
      }
      case Op.I32_CONST:
        pushLazy('i', code[pc + 1] < 0 ? `(${code[pc + 1]})` : String(code[pc + 1]));
        break;
      case Op.I64_CONST:
        emit(i64Const(push('l'), code[pc + 1], code[pc + 2]));
        break;
      case Op.F32_CONST: {
        const x = new Float32Array(new Int32Array([code[pc + 1]]).buffer)[0];
        // A NaN's payload would not survive in a number: the interpreter pushes it and goes on.
        if (x !== x) emit(`${here()} ${push('f')} = 0;`);
        else pushLazy('f', numLit(x));
        break;
      }
      case Op.F64_CONST: {
        const x = new Float64Array(new Int32Array([code[pc + 1], code[pc + 2]]).buffer)[0];
        if (x !== x) emit(`${here()} ${push('d')} = 0;`);
        else pushLazy('d', numLit(x));
        break;
      }
      case Op.SIMD:
        translateSimd({ code, pc, pop, push, top: topVar, here, emit, constant, use: (name) => usedVars.add(name), globals: inst.globals });
        break;
      default: {
        const i64Load = I64_LOADS[op];
        if (i64Load !== undefined) {
          const a = pop();
          emit(`ea = (${a} >>> 0) + ${code[pc + 1] >>> 0}; if (ea + ${i64Load[0]} > mlen) ${here()} ${i64Load[1](push('l'))}`);
          break;
        }
        const i64Store = I64_STORES[op];
        if (i64Store !== undefined) {
          const val = pop();
          const a = pop();
          emit(`ea = (${a} >>> 0) + ${code[pc + 1] >>> 0}; if (ea + ${i64Store[0]} > mlen) ${here()} ${i64Store[1](val)};`);
          break;
        }
        if (op >= 0x28 && op <= 0x35) {
          const [k, width, load] = LOADS[op];
          const a = pop();
          emit(`ea = (${a} >>> 0) + ${code[pc + 1] >>> 0}; if (ea + ${width} > mlen) ${here()}`);
          if (k === 'f' || k === 'd') {
            usedVars.add(`t${k}`);
            emit(`t${k} = ${load}; if (t${k} !== t${k}) ${here()} ${push(k)} = t${k};`);
          } else emit(`${push(k)} = ${load};`);
          break;
        }
        if (op >= 0x36 && op <= 0x3e) {
          const [width, store] = STORES[op];
          const val = pop();
          const a = pop();
          emit(`ea = (${a} >>> 0) + ${code[pc + 1] >>> 0}; if (ea + ${width} > mlen) ${here()} ${store(val)};`);
          break;
        }
        if (op === 0xbe || op === 0xbf) { // reinterpretations to a float: a NaN's bits would not survive
          const k: Kind = op === 0xbe ? 'f' : 'd';
          const a = pop();
          usedVars.add(`t${k}`);
          emit(`t${k} = ${k === 'f' ? `H.f32FromBits(${a})` : I64_TO_FLOAT[op](a)}; if (t${k} !== t${k}) ${here()} ${push(k)} = t${k};`);
          break;
        }
        const trunc = TRUNCS[op];
        if (trunc !== undefined) {
          const [signed, wide] = trunc;
          const a = pop();
          const inRange = wide
            ? signed ? `${a} >= -9223372036854775808 && ${a} < 9223372036854775808` : `${a} > -1 && ${a} < 18446744073709551616`
            : signed ? `${a} > -2147483649 && ${a} < 2147483648` : `${a} > -1 && ${a} < 4294967296`;
          emit(`if (!(${inRange})) ${here()}`);
          emit(wide ? truncToI64(a, push('l')) : `${push('i')} = (${a} | 0);`);
          break;
        }
        const toI64 = TO_I64[op];
        const toI32 = I64_TO_I32[op];
        const toFloat = I64_TO_FLOAT[op];
        if (toI64 !== undefined || toI32 !== undefined || toFloat !== undefined) {
          const two = (op >= 0x51 && op <= 0x5a) || (op >= 0x7c && op <= 0x8a);
          const b = two ? pop() : '';
          const a = pop();
          const traps = I64_TRAPS[op];
          if (traps !== undefined) emit(`if (${traps(a, b)}) ${here()}`);
          if (toI64 !== undefined) emit(toI64(a, b, push('l')));
          else if (toI32 !== undefined) emit(`${push('i')} = ${toI32(a, b)};`);
          else emit(`${push(op === 0xb4 || op === 0xb5 ? 'f' : 'd')} = ${toFloat(a)};`);
          break;
        }
        const unary = UNARY[op];
        if (unary !== undefined) {
          const a = pop();
          emit(`${push(unary[0])} = ${unary[1](a)};`);
          break;
        }
        const binary = BINARY[op];
        if (binary !== undefined) {
          const b = pop();
          const a = pop();
          const traps = TRAPS[op];
          if (traps !== undefined) emit(`if (${traps(a, b)}) ${here()}`);
          emit(`${push(binary[0])} = ${binary[1](a, b)};`);
          break;
        }
        throw new Untranslatable(`instruction ${opName(op)}`);
      }
    }
    // Code that a branch or an entry reaches finds every operand in its variable.
    if (stack !== null && leaders.has(pc + lengthAt(code, pc))) flush();
  }
  if (body.length > 0) pieces.set(last, body.splice(0).join('\n'));

  // Entries other than code index 0 are numbered in code order: `e` holds the one being entered
  // until its instruction is reached, and the code in front of it is skipped (structure.ts).
  const entryIds = new Map<number, number>([...entries].filter((e) => e !== 0).sort((a, b) => a - b).map((e, i) => [e, i + 1]));
  let root: Region;
  try {
    root = regions(starts, code.length, forward, back);
  } catch (e) {
    throw new Untranslatable((e as Error).message);
  }
  const structured = emitRegion(root, pieces, entryIds);

  // Entry from the interpreter: the frame's locals, and the operands at a loop head.
  const readLocals = localKinds.map((k, i) => readSlot(k, `fp + ${i}`, `l${i}`)).join(' ');
  const nanLocals = localKinds.map((k, i) => (k === 'f' || k === 'd' ? `l${i} !== l${i}` : '')).filter((s) => s !== '');
  const entryCases: string[] = [];
  for (const e of entries) {
    if (e === 0) continue;
    const ks = (stacks[e] ?? []).map((t) => kindOrFail(t, 'an operand'));
    const reads = ks.map((k, i) => readSlot(k, `fp + ${NL + i}`, v(i, k))).join(' ');
    const nans = ks.map((k, i) => (k === 'f' || k === 'd' ? `${v(i, k)} !== ${v(i, k)}` : '')).filter((s) => s !== '');
    entryCases.push(`case ${e}: ${reads}${nans.length > 0 ? ` if (${nans.join(' || ')}) { S.r = true; return 0; }` : ''} e = ${entryIds.get(e)}; break;`);
  }

  // Exits: the locals, then each exit's operands and position.
  const writeLocals = localKinds.map((k, i) => writeSlot(k, `fp + ${i}`, `l${i}`)).join(' ');
  const exitCases = exits.map((e, i) => {
    const writes = e.stack.map((k, j) => writeSlot(k, `fp + ${NL + j}`, e.lazy[j] ?? v(j, k))).join(' ');
    return `case ${i}: pc = ${e.pc}; ${writes} if (!S.u) S.sp = fp + ${NL + e.stack.length}; break;`;
  });

  // The variables of locals and operands (a temporary's last letter is its kind).
  const wordVars = [...localKinds.map((k, i) => varsOf(k, `l${i}`)), ...[...usedVars].map((name) => varsOf(name[name.length - 1] as Kind, name))].flat();
  // Ignition keeps every variable in a register of the frame; TurboFan frames are smaller.
  const frameBytes = 8 * (wordVars.length + 32) + 256;
  const params = cf.type.params.map((_, i) => `p${i}`);
  const paramList = params.flatMap((p, i) => varsOf(localKinds[i], p));
  const decls = [
    ...wordVars.map((x) => `${x} = 0`),
    'b = S.b', 'x = 0', 'e = 0', 'ea = 0', 'c = null', 't = null', 'ta = 0', 'tb = 0', 'tn = 0',
    ...(memory !== null ? ['mv = M.view', 'mu8 = M.u8', 'mlen = mu8.length'] : []),
  ];
  const fnName = `wasm_${f.name.replace(/[^A-Za-z0-9_$]/g, '_')}`;
  const source = `return function ${fnName}(fp, pc, depth${paramList.map((p) => `, ${p}`).join('')}) {
  const h = cs.height - 1;
  let ${decls.join(', ')};
  if (pc < 0) {
    ${params.map((p, i) => copy(localKinds[i], `l${i}`, p)).join(' ')}
    pc = 0;
  } else {
    const I32 = store.I32, F32 = store.F32, F64 = store.F64, V = store.V;
    ${readLocals}
    ${nanLocals.length > 0 ? `if (${nanLocals.join(' || ')}) { S.r = true; return 0; }` : ''}
    switch (pc) { ${entryCases.join(' ')} }
  }
  d: {
${structured}
  }
  {
    const I32 = store.I32, F32 = store.F32, F64 = store.F64, V = store.V;
    ${writeLocals}
    switch (x) {
${exitCases.join('\n')}
    }
    cs.pcs[h] = pc;
    S.b = b;
    S.u = true;
    return 0;
  }
};`;
  return { source: source.split(FRAME).join(String(frameBytes)), entries, constants, names, frameBytes };
}

/** The cell of a global as the typed array its kind is read through (sharing the global's bytes). */
function globalCell(i32: Int32Array, k: Kind): ArrayLike<number> {
  switch (k) {
    case 'i': return i32;
    case 'f': return cellViews(i32).f32;
    case 'd': return cellViews(i32).f64;
    case 'l': return cellViews(i32).words;
    case 'v': return i32;
  }
}

const views = new WeakMap<Int32Array, { f32: Float32Array; f64: Float64Array; words: Int32Array }>();
function cellViews(i32: Int32Array): { f32: Float32Array; f64: Float64Array; words: Int32Array } {
  let c = views.get(i32);
  if (c === undefined) {
    c = { f32: new Float32Array(i32.buffer, i32.byteOffset, 1), f64: new Float64Array(i32.buffer, i32.byteOffset, 1), words: new Int32Array(i32.buffer, i32.byteOffset, 2) };
    views.set(i32, c);
  }
  return c;
}

/** The function type a call_indirect names, from its canonical type id. */
function tierCalleeTypeOf(typeId: number): FuncType {
  const c = canonById(typeId);
  if (c.kind !== 'func' || c.module === null) throw new Untranslatable('call_indirect of a type the tier cannot read');
  return funcTypeAt(c.module, c.index);
}

/**
 * The JS of a region: loops and labelled blocks around the instructions' JS. When the function is
 * entered at an instruction other than the first (`e` its entry's number), what comes before it in
 * each region around it is skipped: an item runs while `e` is 0 or is an entry inside that item.
 */
function emitRegion(r: Region, pieces: Map<number, string>, entryIds: Map<number, number>): string {
  const maxId = (item: number | Region): number => (typeof item === 'number' ? entryIds.get(item) ?? 0 : lastEntry(item, entryIds));
  const ids = r.items.map(maxId);
  const later = new Array<number>(ids.length + 1).fill(0);
  for (let j = ids.length - 1; j >= 0; j--) later[j] = Math.max(ids[j], later[j + 1]);
  const out: string[] = [];
  let open: string | null = null;
  for (let j = 0; j < r.items.length; j++) {
    const item = r.items[j];
    const text = typeof item === 'number'
      ? `${entryIds.has(item) ? 'e = 0; ' : ''}${pieces.get(item) ?? ''}`
      : emitRegion(item, pieces, entryIds);
    if (text === '') continue;
    const guard = later[j + 1] === 0 ? null : ids[j] === 0 ? 'e === 0' : `e <= ${ids[j]}`;
    if (guard !== open) {
      if (open !== null) out.push('}');
      if (guard !== null) out.push(`if (${guard}) {`);
      open = guard;
    }
    out.push(text);
  }
  if (open !== null) out.push('}');
  const inner = out.join('\n');
  switch (r.kind) {
    case 'root': return inner;
    case 'block': return `b${r.end}: {\n${inner}\n}`;
    case 'loop': return `L${r.start}: for (;;) {\n${inner}\nbreak;\n}`;
  }
}

/** The highest entry number inside a region (0: none). */
function lastEntry(r: Region, entryIds: Map<number, number>): number {
  let m = 0;
  for (const item of r.items) m = Math.max(m, typeof item === 'number' ? entryIds.get(item) ?? 0 : lastEntry(item, entryIds));
  return m;
}
