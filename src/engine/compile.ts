// Translates a function body, once, into the executor's internal code: an Int32Array of an opcode
// followed by its resolved immediates. Branch targets are absolute code indices, the operand-stack
// adjustments of branches are precomputed (stack heights are static in wasm), local and global
// accesses are specialised by value width, and a side table maps every code index back to the byte
// offset of the wasm instruction it came from (the debugger's positions).
//
// Numeric instructions keep their wasm opcode numbers; 0xFC-prefixed ones become 0xE0 + subopcode.

import { FuncCode, FuncType, Instr, Module, ValType, expandLocals, funcTypeAt, funcTypeIndexOf, funcTypeOf, importCount } from './types';
import { funcCode, transientFuncCode } from './decode';
import { canonicalTypes } from './typeCanon';
import { isRefType } from './refTypes';
import { compileGc, isGcOp } from './gcCompile';
import { simdSubOpcode } from './opcodes';
import { Address64 } from './address64';
import { V_GLOBAL_GET, V_GLOBAL_SET, V_LOCAL_GET, V_SELECT, simdImmediates, simdSignature } from './simd';
import { NO_DELEGATE } from './throw';

export const enum Op {
  UNREACHABLE = 0x00,
  NOP = 0x01,
  /** [BR_BACK, target]: a backward branch (a loop), where the budget is counted. */
  BR_BACK = 0x02,
  /** [BR_IF_BACK, target] */
  BR_IF_BACK = 0x03,
  /** [IF, elseTarget]: pops a condition, jumps when it is zero. */
  IF = 0x04,
  /** [BR_MOVE, target, arity, height]: branch keeping the top `arity` values at frame height `height`. */
  BR_MOVE = 0x05,
  /** [BR_IF_MOVE, target, arity, height] */
  BR_IF_MOVE = 0x06,
  /** [BR, target] */
  BR = 0x0c,
  /** [BR_IF, target] */
  BR_IF = 0x0d,
  /** [BR_TABLE, n, (target, arity, height) x (n + 1)]; target -1 returns from the function. */
  BR_TABLE = 0x0e,
  RETURN = 0x0f,
  /** [CALL, funcIndex] */
  CALL = 0x10,
  /** [CALL_INDIRECT, typeId, table] */
  CALL_INDIRECT = 0x11,
  /** [RETURN_CALL, funcIndex] followed by a RETURN (used when the callee is a host function) */
  RETURN_CALL = 0x12,
  /** [RETURN_CALL_INDIRECT, typeId, table] followed by a RETURN */
  RETURN_CALL_INDIRECT = 0x13,
  LOCAL_GET64 = 0x14,
  LOCAL_SET64 = 0x15,
  LOCAL_TEE64 = 0x16,
  GLOBAL_GET64 = 0x17,
  GLOBAL_SET64 = 0x18,
  LOCAL_GET_REF = 0x19,
  DROP = 0x1a,
  /** select on 32- or 64-bit values (copies all 8 bytes) */
  SELECT = 0x1b,
  SELECT_REF = 0x1c,
  LOCAL_SET_REF = 0x1d,
  LOCAL_TEE_REF = 0x1e,
  GLOBAL_GET_REF = 0x1f,
  LOCAL_GET32 = 0x20,
  LOCAL_SET32 = 0x21,
  LOCAL_TEE32 = 0x22,
  GLOBAL_GET32 = 0x23,
  GLOBAL_SET32 = 0x24,
  TABLE_GET = 0x25,
  TABLE_SET = 0x26,
  GLOBAL_SET_REF = 0x27,
  // 0x28..0x3e loads and stores: [op, offset]
  MEMORY_SIZE = 0x3f,
  MEMORY_GROW = 0x40,
  /** [I32_CONST, value] */
  I32_CONST = 0x41,
  /** [I64_CONST, low, high] */
  I64_CONST = 0x42,
  /** [F32_CONST, bits] */
  F32_CONST = 0x43,
  /** [F64_CONST, low, high] */
  F64_CONST = 0x44,
  // 0x45..0xc4 numeric instructions, no immediates
  REF_NULL = 0xd0,
  REF_IS_NULL = 0xd1,
  /** [REF_FUNC, funcIndex] */
  REF_FUNC = 0xd2,
  // 0xe0..0xe7 trunc_sat
  /** [MEMORY_INIT, segment] */
  MEMORY_INIT = 0xe8,
  DATA_DROP = 0xe9,
  MEMORY_COPY = 0xea,
  MEMORY_FILL = 0xeb,
  /** [TABLE_INIT, segment, table] */
  TABLE_INIT = 0xec,
  ELEM_DROP = 0xed,
  /** [TABLE_COPY, dstTable, srcTable] */
  TABLE_COPY = 0xee,
  TABLE_GROW = 0xef,
  TABLE_SIZE = 0xf0,
  TABLE_FILL = 0xf1,
  /** [SIMD, length, sub-opcode, immediates...]: every v128 instruction, run by simd.ts's runSimd. */
  SIMD = 0xf2,
  /**
   * [MEMORY_N, length, memory, op, immediates...]: a memory instruction on a memory other than 0,
   * or a memory.copy between memories, run by otherMemory.ts (memory 0 keeps the fast cases).
   */
  MEMORY_N = 0xf3,
  /** [ADDR64, mask, kind] before an instruction with i64 addresses: see address64.ts. */
  ADDR64 = 0xf4,
  /** [THROW, tagIndex]: throws an exception of the tag with the top operands (exceptions; throw.ts). */
  THROW = 0x08,
  /** [RETHROW, slot]: throws again the exception a legacy catch block keeps in hidden local `slot`. */
  RETHROW = 0x09,
  /** [THROW_REF]: throws the exception of the top operand (an exnref); traps on null. */
  THROW_REF = 0x0a,
  /** [GC, length, sub-operation, immediates...]: struct, array, i31, cast and null-check operations, run by gc.ts. */
  GC = 0xf7,
  /** [CALL_REF]: calls the function reference on top of the stack (typed function references). */
  CALL_REF = 0xf5,
  /** [RETURN_CALL_REF] followed by a RETURN (used when the callee is a host function) */
  RETURN_CALL_REF = 0xf6,
  /** Patched over an instruction's opcode for a breakpoint or a step; the original is in `orig`. */
  BREAK = 0xff,
}

/**
 * A region of a function's code whose exceptions a try_table or a legacy try handles: code indices
 * [start, end), its clauses in order, and where the search goes on when none matches.
 */
export interface Handler {
  start: number;
  end: number;
  /** The handler around this one in the same function, or -1. */
  parent: number;
  /** For a legacy `try ... delegate`: the handler the search goes on with (-1: the caller); else NO_DELEGATE (-2). */
  delegate: number;
  /** For a legacy try: the hidden local where its catch blocks keep the exception (for rethrow); else -1. */
  slot: number;
  catches: HandlerCatch[];
}

/** One clause: what it catches, and the branch it takes (values placed at frame height `height`). */
export interface HandlerCatch {
  /** 0 catch, 1 catch_ref, 2 catch_all, 3 catch_all_ref (a legacy catch is 0, catch_all 2). */
  kind: number;
  /** The tag index in the function's module (-1 for catch_all). */
  tag: number;
  /** Code index to continue at. */
  target: number;
  height: number;
}

export interface CompiledFunc {
  module: Module;
  /** Index in the module's function index space (imports first). */
  funcIndex: number;
  type: FuncType;
  /** The code the executor runs: `fused` with breakpoints patched in (and the pairs around them unfused). */
  code: Int32Array;
  /** The code with fused pairs and without breakpoints. */
  fused: Int32Array;
  /** The code without fusions and breakpoints: one internal instruction per wasm instruction. */
  orig: Int32Array;
  /** For the first instruction of a fused group, the code index of its last instruction; -1 elsewhere. */
  fusedLast: Int32Array;
  /** `orig` with every instruction start patched to BREAK, made on first step into this function. */
  stepCode: Int32Array | null;
  /** Code index -> byte offset of the wasm instruction that word belongs to. */
  offsets: Int32Array;
  /** Code index of each emitted instruction, ascending. */
  starts: Int32Array;
  /** Code indices with a breakpoint. */
  breakpoints: Set<number>;
  nparams: number;
  /** Parameters plus declared locals. */
  nlocals: number;
  nresults: number;
  /** The most slots the frame can use above its base: locals plus the highest operand stack. */
  maxHeight: number;
  localTypes: ValType[];
  /**
   * Indices of declared locals that hold more than the 8 bytes of their slot, references and v128s:
   * on entry their reference slot is set to null and their v128 high half to zero.
   */
  wideLocals: Int32Array;
  /** Whether any result is a reference (results are then moved with their reference slots). */
  refResults: boolean;
  /** Whether any result is a v128 (results are then moved with their high halves). */
  vecResults: boolean;
  /** The exception handlers of try_table and legacy try blocks, in the order they open (empty for most functions). */
  handlers: Handler[];
}

/** Per-module facts the compiler needs, computed once. */
interface ModuleInfo {
  funcTypes: FuncType[];
  globalTypes: ValType[];
  tableTypes: ValType[];
  /** Whether each memory and table is addressed by i64 (memory64, table64). */
  memory64: boolean[];
  table64: boolean[];
  typeIds: number[];
  /** The type of each tag, imported ones first. */
  tagTypes: FuncType[];
  /** Type index of each function (imports first). */
  funcTypeIndices: number[];
  compiled: (CompiledFunc | undefined)[];
}

const infos = new WeakMap<Module, ModuleInfo>();

function moduleInfo(module: Module): ModuleInfo {
  let info = infos.get(module);
  if (info) return info;
  const nf = importCount(module, 'func') + module.funcs.length;
  const funcTypes: FuncType[] = [];
  const funcTypeIndices: number[] = [];
  for (let i = 0; i < nf; i++) {
    funcTypes.push(funcTypeOf(module, i));
    funcTypeIndices.push(funcTypeIndexOf(module, i));
  }
  const globalTypes: ValType[] = [];
  const tableTypes: ValType[] = [];
  const memory64: boolean[] = [];
  const table64: boolean[] = [];
  for (const imp of module.imports) {
    if (imp.desc.kind === 'global') globalTypes.push(imp.desc.type.type);
    if (imp.desc.kind === 'table') { tableTypes.push(imp.desc.type.elem); table64.push(!!imp.desc.type.limits.address64); }
    if (imp.desc.kind === 'memory') memory64.push(!!imp.desc.type.limits.address64);
  }
  for (const g of module.globals) globalTypes.push(g.type.type);
  for (const t of module.tables) { tableTypes.push(t.elem); table64.push(!!t.limits.address64); }
  for (const m of module.memories) memory64.push(!!m.limits.address64);
  const tagTypes: FuncType[] = [];
  for (const imp of module.imports) if (imp.desc.kind === 'tag') tagTypes.push(funcTypeAt(module, imp.desc.typeIndex));
  for (const t of module.tags) tagTypes.push(funcTypeAt(module, t));
  info = { funcTypes, globalTypes, tableTypes, memory64, table64, typeIds: canonicalTypes(module).map((c) => c.id), tagTypes, funcTypeIndices, compiled: [] };
  infos.set(module, info);
  return info;
}

/** Breakpoints requested per module function, by byte offset; applied when the function compiles. */
const pendingBreakpoints = new WeakMap<Module, Map<number, number[]>>();

/** The compiled code of function `funcIndex` (a defined function) of `module`, compiled on first use. */
export function compiledFunction(module: Module, funcIndex: number): CompiledFunc {
  const info = moduleInfo(module);
  let cf = info.compiled[funcIndex];
  if (cf === undefined) {
    cf = compile(module, info, funcIndex, transientFuncCode(module, funcIndex - importCount(module, 'func')), -1).func;
    info.compiled[funcIndex] = cf;
    const bps = pendingBreakpoints.get(module)?.get(funcIndex);
    if (bps) applyBreakpoints(cf, bps);
  }
  return cf;
}

/**
 * Sets the breakpoints of one module function (byte offsets of instructions; offsets that start no
 * instruction are ignored). Applies to every instance, since instances share compiled code.
 * Returns the offsets that were placed.
 */
export function setFunctionBreakpoints(module: Module, funcIndex: number, offsets: number[]): number[] {
  let m = pendingBreakpoints.get(module);
  if (!m) pendingBreakpoints.set(module, (m = new Map()));
  if (offsets.length === 0) m.delete(funcIndex);
  else m.set(funcIndex, offsets.slice());
  const cf = moduleInfo(module).compiled[funcIndex];
  if (cf) return applyBreakpoints(cf, offsets);
  const codeIndex = funcIndex - importCount(module, 'func');
  const body = codeIndex >= 0 && codeIndex < module.codes.length ? funcCode(module, codeIndex).body : [];
  const valid = new Set(body.map((i) => i.offset));
  return offsets.filter((o) => valid.has(o));
}

function applyBreakpoints(cf: CompiledFunc, offsets: number[]): number[] {
  cf.code.set(cf.fused);
  cf.breakpoints.clear();
  const wanted = new Set(offsets);
  const placed: number[] = [];
  const starts = cf.starts;
  for (let i = 0; i < starts.length; i++) {
    const pc = starts[i];
    const off = cf.offsets[pc];
    if (wanted.has(off) && !cf.breakpoints.has(pc)) {
      // Several code instructions can share one offset (return_call's trailing RETURN): the first is enough.
      if (placed.includes(off)) continue;
      cf.breakpoints.add(pc);
      cf.code[pc] = Op.BREAK;
      placed.push(off);
      // A fused group that covers this instruction would run it without reaching its BREAK: unfuse it.
      for (let k = Math.max(0, i - 3); k < i; k++) {
        const first = starts[k];
        if (cf.fusedLast[first] >= pc && !cf.breakpoints.has(first)) cf.code[first] = cf.orig[first];
      }
    }
  }
  return placed;
}

/** The code with every instruction start patched to BREAK, for stepping. */
export function stepCodeOf(cf: CompiledFunc): Int32Array {
  if (cf.stepCode === null) {
    const c = cf.orig.slice();
    for (const pc of cf.starts) c[pc] = Op.BREAK;
    cf.stepCode = c;
  }
  return cf.stepCode;
}

/** Types of the operand stack (bottom first) just before the instruction at code index `pc` runs. */
export function operandTypesAt(cf: CompiledFunc, pc: number): ValType[] {
  const code = funcCode(cf.module, cf.funcIndex - importCount(cf.module, 'func'));
  return compile(cf.module, moduleInfo(cf.module), cf.funcIndex, code, pc).probe ?? [];
}

/** The operand types (bottom first) in front of every instruction start of `cf`, by code index (for the compiled tier). */
export function operandTypesEverywhere(cf: CompiledFunc): (ValType[] | undefined)[] {
  const all: (ValType[] | undefined)[] = [];
  const code = transientFuncCode(cf.module, cf.funcIndex - importCount(cf.module, 'func'));
  compile(cf.module, moduleInfo(cf.module), cf.funcIndex, code, -1, all);
  return all;
}

interface Ctl {
  /** try and catch: a legacy try before and after its first catch clause (try_table is a block). */
  kind: 'block' | 'loop' | 'if' | 'func' | 'try' | 'catch';
  /** Operand-type stack length below the block's parameters. */
  base: number;
  params: ValType[];
  results: ValType[];
  loopPc: number;
  fixups: number[];
  elseFixup: number;
  dead: boolean;
  /** The handler of a try_table or legacy try block; `active` while its body (not a catch) is compiled. */
  handler?: number;
  active?: boolean;
  /** try_table clauses that branch to this block's end, resolved there. */
  catchFixups?: HandlerCatch[];
}

const NUMERIC_SIGS: [number, number, ValType[], ValType][] = [
  // [first op, last op, operand types, result type]
  [0x45, 0x45, ['i32'], 'i32'], [0x46, 0x4f, ['i32', 'i32'], 'i32'],
  [0x50, 0x50, ['i64'], 'i32'], [0x51, 0x5a, ['i64', 'i64'], 'i32'],
  [0x5b, 0x60, ['f32', 'f32'], 'i32'], [0x61, 0x66, ['f64', 'f64'], 'i32'],
  [0x67, 0x69, ['i32'], 'i32'], [0x6a, 0x78, ['i32', 'i32'], 'i32'],
  [0x79, 0x7b, ['i64'], 'i64'], [0x7c, 0x8a, ['i64', 'i64'], 'i64'],
  [0x8b, 0x91, ['f32'], 'f32'], [0x92, 0x98, ['f32', 'f32'], 'f32'],
  [0x99, 0x9f, ['f64'], 'f64'], [0xa0, 0xa6, ['f64', 'f64'], 'f64'],
  [0xa7, 0xa7, ['i64'], 'i32'], [0xa8, 0xa9, ['f32'], 'i32'], [0xaa, 0xab, ['f64'], 'i32'],
  [0xac, 0xad, ['i32'], 'i64'], [0xae, 0xaf, ['f32'], 'i64'], [0xb0, 0xb1, ['f64'], 'i64'],
  [0xb2, 0xb3, ['i32'], 'f32'], [0xb4, 0xb5, ['i64'], 'f32'], [0xb6, 0xb6, ['f64'], 'f32'],
  [0xb7, 0xb8, ['i32'], 'f64'], [0xb9, 0xba, ['i64'], 'f64'], [0xbb, 0xbb, ['f32'], 'f64'],
  [0xbc, 0xbc, ['f32'], 'i32'], [0xbd, 0xbd, ['f64'], 'i64'], [0xbe, 0xbe, ['i32'], 'f32'], [0xbf, 0xbf, ['i64'], 'f64'],
  [0xc0, 0xc1, ['i32'], 'i32'], [0xc2, 0xc4, ['i64'], 'i64'],
  // loads: address -> value
  [0x28, 0x28, ['i32'], 'i32'], [0x29, 0x29, ['i32'], 'i64'], [0x2a, 0x2a, ['i32'], 'f32'], [0x2b, 0x2b, ['i32'], 'f64'],
  [0x2c, 0x2f, ['i32'], 'i32'], [0x30, 0x35, ['i32'], 'i64'],
  // trunc_sat (as 0xe0 + subopcode)
  [0xe0, 0xe1, ['f32'], 'i32'], [0xe2, 0xe3, ['f64'], 'i32'], [0xe4, 0xe5, ['f32'], 'i64'], [0xe6, 0xe7, ['f64'], 'i64'],
];
const numericSig: ([ValType[], ValType] | undefined)[] = [];
for (const [a, b, ins, out] of NUMERIC_SIGS) for (let op = a; op <= b; op++) numericSig[op] = [ins, out];

/** Operand types and result type of a numeric instruction, load or trunc_sat (as 0xe0 + subopcode). */
export function compileSignature(op: number): [ValType[], ValType] | undefined {
  return numericSig[op];
}


export class CompileError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at byte 0x${offset.toString(16)}`);
    this.name = 'CompileError';
  }
}

function is64(t: ValType): boolean {
  return t === 'i64' || t === 'f64';
}

function isRef(t: ValType): boolean {
  return isRefType(t);
}

/**
 * Compiles one function. With `probePc >= 0`, also reports the operand types in front of the
 * instruction emitted at that code index (compilation is deterministic, so indices agree).
 */
function compile(module: Module, info: ModuleInfo, funcIndex: number, body: FuncCode, probePc: number, allStacks?: (ValType[] | undefined)[]): { func: CompiledFunc; probe: ValType[] | null } {
  const defIndex = funcIndex - importCount(module, 'func');
  const type = info.funcTypes[funcIndex];
  const localTypes = [...type.params, ...expandLocals(body.locals)];
  // Each legacy try gets a hidden reference local after the declared ones, for its caught exception.
  let tries = 0;
  for (const ins of body.body) if (ins.op === 0x06) tries++;
  let nextHidden = localTypes.length;
  const nlocals = localTypes.length + tries;
  const handlers: Handler[] = [];
  const code: number[] = [];
  const offsets: number[] = [];
  const starts: number[] = [];
  const stack: ValType[] = [];
  let maxHeight = nlocals;
  let probe: ValType[] | null = null;
  let curOffset = module.codes[defIndex].offset;

  const startInstr = () => {
    if (code.length === probePc) probe = stack.slice();
    if (allStacks !== undefined) allStacks[code.length] = stack.slice();
    starts.push(code.length);
  };
  const emit = (...words: number[]) => {
    for (const w of words) {
      code.push(w | 0);
      offsets.push(curOffset);
    }
  };
  const push = (t: ValType) => {
    stack.push(t);
    if (nlocals + stack.length > maxHeight) maxHeight = nlocals + stack.length;
  };
  const pop = (): ValType => {
    const t = stack.pop();
    if (t === undefined) throw new CompileError('operand stack underflow (the function did not validate)', curOffset);
    return t;
  };
  const popN = (n: number) => {
    for (let i = 0; i < n; i++) pop();
  };
  const blockSig = (bt: Instr['blockType']): [ValType[], ValType[]] => {
    if (bt === undefined || bt === 'empty') return [[], []];
    if (typeof bt === 'number') {
      const t = funcTypeAt(module, bt);
      return [t.params, t.results];
    }
    return [[], [bt]];
  };

  const ctls: Ctl[] = [{ kind: 'func', base: 0, params: [], results: type.results, loopPc: 0, fixups: [], elseFixup: -1, dead: false }];
  let deadDepth = 0;

  /** Emits a branch to label `depth`; the operand stack is as at the branch (condition popped). */
  const branch = (depth: number, conditional: boolean) => {
    const target = ctls[ctls.length - 1 - depth];
    if (target.kind === 'func') {
      if (conditional) {
        const skip = code.length + 1;
        emit(Op.IF, 0);
        emit(Op.RETURN);
        code[skip] = code.length;
      } else emit(Op.RETURN);
      return;
    }
    const arity = target.kind === 'loop' ? target.params.length : target.results.length;
    const height = nlocals + target.base;
    const moves = nlocals + stack.length - arity !== height;
    const back = target.kind === 'loop';
    if (moves) emit(conditional ? Op.BR_IF_MOVE : Op.BR_MOVE, back ? target.loopPc : 0, arity, height);
    else if (back) emit(conditional ? Op.BR_IF_BACK : Op.BR_BACK, target.loopPc);
    else emit(conditional ? Op.BR_IF : Op.BR, 0);
    if (!back) target.fixups.push(code.length - (moves ? 3 : 1));
  };

  /** The innermost handler active inside control frame `index` (counting from the function's), or -1. */
  const activeHandler = (index: number): number => {
    for (let i = index; i >= 0; i--) if (ctls[i].active) return ctls[i].handler!;
    return -1;
  };
  /** Opens a handler whose range starts here, inside the handlers active now. */
  const openHandler = (slot: number, catches: HandlerCatch[]): Pick<Ctl, 'handler' | 'active'> => {
    handlers.push({ start: code.length, end: code.length, parent: activeHandler(ctls.length - 1), delegate: NO_DELEGATE, slot, catches });
    return { handler: handlers.length - 1, active: true };
  };

  const markDead = () => {
    const top = ctls[ctls.length - 1];
    top.dead = true;
    stack.length = top.base;
  };

  const emitSimd = (sub: number, ...imm: number[]) => emit(Op.SIMD, 3 + imm.length, sub, ...imm);
  /** A memory instruction (`words`: memory 0's code) on `memory`. */
  const emitOnMemory = (memory: number, ...words: number[]) => {
    if (memory === 0) emit(...words);
    else emit(Op.MEMORY_N, 3 + words.length, memory, ...words);
  };

  /** The check of an instruction's i64 operands (bit d of `mask`: d slots below the top), when it has any. */
  const check64 = (mask: number, kind: Address64) => {
    if (mask !== 0) emit(Op.ADDR64, mask, kind);
  };
  /** A load or store (`depth`: its address's slot below the top), with a memory64's check in front. */
  const emitAccess = (memarg: NonNullable<Instr['memarg']>, depth: number, ...words: number[]) => {
    const memory = memarg.memory ?? 0;
    if (info.memory64[memory]) {
      // An offset of 4 GiB or more is beyond every memory we hold (validation keeps i32 memories below).
      if (memarg.offset >= 2 ** 32) emit(Op.ADDR64, 0, Address64.OffsetBeyond);
      else check64(1 << depth, Address64.Memory);
    }
    emitOnMemory(memory, ...words);
  };
  /** Operands of a copy (d, s, n): which are i64 when the destination and the source are 64-bit. */
  const copyMask = (to64: boolean, from64: boolean) => (to64 ? 4 : 0) | (from64 ? 2 : 0) | (to64 && from64 ? 1 : 0);
  /** A memory.size/grow or table.size/grow result as an i64 for a 64-bit memory or table. */
  const widen = (is64: boolean, signed: boolean) => {
    if (is64) emit(signed ? 0xac : 0xad);
  };

  const emitCall = (op: Op, calleeType: FuncType, ...imm: number[]) => {
    popN(calleeType.params.length);
    emit(op, ...imm);
    if (op === Op.RETURN_CALL || op === Op.RETURN_CALL_INDIRECT || op === Op.RETURN_CALL_REF) {
      startInstr();
      emit(Op.RETURN);
      markDead();
    } else for (const t of calleeType.results) push(t);
  };

  for (const ins of body.body) {
    const op = ins.op;
    const top = ctls[ctls.length - 1];
    if (top.dead) {
      // Unreachable code: skip it up to the `else`/`end` of the enclosing block.
      if (op === 0x02 || op === 0x03 || op === 0x04 || op === 0x06 || op === 0x1f) { deadDepth++; continue; }
      if ((op === 0x0b || op === 0x18) && deadDepth > 0) { deadDepth--; continue; }
      if (deadDepth > 0 || (op !== 0x0b && op !== 0x05 && op !== 0x07 && op !== 0x19 && op !== 0x18)) continue;
    }
    curOffset = ins.offset;
    startInstr();
    const before = code.length;
    switch (op) {
      case 0x00: emit(Op.UNREACHABLE); markDead(); break;
      case 0x01: emit(Op.NOP); break;
      case 0x02: case 0x03: {
        // A NOP gives `block` and `loop` a position of their own, so a breakpoint or an instruction
        // step can stop there. It runs once per entry: a loop's branches target the code after it.
        emit(Op.NOP);
        const [params, results] = blockSig(ins.blockType);
        ctls.push({ kind: op === 0x02 ? 'block' : 'loop', base: stack.length - params.length, params, results, loopPc: code.length, fixups: [], elseFixup: -1, dead: false });
        break;
      }
      case 0x04: {
        pop();
        const [params, results] = blockSig(ins.blockType);
        emit(Op.IF, 0);
        ctls.push({ kind: 'if', base: stack.length - params.length, params, results, loopPc: 0, fixups: [], elseFixup: code.length - 1, dead: false });
        break;
      }
      case 0x05: {
        if (!top.dead) {
          emit(Op.BR, 0);
          top.fixups.push(code.length - 1);
        }
        code[top.elseFixup] = code.length;
        top.elseFixup = -1;
        top.dead = false;
        stack.length = top.base;
        for (const t of top.params) push(t);
        break;
      }
      case 0x0b: case 0x18: { // end, and a legacy try's delegate (which ends it)
        ctls.pop();
        if (top.handler !== undefined && top.active) handlers[top.handler].end = code.length;
        if (op === 0x18) handlers[top.handler!].delegate = activeHandler(ctls.length - 1 - ins.index!);
        for (const c of top.catchFixups ?? []) c.target = code.length;
        if (top.kind === 'func') {
          emit(Op.RETURN);
          break;
        }
        if (top.elseFixup >= 0) code[top.elseFixup] = code.length;
        for (const f of top.fixups) code[f] = code.length;
        stack.length = top.base;
        for (const t of top.results) push(t);
        break;
      }
      case 0x1f: { // try_table: a block whose clauses branch to labels counted from outside it
        emit(Op.NOP);
        const [params, results] = blockSig(ins.blockType);
        const base = stack.length - params.length;
        const catches = ins.catches!.map((c): HandlerCatch => {
          const target = ctls[ctls.length - 1 - c.label];
          const clause = { kind: c.kind, tag: c.tag, target: target.kind === 'loop' ? target.loopPc : -1, height: nlocals + target.base };
          if (target.kind !== 'loop') (target.catchFixups ??= []).push(clause);
          return clause;
        });
        ctls.push({ kind: 'block', base, params, results, loopPc: 0, fixups: [], elseFixup: -1, dead: false, ...openHandler(-1, catches) });
        break;
      }
      case 0x06: { // legacy try
        emit(Op.NOP);
        const [params, results] = blockSig(ins.blockType);
        ctls.push({ kind: 'try', base: stack.length - params.length, params, results, loopPc: 0, fixups: [], elseFixup: -1, dead: false, ...openHandler(nextHidden++, []) });
        break;
      }
      case 0x07: case 0x19: { // legacy catch and catch_all: the end of the try's body or of the catch before
        if (!top.dead) {
          emit(Op.BR, 0);
          top.fixups.push(code.length - 1);
        }
        const handler = handlers[top.handler!];
        if (top.active) handler.end = code.length;
        top.kind = 'catch';
        top.active = false;
        top.dead = false;
        stack.length = top.base;
        const tag = op === 0x07 ? ins.index! : -1;
        handler.catches.push({ kind: op === 0x07 ? 0 : 2, tag, target: code.length, height: nlocals + top.base });
        if (tag >= 0) for (const t of info.tagTypes[tag].params) push(t);
        break;
      }
      case 0x08: popN(info.tagTypes[ins.index!].params.length); emit(Op.THROW, ins.index!); markDead(); break;
      case 0x0a: pop(); emit(Op.THROW_REF); markDead(); break;
      case 0x09: emit(Op.RETHROW, handlers[ctls[ctls.length - 1 - ins.index!].handler!].slot); markDead(); break;
      case 0x0c: branch(ins.index!, false); markDead(); break;
      case 0x0d: pop(); branch(ins.index!, true); break;
      case 0x0e: {
        pop();
        const labels = ins.labels!;
        emit(Op.BR_TABLE, labels.length - 1);
        for (const depth of labels) {
          const target = ctls[ctls.length - 1 - depth];
          if (target.kind === 'func') { emit(-1, 0, 0); continue; }
          const arity = target.kind === 'loop' ? target.params.length : target.results.length;
          emit(target.kind === 'loop' ? target.loopPc : 0, arity, nlocals + target.base);
          if (target.kind !== 'loop') target.fixups.push(code.length - 3);
        }
        markDead();
        break;
      }
      case 0x0f: emit(Op.RETURN); markDead(); break;
      case 0x10: emitCall(Op.CALL, info.funcTypes[ins.index!], ins.index!); break;
      case 0x11: pop(); check64(info.table64[ins.index2 ?? 0] ? 1 : 0, Address64.Element); emitCall(Op.CALL_INDIRECT, funcTypeAt(module, ins.index!), info.typeIds[ins.index!], ins.index2 ?? 0); break;
      case 0x12: emitCall(Op.RETURN_CALL, info.funcTypes[ins.index!], ins.index!); break;
      case 0x13: pop(); check64(info.table64[ins.index2 ?? 0] ? 1 : 0, Address64.Element); emitCall(Op.RETURN_CALL_INDIRECT, funcTypeAt(module, ins.index!), info.typeIds[ins.index!], ins.index2 ?? 0); break;
      case 0x1a: pop(); emit(Op.DROP); break;
      case 0x1b: case 0x1c: {
        pop();
        pop();
        const t = pop();
        if (t === 'v128') emitSimd(V_SELECT);
        else emit(isRef(t) ? Op.SELECT_REF : Op.SELECT);
        push(t);
        break;
      }
      case 0x20: case 0x21: case 0x22: {
        const t = localTypes[ins.index!];
        const which = op - 0x20; // 0 get, 1 set, 2 tee
        if (t === 'v128') {
          emitSimd(V_LOCAL_GET + which, ins.index!);
          if (which === 0) push(t);
          else if (which === 1) pop();
          break;
        }
        const base = isRef(t) ? Op.LOCAL_GET_REF : is64(t) ? Op.LOCAL_GET64 : Op.LOCAL_GET32;
        const ops32 = [Op.LOCAL_GET32, Op.LOCAL_SET32, Op.LOCAL_TEE32];
        const ops64 = [Op.LOCAL_GET64, Op.LOCAL_SET64, Op.LOCAL_TEE64];
        const opsRef = [Op.LOCAL_GET_REF, Op.LOCAL_SET_REF, Op.LOCAL_TEE_REF];
        const table = base === Op.LOCAL_GET_REF ? opsRef : base === Op.LOCAL_GET64 ? ops64 : ops32;
        emit(table[which], ins.index!);
        if (which === 0) push(t);
        else if (which === 1) pop();
        break;
      }
      case 0x23: case 0x24: {
        const t = info.globalTypes[ins.index!];
        const get = op === 0x23;
        if (t === 'v128') emitSimd(get ? V_GLOBAL_GET : V_GLOBAL_SET, ins.index!);
        else emit(isRef(t) ? (get ? Op.GLOBAL_GET_REF : Op.GLOBAL_SET_REF) : is64(t) ? (get ? Op.GLOBAL_GET64 : Op.GLOBAL_SET64) : get ? Op.GLOBAL_GET32 : Op.GLOBAL_SET32, ins.index!);
        if (get) push(t);
        else pop();
        break;
      }
      case 0x25: pop(); check64(info.table64[ins.index!] ? 1 : 0, Address64.Table); emit(Op.TABLE_GET, ins.index!); push(info.tableTypes[ins.index!]); break;
      case 0x26: popN(2); check64(info.table64[ins.index!] ? 2 : 0, Address64.Table); emit(Op.TABLE_SET, ins.index!); break;
      case 0x3f: {
        const is64 = info.memory64[ins.index!];
        emitOnMemory(ins.index!, Op.MEMORY_SIZE);
        widen(is64, false);
        push(is64 ? 'i64' : 'i32');
        break;
      }
      case 0x40: {
        const is64 = info.memory64[ins.index!];
        check64(is64 ? 1 : 0, Address64.Saturate);
        emitOnMemory(ins.index!, Op.MEMORY_GROW);
        widen(is64, true);
        break;
      }
      case 0x41: emit(Op.I32_CONST, Number(ins.value)); push('i32'); break;
      case 0x42: case 0x44: {
        const v = BigInt.asUintN(64, BigInt(ins.value!));
        emit(op, Number(v & 0xffffffffn), Number(v >> 32n));
        push(op === 0x42 ? 'i64' : 'f64');
        break;
      }
      case 0x43: emit(Op.F32_CONST, Number(ins.value)); push('f32'); break;
      case 0xd0: emit(Op.REF_NULL); push(ins.refType!); break;
      case 0xd1: pop(); emit(Op.REF_IS_NULL); push('i32'); break;
      case 0xd2: emit(Op.REF_FUNC, ins.index!); push(`(ref ${info.funcTypeIndices[ins.index!]})`); break;
      case 0x14: case 0x15: pop(); emitCall(op === 0x14 ? Op.CALL_REF : Op.RETURN_CALL_REF, funcTypeAt(module, ins.index!)); break;
      default: {
        if (isGcOp(op)) {
          compileGc(module, ins, { push, pop, emit, branch, peek: () => stack[stack.length - 1] });
          break;
        }
        if (op >= 0x36 && op <= 0x3e) {
          popN(2);
          emitAccess(ins.memarg!, 1, op, ins.memarg!.offset);
          break;
        }
        if (op >= 0xfc00 && op <= 0xfc11) {
          const sub = op & 0xff;
          const iop = 0xe0 + sub;
          if (sub <= 7) {
            pop();
            emit(iop);
            push(numericSig[iop]![1]);
            break;
          }
          const { memory64, table64 } = info;
          switch (sub) {
            case 8: // memory.init segment memory
              popN(3);
              check64(memory64[ins.index2!] ? 4 : 0, Address64.Memory);
              emitOnMemory(ins.index2!, iop, ins.index!);
              break;
            case 9: emit(iop, ins.index!); break; // data.drop
            case 10: // memory.copy dst src
              popN(3);
              check64(copyMask(memory64[ins.index!], memory64[ins.index2!]), Address64.Memory);
              if (ins.index === 0 && ins.index2 === 0) emit(iop);
              else emit(Op.MEMORY_N, 5, ins.index!, iop, ins.index2!);
              break;
            case 11: popN(3); check64(memory64[ins.index!] ? 5 : 0, Address64.Memory); emitOnMemory(ins.index!, iop); break; // memory.fill
            case 12: popN(3); check64(table64[ins.index2 ?? 0] ? 4 : 0, Address64.Table); emit(iop, ins.index!, ins.index2 ?? 0); break; // table.init seg table
            case 13: emit(iop, ins.index!); break; // elem.drop
            case 14: // table.copy dst src
              popN(3);
              check64(copyMask(table64[ins.index!], table64[ins.index2 ?? 0]), Address64.Table);
              emit(iop, ins.index!, ins.index2 ?? 0);
              break;
            case 15: // table.grow
              popN(2);
              check64(table64[ins.index!] ? 1 : 0, Address64.Saturate);
              emit(iop, ins.index!);
              widen(table64[ins.index!], true);
              push(table64[ins.index!] ? 'i64' : 'i32');
              break;
            case 16: emit(iop, ins.index!); widen(table64[ins.index!], false); push(table64[ins.index!] ? 'i64' : 'i32'); break; // table.size
            case 17: popN(3); check64(table64[ins.index!] ? 5 : 0, Address64.Table); emit(iop, ins.index!); break; // table.fill
          }
          break;
        }
        const sub = simdSubOpcode(op);
        const simd = sub >= 0 ? simdSignature(sub) : undefined;
        if (simd !== undefined) {
          popN(simd[0].length);
          const imm = simdImmediates(sub, ins);
          if (ins.memarg) emitAccess(ins.memarg, simd[0].length - 1, Op.SIMD, 3 + imm.length, sub, ...imm);
          else emit(Op.SIMD, 3 + imm.length, sub, ...imm);
          if (simd[1] !== null) push(simd[1]);
          break;
        }
        const sig = numericSig[op];
        if (sig === undefined || op > 0xff) throw new CompileError(`unsupported instruction 0x${op.toString(16)}`, curOffset);
        popN(sig[0].length);
        if (op >= 0x28 && op <= 0x35) emitAccess(ins.memarg!, 0, op, ins.memarg!.offset);
        else emit(op);
        push(sig[1]);
      }
    }
    if (code.length === before) starts.pop(); // blocks, loops and ends of blocks emit no code
  }

  const wideLocals: number[] = [];
  for (let i = type.params.length; i < nlocals; i++) if (i >= localTypes.length || isRef(localTypes[i]) || localTypes[i] === 'v128') wideLocals.push(i);
  const orig = Int32Array.from(code);
  const starts32 = Int32Array.from(starts);
  const { fused, fusedLast } = fuse(orig, starts32);
  return {
    func: {
      module,
      funcIndex,
      type,
      code: fused.slice(),
      fused,
      orig,
      fusedLast,
      stepCode: null,
      offsets: Int32Array.from(offsets),
      starts: starts32,
      breakpoints: new Set(),
      nparams: type.params.length,
      nlocals,
      nresults: type.results.length,
      maxHeight,
      localTypes,
      wideLocals: Int32Array.from(wideLocals),
      refResults: type.results.some(isRef),
      vecResults: type.results.includes('v128'),
      handlers,
    },
    probe,
  };
}

// ---- Fused instructions ----
// Common adjacent pairs run as one dispatch. The fused opcode replaces only the first
// instruction's opcode; the second instruction stays intact after it, so a branch may still land
// on it, and the debugger can unfuse a pair by restoring the first opcode (see applyBreakpoints).
// The fused opcodes are 0x100 and up; executor.ts has one case per fused opcode.

/** i32 binary operations that fuse, in the order of their fused opcodes. */
export const FUSE_BINOPS = [0x6a, 0x6b, 0x6c, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f];
/** i32 tests and comparisons that fuse with a following br_if or if. */
export const FUSE_COMPARES = [0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f];
const CONST_BINOP = 0x100; // i32.const c; binop       [op, c, binop]
const GET_BINOP = 0x120; // local.get a; binop         [op, a, binop]
const BINOP_SET = 0x140; // binop; local.set a         [op, LOCAL_SET32, a]
const COMPARE_BR_IF = 0x160; // compare; br_if         [op, BR_IF, target]
const COMPARE_BR_IF_BACK = 0x170; // compare; br_if to a loop
const COMPARE_IF = 0x180; // compare; if               [op, IF, else]
const GET_GET = 0x190; // local.get a; local.get b     [op, a, LOCAL_GET32, b]
const GET_CONST = 0x191; // local.get a; i32.const c   [op, a, I32_CONST, c]
const GET_LOAD = 0x192; // local.get a; i32.load off   [op, a, 0x28, off]
// Triples, preferred over the pairs they contain:
const GET_GET_BINOP = 0x1a0; // local.get a; local.get b; binop    [op, a, LOCAL_GET32, b, binop]
const GET_CONST_BINOP = 0x1c0; // local.get a; i32.const c; binop  [op, a, I32_CONST, c, binop]
// ... and the same with the result stored in a local: [op, a, X, b, binop, LOCAL_SET32, d]
const GET_GET_BINOP_SET = 0x1e0;
const GET_CONST_BINOP_SET = 0x200;
// ... and a comparison of them followed by a br_if: [op, a, X, b, compare, BR_IF(_BACK), target]
const GET_GET_COMPARE_BR_IF = 0x220;
const GET_CONST_COMPARE_BR_IF = 0x230;
const GET_GET_COMPARE_BR_IF_BACK = 0x240;
const GET_CONST_COMPARE_BR_IF_BACK = 0x250;

function fuse(orig: Int32Array, starts: Int32Array): { fused: Int32Array; fusedLast: Int32Array } {
  const fused = orig.slice();
  const fusedLast = new Int32Array(orig.length).fill(-1);
  for (let i = 0; i + 1 < starts.length; i++) {
    const j = starts[i];
    const k = starts[i + 1];
    const a = orig[j];
    const b = orig[k];
    let op = -1;
    if (a === Op.LOCAL_GET32 && k === j + 2 && (b === Op.LOCAL_GET32 || b === Op.I32_CONST) && i + 2 < starts.length && starts[i + 2] === k + 2) {
      const cmp = FUSE_COMPARES.indexOf(orig[k + 2]) - 1; // binary comparisons only (not eqz)
      const br = i + 3 < starts.length && starts[i + 3] === k + 3 ? orig[k + 3] : -1;
      if (cmp >= 0 && (br === Op.BR_IF || br === Op.BR_IF_BACK)) {
        const viaGet = b === Op.LOCAL_GET32;
        const base = br === Op.BR_IF
          ? (viaGet ? GET_GET_COMPARE_BR_IF : GET_CONST_COMPARE_BR_IF)
          : (viaGet ? GET_GET_COMPARE_BR_IF_BACK : GET_CONST_COMPARE_BR_IF_BACK);
        fused[j] = base + cmp;
        fusedLast[j] = k + 3;
        continue;
      }
      const bin = FUSE_BINOPS.indexOf(orig[k + 2]);
      if (bin >= 0) {
        // A group of three or four: every covered instruction is listed in fusedLast's span.
        const set = i + 3 < starts.length && starts[i + 3] === k + 3 && orig[k + 3] === Op.LOCAL_SET32;
        const base = b === Op.LOCAL_GET32 ? (set ? GET_GET_BINOP_SET : GET_GET_BINOP) : set ? GET_CONST_BINOP_SET : GET_CONST_BINOP;
        fused[j] = base + bin;
        fusedLast[j] = set ? k + 3 : k + 2;
        continue;
      }
    }
    if (a === Op.I32_CONST && k === j + 2) {
      const bin = FUSE_BINOPS.indexOf(b);
      if (bin >= 0) op = CONST_BINOP + bin;
    } else if (a === Op.LOCAL_GET32 && k === j + 2) {
      const bin = FUSE_BINOPS.indexOf(b);
      if (bin >= 0) op = GET_BINOP + bin;
      else if (b === Op.LOCAL_GET32) op = GET_GET;
      else if (b === Op.I32_CONST) op = GET_CONST;
      else if (b === 0x28) op = GET_LOAD;
    } else if (k === j + 1) {
      const cmp = FUSE_COMPARES.indexOf(a);
      if (cmp >= 0 && b === Op.BR_IF) op = COMPARE_BR_IF + cmp;
      else if (cmp >= 0 && b === Op.BR_IF_BACK) op = COMPARE_BR_IF_BACK + cmp;
      else if (cmp >= 0 && b === Op.IF) op = COMPARE_IF + cmp;
      else if (b === Op.LOCAL_SET32 && FUSE_BINOPS.includes(a)) op = BINOP_SET + FUSE_BINOPS.indexOf(a);
    }
    if (op >= 0) {
      fused[j] = op;
      fusedLast[j] = k;
    }
  }
  return { fused, fusedLast };
}
