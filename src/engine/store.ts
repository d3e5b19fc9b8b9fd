// The store: the value stack (one ArrayBuffer of 8-byte slots, plus a parallel array for
// references), the call stack, and the executions running on them. An execution is one
// invocation from the host; a host function that calls back into wasm starts a nested execution
// on top of the same stacks (a new segment), so the debugger sees one continuous stack.

import { CallStack, InstanceEntry } from './callStack';
import { Op, compiledFunction, operandTypesAt, setFunctionBreakpoints, CompiledFunc } from './compile';
import { Status, callHost, clearWide, slotValue } from './executor';
import { Tier, TierMode, defaultTierMode, runSlice } from './tier/tier';
import { FuncInst, Instance, trapFromError, type HostCallHook, type MemoryInst } from './runtime';
import { Trap } from './trap';
import type { Exception } from './exception';
import type { Module, Value, ValType } from './types';
import { isRefType, refParts } from './refTypes';

export interface StoreOptions {
  /** Most frames on the call stack (wasm and host); beyond it a call traps "call stack exhausted". */
  maxCallDepth?: number;
  /** Most 8-byte slots of locals and operands; beyond it a call traps "call stack exhausted". */
  maxValueStackSlots?: number;
  /** The compiled tier (tier/tier.ts); default: the WAT_TIER environment variable, else hot. */
  tier?: TierMode;
}

export type RunResult =
  | { status: 'done'; results: Value[] }
  | { status: 'trapped'; trap: Trap }
  | { status: 'paused'; reason: 'budget' | 'breakpoint' | 'step' | 'pause' | 'exception' };

/** Which throws stop a run (reason 'exception') before they unwind: none, those no handler catches, or all. */
export type ThrowStops = 'none' | 'uncaught' | 'all';

/** The exception a run stopped at, and whether a handler in the execution will catch it. */
export interface ThrownException {
  exception: Exception;
  caught: boolean;
}

export type StepKind = 'in' | 'over' | 'out' | 'instruction';

/** A view of one frame for the debugger. */
export interface FrameView {
  /** 0 = outermost. */
  height: number;
  func: FuncInst;
  /** The frame's instance; null for a host function. */
  instance: Instance | null;
  /** Byte offset (in its module) of the instruction the frame is at; -1 for host frames. */
  offset: number;
  locals(): Value[];
  setLocal(index: number, value: Value): void;
  /** The operand stack, bottom first. */
  operands(): Value[];
}

const INITIAL_SLOTS = 1 << 16;
/** The most budget one call of the run loop gets (a run with more goes on in further slices). */
const MAX_SLICE = 2 ** 30;
const NULLS: null[] = new Array(4096).fill(null);

// Slots are read both as 64-bit values and as two 32-bit halves (low half first), which holds
// on little-endian hosts only: every platform Node.js and VS Code run on today.
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export class Store {
  readonly maxCallDepth: number;
  readonly maxValueStackSlots: number;
  readonly callStack = new CallStack<FuncInst, Instance | null>();
  /** Value stack views (replaced when the stack grows). */
  I32!: Int32Array;
  F32!: Float32Array;
  F64!: Float64Array;
  I64!: BigInt64Array;
  U64!: BigUint64Array;
  /** The high 8 bytes of a v128 in each slot (the low 8 are in the slot itself); see simd.ts. */
  V!: Int32Array;
  readonly refs: unknown[] = [];
  capacity = 0;
  /** First free slot when no execution is running its loop. */
  sp = 0;
  /** Executions begun and not yet finished or unwound, innermost last. */
  readonly executions: Execution[] = [];
  /** A trap raised outside the run loop's own checks (host functions), handed to the loop. */
  pendingTrap: Trap | null = null;
  /** Which throws pause the run before unwinding (the debugger's exception filters). */
  stopOnThrow: ThrowStops = 'none';
  /**
   * Budget points passed so far (backward branches, calls, host returns), by every execution: with
   * the top frame's height and position it names a moment of the run exactly (see moment.ts).
   */
  ticks = 0;
  /** When set, host calls go through it (recording and replay, see recording.ts). */
  hostCalls: HostCallHook | null = null;
  /** Told of each write a host function says it makes to a memory, before it makes it (data breakpoints). */
  onHostWrite: ((memory: MemoryInst, address: number, length: number) => void) | null = null;
  /** The compiled tier, when on. */
  readonly tier: Tier | null;

  constructor(options: StoreOptions = {}) {
    if (!LITTLE_ENDIAN) throw new Error('wat-debugger\'s interpreter needs a little-endian host');
    this.maxCallDepth = options.maxCallDepth ?? 100_000;
    // Grown on demand up to this, so a generous default costs nothing until a program needs it.
    this.maxValueStackSlots = options.maxValueStackSlots ?? Math.max(1 << 22, this.maxCallDepth * 16);
    this.allocate(Math.min(INITIAL_SLOTS, this.maxValueStackSlots));
    const tier = options.tier ?? defaultTierMode();
    this.tier = tier === 'off' ? null : new Tier(this, tier);
  }

  /**
   * Starts an invocation of `func`; nothing runs until `run`. While another execution is paused
   * or trapped, the new one runs on top of it (e.g. the debugger calling a function at a stop);
   * finish or `unwind` the new one before resuming the other.
   */
  begin(func: FuncInst, args: Value[]): Execution {
    return new Execution(this, func, args);
  }

  /** Runs `func` to completion (breakpoints are ignored); throws `Trap`. */
  invoke(func: FuncInst, args: Value[]): Value[] {
    const ex = this.begin(func, args);
    for (;;) {
      const r = ex.run(Infinity);
      if (r.status === 'done') return r.results;
      if (r.status === 'trapped') {
        ex.unwind();
        throw r.trap;
      }
    }
  }

  /**
   * Sets the breakpoints of function `funcIndex` of `module` (byte offsets of instructions),
   * replacing earlier ones; applies to every instance of the module. Returns the offsets placed.
   */
  setBreakpoints(module: Module, funcIndex: number, offsets: number[]): number[] {
    return setFunctionBreakpoints(module, funcIndex, offsets);
  }

  /** Grows the value stack to hold at least `slots` slots; false when the limit forbids it. */
  growStack(slots: number): boolean {
    if (slots > this.maxValueStackSlots) return false;
    const next = Math.min(Math.max(slots, this.capacity * 2), this.maxValueStackSlots);
    const old = this.I32;
    const oldV = this.V;
    try {
      this.allocate(next);
    } catch {
      return false;
    }
    this.I32.set(old);
    this.V.set(oldV);
    return true;
  }

  private allocate(slots: number): void {
    const buf = new ArrayBuffer(slots * 8);
    const high = new Int32Array(slots * 2); // before any view is replaced, so a failure changes nothing
    this.I32 = new Int32Array(buf);
    this.F32 = new Float32Array(buf);
    this.F64 = new Float64Array(buf);
    this.I64 = new BigInt64Array(buf);
    this.U64 = new BigUint64Array(buf);
    this.V = high;
    // Extend the reference slots in chunks: one push per slot costs tens of ms for millions.
    while (this.refs.length + NULLS.length <= slots) Array.prototype.push.apply(this.refs, NULLS);
    while (this.refs.length < slots) this.refs.push(null);
    this.capacity = slots;
  }

  readSlot(slot: number, type: ValType): Value {
    return slotValue(this, slot, type);
  }

  writeSlot(slot: number, v: Value): void {
    switch (v.type) {
      case 'i32': this.I32[slot * 2] = v.value; break;
      case 'f32': this.I32[slot * 2] = v.bits; break;
      case 'i64': this.I64[slot] = v.value; break;
      case 'f64': this.I64[slot] = BigInt.asIntN(64, v.bits); break;
      case 'v128': {
        const w = v128Words(v.bytes);
        this.I32[slot * 2] = w[0];
        this.I32[slot * 2 + 1] = w[1];
        this.V[slot * 2] = w[2];
        this.V[slot * 2 + 1] = w[3];
        break;
      }
      default: this.refs[slot] = v.value; break; // a reference
    }
  }
}

/** The four little-endian 32-bit words of a v128 value's 16 bytes. */
function v128Words(bytes: Uint8Array): Int32Array {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 16) throw new TypeError(`a v128 value has 16 bytes, got ${bytes instanceof Uint8Array ? bytes.length : typeof bytes}`);
  return new Int32Array(new Uint8Array(bytes).buffer);
}

export type ExecutionStatus = 'ready' | 'running' | 'paused' | 'done' | 'trapped' | 'unwound';

/** One invocation: resumable with `run(budget)`, inspectable while paused or trapped. */
export class Execution {
  status: ExecutionStatus = 'ready';
  results: Value[] | null = null;
  trap: Trap | null = null;
  /** Call-stack height where this execution's bottom frame is (frames below belong to outer ones). */
  readonly base: number;
  readonly spBase: number;
  /** Set by `requestPause`; honoured at the next budget point (backward branch, call, host return). */
  pauseRequested = false;
  stepKind: StepKind | null = null;
  /** A step stops at an instruction boundary in a frame at this height or below. */
  stepMax = Infinity;
  /** The next run starts by executing the instruction it stopped at, not stopping there again. */
  resumeSkip = false;
  /** The run stopped at a throw (reason 'exception'): resuming throws it without stopping again. */
  resumeThrow = false;
  /** While stopped at a throw: the exception and whether it will be caught. */
  thrown: ThrownException | null = null;
  /** What the run loop left of the budget it was given (to count the store's ticks). */
  budgetLeft = 0;

  constructor(readonly store: Store, readonly func: FuncInst, args: Value[]) {
    const params = func.type.params;
    if (args.length !== params.length || args.some((a, i) => a.type !== params[i] && !refFits(a, params[i]))) {
      throw new TypeError(`${func.name} expects (${params.join(' ')}), got (${args.map((a) => a.type).join(' ')})`);
    }
    const cs = store.callStack;
    this.base = cs.height;
    this.spBase = store.sp;
    const cf = func.instance ? compiledOf(func) : null; // may throw (a CompileError): before any state changes
    store.executions.push(this);
    const need = store.sp + Math.max(args.length, cf ? cf.maxHeight : 0);
    if (need > store.capacity && !store.growStack(need)) { this.failEntry(); return; }
    for (let i = 0; i < args.length; i++) store.writeSlot(store.sp + i, args[i]);
    if (cf === null) {
      store.sp += args.length;
      return;
    }
    if (cs.height >= store.maxCallDepth) { this.failEntry(); return; }
    const fp = store.sp;
    cs.push(func, fp, func.instance);
    cs.pcs[cs.height - 1] = 0; // starts at the function's first instruction
    for (let k = fp + cf.nparams; k < fp + cf.nlocals; k++) store.F64[k] = 0;
    for (const k of cf.wideLocals) clearWide(store.V, store.refs, fp + k);
    store.sp = fp + cf.nlocals;
  }

  private failEntry(): void {
    this.trap = new Trap('call stack exhausted');
    this.trap.funcName = this.func.name;
    this.status = 'trapped';
  }

  get callStack(): CallStack<FuncInst, Instance | null> {
    return this.store.callStack;
  }

  /** Runs until done, trapped, or paused (budget spent, breakpoint, step, pause request). */
  run(budget = Infinity): RunResult {
    if (this.status === 'done' || this.status === 'unwound') throw new Error(`this execution has already ${this.status === 'done' ? 'finished' : 'been unwound'}`);
    if (this.status === 'trapped') return { status: 'trapped', trap: this.trap! };
    const store = this.store;
    if (store.executions[store.executions.length - 1] !== this) throw new Error('a nested execution is still active; finish or unwind it first');
    if (this.status === 'running') throw new Error('this execution is already running');
    if (this.pauseRequested) {
      this.pauseRequested = false;
      this.status = 'paused';
      return { status: 'paused', reason: 'pause' };
    }
    this.status = 'running';
    if (this.func.instance === null) return this.runHost();
    let st: Status;
    try {
      // In slices of a finite budget, so that every budget point is counted, also in an unlimited run.
      // A whole budget of n goes in as n - 0.5 (which still stops after n points): the run loop's
      // budget is then always a double, and V8 keeps the code it optimised for doubles.
      for (let left = Math.max(budget, 1); ; ) {
        const whole = Math.min(left, MAX_SLICE);
        const slice = Number.isInteger(whole) ? whole - 0.5 : whole;
        st = runSlice(store, this, slice);
        const used = slice - this.budgetLeft;
        store.ticks += used;
        left -= used;
        if (st !== Status.BUDGET || this.pauseRequested || left <= 0) break;
      }
    } catch (e) {
      // Only a bug or the host running out of memory gets here; report it as a trap, never crash.
      const trap = trapFromError(e);
      trap.funcName ??= this.func.name;
      this.trap = trap;
      st = Status.TRAPPED;
    }
    // A step stays armed across budget pauses (it spans slices); any other stop ends it.
    if (st !== Status.BUDGET || this.pauseRequested) {
      this.stepKind = null;
      this.stepMax = Infinity;
    }
    switch (st) {
      case Status.DONE:
        return this.finish();
      case Status.TRAPPED:
        this.status = 'trapped';
        return { status: 'trapped', trap: this.trap! };
      case Status.BUDGET: {
        this.status = 'paused';
        const reason = this.pauseRequested ? 'pause' : 'budget';
        this.pauseRequested = false;
        return { status: 'paused', reason };
      }
      case Status.BREAKPOINT:
      case Status.STEP:
        this.status = 'paused';
        this.resumeSkip = true;
        return { status: 'paused', reason: st === Status.STEP ? 'step' : 'breakpoint' };
      case Status.THROW:
        this.status = 'paused';
        this.resumeSkip = true;
        this.resumeThrow = true;
        return { status: 'paused', reason: 'exception' };
    }
  }

  private runHost(): RunResult {
    const store = this.store;
    const sp = callHost(store, this.func, this.spBase + this.func.type.params.length);
    if (sp < 0) {
      this.trap = store.pendingTrap!;
      store.pendingTrap = null;
      if (this.trap.funcName === null) this.trap.funcName = this.func.name;
      this.status = 'trapped';
      return { status: 'trapped', trap: this.trap };
    }
    this.results = this.func.type.results.map((t, i) => store.readSlot(this.spBase + i, t));
    store.sp = this.spBase;
    this.status = 'done';
    store.executions.pop();
    return { status: 'done', results: this.results };
  }

  /** Called by the run loop when the bottom frame returns: results start at slot `fp`. */
  collectResults(fp: number): void {
    this.results = this.func.type.results.map((t, i) => this.store.readSlot(fp + i, t));
  }

  private finish(): RunResult {
    this.status = 'done';
    const execs = this.store.executions;
    if (execs[execs.length - 1] === this) execs.pop();
    return { status: 'done', results: this.results! };
  }

  /** Drops this execution's frames (after a trap, or to abandon a paused one). */
  unwind(): void {
    if (this.status === 'done' || this.status === 'unwound') return;
    const store = this.store;
    const execs = store.executions;
    const i = execs.indexOf(this);
    // Executions nested inside this one go too.
    for (let k = execs.length - 1; k > i; k--) execs[k].status = 'unwound';
    if (i >= 0) execs.length = i;
    store.callStack.unwindTo(this.base);
    store.sp = this.spBase;
    this.status = 'unwound';
  }

  /** Asks a running or paused execution to stop at the next budget point (reason 'pause'). */
  requestPause(): void {
    this.pauseRequested = true;
  }

  /**
   * Arms a step: the next `run` pauses with reason 'step' at the next instruction boundary in
   * the current frame or a caller ('over'), in a caller ('out'), or anywhere ('in', 'instruction').
   * `maxHeight` gives the limit instead: a step resumed from a pause in a deeper frame (a breakpoint
   * that did not stop) keeps the limit it started with. Returns the limit armed.
   */
  step(kind: StepKind, maxHeight?: number): number {
    const top = this.store.callStack.height - 1;
    this.stepKind = kind;
    this.stepMax = maxHeight ?? (kind === 'over' ? top : kind === 'out' ? top - 1 : Infinity);
    // From a pause, the step leaves the current instruction; before the first run it stops at the entry.
    this.resumeSkip = this.status === 'paused';
    return this.stepMax;
  }

  /** The frame at `height` (0 = outermost) of the whole call stack. */
  frame(height: number): FrameView {
    return frameView(this.store, height);
  }

  /** The sparse instance list (for the debugger's stack pages). */
  get instances(): InstanceEntry<Instance | null>[] {
    return this.store.callStack.instances;
  }
}

/** A reference argument fits a reference parameter when the parameter admits its value (null needs a nullable one). */
function refFits(a: Value, param: ValType): boolean {
  const p = refParts(param);
  if (p === null || !isRefType(a.type)) return false;
  return (a as { value: unknown }).value !== null || p.nullable;
}

function compiledOf(func: FuncInst): CompiledFunc {
  if (func.compiled === null) func.compiled = compiledFunction(func.instance!.module, func.index);
  return func.compiled;
}

function frameView(store: Store, height: number): FrameView {
  const cs = store.callStack;
  if (height < 0 || height >= cs.height) throw new RangeError(`no frame at height ${height} (stack height ${cs.height})`);
  const func = cs.funcs[height];
  const instance = cs.instanceAt(height);
  const fp = cs.fps[height];
  if (func.instance === null) {
    return {
      height, func, instance, offset: -1,
      locals: () => func.type.params.map((t, i) => store.readSlot(fp + i, t)),
      setLocal: () => { throw new Error('host function arguments cannot be changed'); },
      operands: () => [],
    };
  }
  const cf = compiledOf(func);
  const isTop = height === cs.height - 1;
  const saved = cs.pcs[height];
  // Below the top, the saved position is the return position: the call is the instruction before it.
  // At the top it is an instruction's start, or inside one whose own part trapped (after ADDR64's check).
  const pc = instructionStart(cf, isTop ? saved : saved - 1);
  return {
    height,
    func,
    instance,
    offset: cf.offsets[pc],
    locals: () => cf.localTypes.map((t, i) => store.readSlot(fp + i, t)),
    setLocal: (i: number, v: Value) => {
      if (i < 0 || i >= cf.localTypes.length) throw new RangeError(`local ${i} does not exist (the function has ${cf.localTypes.length})`);
      if (v.type !== cf.localTypes[i]) throw new TypeError(`local ${i} is ${cf.localTypes[i]}, not ${v.type}`);
      store.writeSlot(fp + i, v);
    },
    operands: () => {
      let types = operandTypesAt(cf, pc);
      if (!isTop) types = types.slice(0, types.length - cs.funcs[height + 1].type.params.length - (isIndirectCall(cf, pc) ? 1 : 0));
      return types.map((t, i) => store.readSlot(fp + cf.nlocals + i, t));
    },
  };
}

function isIndirectCall(cf: CompiledFunc, pc: number): boolean {
  const op = cf.orig[pc] === Op.ADDR64 ? cf.orig[pc + 3] : cf.orig[pc]; // a table64's index check comes first
  return op === 0x11 || op === 0x13 || op === Op.CALL_REF || op === Op.RETURN_CALL_REF; // call_indirect's index, call_ref's reference
}

function instructionStart(cf: CompiledFunc, index: number): number {
  let lo = 0;
  let hi = cf.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (cf.starts[mid] <= index) lo = mid;
    else hi = mid - 1;
  }
  return cf.starts[lo];
}

/** Runs `func` to completion in `store`; throws `Trap`. */
export function invoke(store: Store, func: FuncInst, args: Value[]): Value[] {
  return store.invoke(func, args);
}
