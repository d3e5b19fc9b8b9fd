// The compiled tier's bookkeeping: which functions are hot, their translations (translate.ts), and
// the places the interpreter hands a frame over: a call (executor.ts asks `enterTop` after
// pushing the callee's frame), a return (to the caller's call return position) and the start of a
// budget slice (`runSlice`, which also cuts long interpreted runs into chunks so that a hot loop is
// noticed and entered at its loop head).
//
// Compiled code hands back to the interpreter (translate.ts) before every stop, trap and last budget
// point, so pauses, breakpoints, steps, traps and time travel all happen in the interpreter, on
// the same frames, positions and tick counts as without the tier.

import { Op, compiledFunction, type CompiledFunc } from '../compile';
import { Status, execute } from '../executor';
import type { FuncInst } from '../runtime';
import type { Execution, Store } from '../store';
import { tierHelpers } from './helpers';
import { Translation, TierFn, Untranslatable, translate } from './translate';

import { TIER_MODES, type TierMode } from './modes';

export type { TierMode };

/** The mode stores get unless told otherwise (set, else the environment's WAT_TIER, else hot). */
let defaultMode: TierMode | null = null;

/** An environment variable, where there is an environment (the engine also runs in contexts without `process`). */
function environment(name: string): string | undefined {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return p?.env?.[name];
}

export function parseTierMode(text: string, where: string): TierMode {
  if ((TIER_MODES as readonly string[]).includes(text)) return text as TierMode;
  throw new Error(`${where}: the compiled tier is one of ${TIER_MODES.join(', ')}, not "${text}"`);
}

/** Sets the mode of stores made from now on in this thread; null goes back to the environment's WAT_TIER. */
export function setDefaultTierMode(mode: TierMode | null): void {
  defaultMode = mode;
}

/** Throws on a WAT_TIER that names no mode (when a store is made, so the message reaches whoever made it). */
export function defaultTierMode(): TierMode {
  return defaultMode ?? parseTierMode(environment('WAT_TIER') ?? 'hot', 'WAT_TIER');
}

/** Heat a function needs before it is translated: an interpreted call adds 1, a chunk of interpreted run ending in it adds CHUNK_HEAT. */
const HOT = 200;
const CHUNK_HEAT = 100;
/** Budget points the interpreter runs before the tier looks at the top frame again (when the tier is on). */
const CHUNK = 20_000.5;

/** The tier's record of one function instance (`FuncInst.tier`). */
export class TierFunc {
  fn: TierFn | null = null;
  cf: CompiledFunc | null = null;
  entries: Set<number> | null = null;
  heat = 0;
  /** Why the function stays interpreted (null: translated, or not tried yet). */
  reason: string | null = null;
  translation: Translation | null = null;
}

export function tierOf(f: FuncInst): TierFunc {
  let t = f.tier as TierFunc | null;
  if (t === null) f.tier = t = new TierFunc();
  return t;
}

/** Per store: the mode, and the state compiled code shares (named `S` in generated code). */
export class Tier {
  /** Budget left, counted down by compiled code at the same points as the interpreter. */
  b = 0;
  /** Set by compiled code that left to the interpreter: every compiled frame is written back. */
  u = false;
  /** Set when an entry was refused (a NaN in a float slot); nothing changed. */
  r = false;
  /** The operand stack top of the frame that left (the interpreter's sp). */
  sp = 0;
  /** How many times a frame was handed to compiled code (for tests and reports). */
  entered = 0;

  constructor(readonly store: Store, readonly mode: 'hot' | 'always') {}

  /**
   * Runs the top frame (at code index `pc`) in compiled code if its function is compiled (or
   * becomes so now, `heat` added) and `pc` is an entry. When it returns, the frame below it (not
   * below `base`) goes on in compiled code too if it can, and so on. Returns false when nothing
   * ran. Else the frames are as the interpreter would have left them: the top frame at the
   * position to go on from (a function that returned to a frame the interpreter runs is at its
   * final RETURN with its results in place), `store.sp` its operand top, `this.b` the budget left.
   */
  enterTop(budget: number, pc: number, heat: number, base: number): boolean {
    const store = this.store;
    const cs = store.callStack;
    let h = cs.height - 1;
    let t = this.ready(cs.funcs[h], heat);
    if (t === null || !t.entries!.has(pc)) return false;
    this.b = budget;
    this.u = false;
    this.r = false;
    let ran = false;
    for (;;) {
      const cf = t.cf!;
      const fp = cs.fps[h];
      const r = t.fn!(fp, pc, 0);
      if (this.r) {
        // A NaN in a float slot: the interpreter goes on from here (after a return, as its RETURN leaves it).
        this.r = false;
        return ran;
      }
      ran = true;
      this.entered++;
      if (this.u) {
        this.u = false;
        store.sp = this.sp;
        this.heatCallee(cs.funcs[cs.height - 1], cs.pcs[cs.height - 1]);
        return true;
      }
      if (cf.nresults === 1) {
        switch (cf.type.results[0]) {
          case 'i32': store.I32[fp << 1] = r as number; break;
          case 'f32': store.F32[fp << 1] = r as number; break;
          case 'f64': store.F64[fp] = r as number; break;
          case 'v128': break; // written into the frame by the generated code
          default: store.I32[fp << 1] = r as number; store.I32[(fp << 1) + 1] = tierHelpers.hi; break;
        }
      }
      store.sp = fp + cf.nresults;
      // The caller resumes at its call's return position: compiled too when that is an entry of it.
      const caller = h > base ? this.ready(cs.funcs[h - 1], 1) : null;
      if (caller !== null && caller.entries!.has(cs.pcs[h - 1])) {
        cs.pop();
        h--;
        t = caller;
        pc = cs.pcs[h];
        continue;
      }
      cs.pcs[h] = cf.orig.length - 1; // the function's final RETURN
      return true;
    }
  }

  /**
   * Compiled code that left to call a function not compiled yet pays an exit and a re-entry per
   * call, and the callee's loops run interpreted: the callee gets a chunk's heat, so that a short,
   * loop-heavy callee (a memcpy, say) is compiled after a few such calls rather than a few hundred.
   */
  private heatCallee(f: FuncInst, pc: number): void {
    const t = f.tier as TierFunc | null;
    if (t === null || t.cf === null || t.cf.orig[pc] !== Op.CALL) return;
    const callee = f.instance!.funcs[t.cf.orig[pc + 1]];
    if (callee.instance !== null && tierOf(callee).fn === null) tierOf(callee).heat += CHUNK_HEAT;
  }

  /** The tier record of `f` when it is compiled (translating it now when hot) and has no breakpoints; else null. */
  private ready(f: FuncInst, heat: number): TierFunc | null {
    if (f.instance === null) return null;
    const t = tierOf(f);
    if (t.fn === null) {
      if (t.reason !== null) return null;
      t.heat += heat;
      if (this.mode === 'hot' && t.heat < HOT) return null;
      this.translate(f, t);
      if (t.fn === null) return null;
    }
    return t.cf!.breakpoints.size === 0 ? t : null;
  }

  private translate(f: FuncInst, t: TierFunc): void {
    if (refusal !== null) {
      t.reason = refusal;
      return;
    }
    const inst = f.instance!;
    const cf = f.compiled ?? (f.compiled = compiledFunction(inst.module, f.index));
    let tr: Translation;
    try {
      tr = translate(f, cf, inst, tierOf, this.store.maxCallDepth);
    } catch (e) {
      if (!(e instanceof Untranslatable)) throw e;
      t.reason = e.message;
      return;
    }
    const memory = inst.memories.length > 0 ? inst.memories[0] : null;
    let factory: (...a: unknown[]) => TierFn;
    try {
      factory = factoryOf(tr);
    } catch (e) {
      // A host run with --disallow-code-generation-from-strings: this function and every later one stay interpreted.
      if (!(e instanceof EvalError)) throw e;
      t.reason = refusal = `the JavaScript host does not allow compiling it (${e.message})`;
      return;
    }
    t.fn = factory(tierHelpers, this, this.store.callStack, this.store, memory, ...tr.constants);
    t.cf = cf;
    t.entries = tr.entries;
    t.translation = tr;
  }
}

/** Why the host refuses to make functions from strings, once it has refused (then nothing is translated). */
let refusal: string | null = null;

/**
 * The factories made so far, by their parameters and source. A program loaded again (every debug
 * session loads afresh) gets the same factory for the same function: the functions it makes share
 * V8's feedback and optimised code, so after the first few loads they run at full speed from their
 * first call.
 *
 * The factory is a closure made inside a function from `new Function`, not that function itself:
 * V8 lets the closures a function makes share feedback only once that function has a place to
 * keep it, which a function from `new Function` gets after about eight calls (one per load).
 * Until then each load's compiled function started cold and was optimised again (fib under the
 * debugger: the first six sessions each paid 5-7 ms of compiling and ran unoptimised meanwhile).
 */
const factories = new Map<string, (...a: unknown[]) => TierFn>();
const MAX_FACTORIES = 2000;

function factoryOf(tr: Translation): (...a: unknown[]) => TierFn {
  const key = `${tr.names.join(',')}\n${tr.source}`;
  let factory = factories.get(key);
  if (factory === undefined) {
    if (factories.size >= MAX_FACTORIES) factories.clear();
    const params = ['H', 'S', 'cs', 'store', 'M', ...tr.names].join(', ');
    factory = new Function(`return function factory(${params}) {\n${tr.source}\n};`)() as (...a: unknown[]) => TierFn;
    // A first, thrown-away function, so the real ones are never a function's only closure: V8
    // compiles an only closure for its own context (this load's memory and store, say) and drops
    // that code when the load is collected. In 4 of 11 debugger processes sieve then ran 1.6x
    // slower for many sessions: each re-entered its loops through old on-stack-replacement code
    // that deoptimised every round, and the function was not optimised again meanwhile.
    factory();
    factories.set(key, factory);
  }
  return factory;
}

/**
 * Runs `ex` like `execute`, with the compiled tier when the store has one: the top frame is handed
 * to compiled code when it can be, and the interpreter runs in chunks in between.
 */
export function runSlice(store: Store, ex: Execution, budget: number): Status {
  const tier = store.tier;
  if (tier === null || ex.stepKind !== null) return execute(store, ex, budget);
  const cs = store.callStack;
  let left = budget;
  let st: Status;
  for (let first = true; ; first = false) {
    // Not over a position the interpreter must run first (resuming from a stop at a breakpoint or throw).
    if (!ex.resumeSkip && !ex.resumeThrow && !ex.pauseRequested && cs.height > ex.base) {
      if (tier.enterTop(left, cs.pcs[cs.height - 1], first ? 1 : CHUNK_HEAT, ex.base)) left = tier.b;
    }
    const chunk = left > CHUNK ? CHUNK : left;
    st = execute(store, ex, chunk);
    left -= chunk - ex.budgetLeft;
    if (st !== Status.BUDGET || left <= 0 || ex.pauseRequested) break;
  }
  ex.budgetLeft = left;
  return st;
}

/** Why each wasm function of `funcs` is not compiled (for reports): name -> reason, for those tried. */
export function tierReasons(funcs: FuncInst[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of funcs) {
    const t = f.tier as TierFunc | null;
    if (t !== null && t.reason !== null) out.set(f.name, t.reason);
  }
  return out;
}
