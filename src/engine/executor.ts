// The run loop: one switch over the internal code of compile.ts, with the instructions rare in
// hot loops in rareOps.ts (and SIMD, GC and other memories in theirs). Resumable: every exit saves the
// position in the call stack, so the next `execute` continues exactly there. Wasm-to-wasm calls
// push a frame on the call stack and continue in the same loop (no JS recursion per wasm call).
// No allocation in the hot paths, no try/catch in the loop body (traps leave through one exit),
// the budget is counted on backward branches and calls only, and breakpoints/steps are BREAK
// opcodes patched into the code, so they cost nothing where none is set.

import { Op, CompiledFunc, compiledFunction, stepCodeOf } from './compile';
import { FuncInst, Instance, MemoryInst, TableInst, GlobalInst, HostContext, cellToValue, trapFromError } from './runtime';
import { OOB_MEMORY, checkAddress64 } from './address64';
import { Trap } from './trap';
import { mulHigh32 } from './numeric';
import { runRare } from './rareOps';
import { runSimd } from './simd';
import { runOtherMemory } from './otherMemory';
import { Exception, UncaughtException } from './exception';
import { findCatch, newException, unwindToCatch } from './throw';
import { runGc } from './gc';
import { canonById } from './typeCanon';
import type { Value, ValType } from './types';
import type { Store, Execution } from './store';

export const enum Status {
  DONE,
  TRAPPED,
  BUDGET,
  BREAKPOINT,
  STEP,
  /** Stopped at a throw the debugger wants to see (`Store.stopOnThrow`), before anything unwound. */
  THROW,
}

const EMPTY_VIEW = new DataView(new ArrayBuffer(0));
const EMPTY_U8 = new Uint8Array(0);
const DIV_ZERO = 'integer divide by zero';
const OVERFLOW = 'integer overflow';

/** Not in any code: the run loop's own dispatch to unwind an exception a host function's callee threw. */
const THROW_FROM_HOST = -1;
/** Not in any code either: takes the top frame from the call stack again (after a catch, or after compiled code ran). */
const RELOAD_FRAME = -2;

/**
 * Runs `ex` (the innermost execution of the store) until it returns from its bottom frame, traps,
 * spends `budget` (backward branches and calls) or reaches a breakpoint/step stop.
 */
export function execute(store: Store, ex: Execution, budget: number): Status {
  const cs = store.callStack;
  const base = ex.base;
  const maxDepth = store.maxCallDepth;
  const stepping = ex.stepKind !== null;
  const stepMax = ex.stepMax;

  let h = cs.height - 1;
  let f = cs.funcs[h];
  let cf = f.compiled as CompiledFunc;
  let code = stepping && h <= stepMax ? stepCodeOf(cf) : cf.code;
  let pc = cs.pcs[h];
  let fp = cs.fps[h];
  let sp = store.sp;

  let I32 = store.I32;
  const refs = store.refs;
  let capacity = store.capacity;

  let inst = cs.current as Instance;
  let funcs: FuncInst[] = inst.funcs;
  let globals: GlobalInst[] = inst.globals;
  let tables: TableInst[] = inst.tables;
  let memory: MemoryInst | null = inst.memories.length > 0 ? inst.memories[0] : null;
  let mem = memory !== null ? memory.view : EMPTY_VIEW;
  let u8 = memory !== null ? memory.u8 : EMPTY_U8;
  let memLen = u8.length;

  let status = Status.DONE;
  let trapMsg = '';
  let callee: FuncInst = f;
  store.pendingTrap = null;

  let op = code[pc];
  if (op === Op.BREAK && ex.resumeSkip) op = cf.orig[pc];
  ex.resumeSkip = false;

  loop: for (;;) {
    switch (op) {
      case Op.UNREACHABLE:
        trapMsg = 'unreachable';
        status = Status.TRAPPED;
        break loop;
      case Op.NOP:
        pc++;
        break;
      case Op.BR:
        pc = code[pc + 1];
        break;
      case Op.BR_BACK:
        pc = code[pc + 1];
        if (--budget <= 0) { status = Status.BUDGET; break loop; }
        break;
      case Op.BR_IF:
        sp--;
        if (I32[sp << 1] !== 0) pc = code[pc + 1];
        else pc += 2;
        break;
      case Op.BR_IF_BACK:
        sp--;
        if (I32[sp << 1] !== 0) {
          pc = code[pc + 1];
          if (--budget <= 0) { status = Status.BUDGET; break loop; }
        } else pc += 2;
        break;
      case Op.IF:
        sp--;
        if (I32[sp << 1] === 0) pc = code[pc + 1];
        else pc += 2;
        break;
      case Op.BR_IF_MOVE:
        sp--;
        if (I32[sp << 1] === 0) { pc += 4; break; }
      // falls through
      case Op.BR_MOVE: {
        const target = code[pc + 1];
        const n = code[pc + 2];
        const dest = fp + code[pc + 3];
        moveSlots(I32, store.V, refs, sp - n, dest, n);
        sp = dest + n;
        const back = target <= pc;
        pc = target;
        if (back && --budget <= 0) { status = Status.BUDGET; break loop; }
        break;
      }
      case Op.BR_TABLE: {
        sp--;
        const n = code[pc + 1];
        let i = I32[sp << 1] >>> 0;
        if (i > n) i = n;
        const e = pc + 2 + 3 * i;
        const target = code[e];
        if (target < 0) { op = Op.RETURN; continue loop; }
        const arity = code[e + 1];
        const dest = fp + code[e + 2];
        if (sp - arity !== dest) moveSlots(I32, store.V, refs, sp - arity, dest, arity);
        sp = dest + arity;
        const back = target <= pc;
        pc = target;
        if (back && --budget <= 0) { status = Status.BUDGET; break loop; }
        break;
      }
      case Op.RETURN: {
        const n = cf.nresults;
        const src = sp - n;
        if (src !== fp) {
          for (let i = 0; i < n; i++) {
            const a = (fp + i) << 1;
            const b = (src + i) << 1;
            I32[a] = I32[b];
            I32[a + 1] = I32[b + 1];
          }
          if (cf.refResults) for (let i = 0; i < n; i++) refs[fp + i] = refs[src + i];
          if (cf.vecResults) moveHighHalves(store.V, src, fp, n);
        }
        sp = fp + n;
        if (h === base) break loop; // status DONE
        const r = cs.pop();
        h--;
        f = cs.funcs[h];
        cf = f.compiled as CompiledFunc;
        fp = cs.fps[h];
        pc = cs.pcs[h];
        code = stepping && h <= stepMax ? stepCodeOf(cf) : cf.code;
        if (r !== undefined) {
          inst = r as Instance;
          funcs = inst.funcs;
          globals = inst.globals;
          tables = inst.tables;
          memory = inst.memories.length > 0 ? inst.memories[0] : null;
          if (memory !== null) { mem = memory.view; u8 = memory.u8; memLen = u8.length; }
        }
        // The compiled tier may run the caller on from its call's return position (tier/tier.ts).
        if (store.tier !== null && !stepping && store.tier.enterTop(budget, pc, 0, base)) { budget = store.tier.b; op = RELOAD_FRAME; continue loop; }
        break;
      }
      case Op.CALL_INDIRECT:
      case Op.RETURN_CALL_INDIRECT: {
        const table = tables[code[pc + 2]].elements;
        const i = I32[(sp - 1) << 1] >>> 0;
        if (i >= table.length) { trapMsg = `undefined element ${i}`; status = Status.TRAPPED; break loop; }
        const c = table[i] as FuncInst | null;
        if (c === null) { trapMsg = `uninitialized element ${i}`; status = Status.TRAPPED; break loop; }
        if (c.typeId !== code[pc + 1] && !c.canon.isSubOf(canonById(code[pc + 1]))) { trapMsg = 'indirect call type mismatch'; status = Status.TRAPPED; break loop; }
        sp--;
        callee = c;
      }
      // falls through
      case Op.CALL_REF:
      case Op.RETURN_CALL_REF:
        if (op === Op.CALL_REF || op === Op.RETURN_CALL_REF) {
          const c = refs[sp - 1] as FuncInst | null;
          if (c === null) { trapMsg = 'null function reference'; status = Status.TRAPPED; break loop; }
          sp--;
          callee = c;
        }
      // falls through
      case Op.CALL:
      case Op.RETURN_CALL: {
        let next: number;
        if (op === Op.CALL || op === Op.RETURN_CALL) {
          callee = funcs[code[pc + 1]];
          next = pc + 2;
        } else next = op === Op.CALL_REF || op === Op.RETURN_CALL_REF ? pc + 1 : pc + 3;
        const indirect = op === Op.CALL_INDIRECT || op === Op.RETURN_CALL_INDIRECT || op === Op.CALL_REF || op === Op.RETURN_CALL_REF;
        const tail = op === Op.RETURN_CALL || op === Op.RETURN_CALL_INDIRECT || op === Op.RETURN_CALL_REF;
        const ci = callee.instance;
        if (ci === null) {
          // A host function: it runs in JS (and may invoke wasm again, nested on this stack).
          cs.pcs[h] = next;
          const nsp = callHost(store, callee, sp);
          I32 = store.I32;
          capacity = store.capacity;
          if (memory !== null) { mem = memory.view; u8 = memory.u8; memLen = u8.length; }
          if (nsp < 0) {
            if (indirect) sp++;
            // An exception that left wasm code the host function called goes on unwinding here.
            if ((store.pendingTrap as Trap | null) instanceof UncaughtException) { op = THROW_FROM_HOST; continue loop; }
            status = Status.TRAPPED;
            break loop;
          }
          sp = nsp;
          pc = next; // after a tail call, `next` is a RETURN
          if (--budget <= 0 || ex.pauseRequested) { status = Status.BUDGET; break loop; }
          break;
        }
        let ccf = callee.compiled;
        if (ccf === null) ccf = callee.compiled = compiledFunction(ci.module, callee.index);
        const np = ccf.nparams;
        const nfp = tail ? fp : sp - np;
        if (!tail && h + 1 >= maxDepth) {
          if (indirect) sp++;
          trapMsg = 'call stack exhausted';
          status = Status.TRAPPED;
          break loop;
        }
        if (nfp + ccf.maxHeight > capacity) {
          if (!store.growStack(nfp + ccf.maxHeight)) {
            if (indirect) sp++;
            trapMsg = 'call stack exhausted';
            status = Status.TRAPPED;
            break loop;
          }
          I32 = store.I32;
          capacity = store.capacity;
        }
        let r: Instance | null | undefined;
        if (tail) {
          moveSlots(I32, store.V, refs, sp - np, nfp, np);
          r = cs.replaceTop(callee, nfp, ci);
        } else {
          cs.pcs[h] = next;
          r = cs.push(callee, nfp, ci);
          h++;
        }
        if (r !== undefined) {
          inst = ci;
          funcs = inst.funcs;
          globals = inst.globals;
          tables = inst.tables;
          memory = inst.memories.length > 0 ? inst.memories[0] : null;
          if (memory !== null) { mem = memory.view; u8 = memory.u8; memLen = u8.length; }
        }
        const nl = nfp + ccf.nlocals;
        for (let k = (nfp + np) << 1; k < nl << 1; k++) I32[k] = 0;
        const wl = ccf.wideLocals;
        for (let k = 0; k < wl.length; k++) clearWide(store.V, refs, nfp + wl[k]);
        fp = nfp;
        sp = nl;
        f = callee;
        cf = ccf;
        pc = 0;
        code = stepping && h <= stepMax ? stepCodeOf(cf) : cf.code;
        if (--budget <= 0) { status = Status.BUDGET; break loop; }
        // The compiled tier may run the callee (tier/tier.ts); it leaves the frames as we would.
        if (store.tier !== null && !stepping && store.tier.enterTop(budget, 0, 1, base)) { budget = store.tier.b; op = RELOAD_FRAME; continue loop; }
        break;
      }
      case Op.DROP:
        sp--;
        pc++;
        break;
      case Op.SELECT: {
        sp -= 2;
        if (I32[(sp + 1) << 1] === 0) {
          const a = (sp - 1) << 1;
          I32[a] = I32[a + 2];
          I32[a + 1] = I32[a + 3];
        }
        pc++;
        break;
      }
      case Op.LOCAL_GET32:
        I32[sp << 1] = I32[(fp + code[pc + 1]) << 1];
        sp++;
        pc += 2;
        break;
      case Op.LOCAL_SET32:
        sp--;
        I32[(fp + code[pc + 1]) << 1] = I32[sp << 1];
        pc += 2;
        break;
      case Op.LOCAL_TEE32:
        I32[(fp + code[pc + 1]) << 1] = I32[(sp - 1) << 1];
        pc += 2;
        break;
      case Op.LOCAL_GET64: {
        const a = (fp + code[pc + 1]) << 1;
        const b = sp << 1;
        I32[b] = I32[a];
        I32[b + 1] = I32[a + 1];
        sp++;
        pc += 2;
        break;
      }
      case Op.LOCAL_SET64: {
        sp--;
        const a = (fp + code[pc + 1]) << 1;
        const b = sp << 1;
        I32[a] = I32[b];
        I32[a + 1] = I32[b + 1];
        pc += 2;
        break;
      }
      case Op.LOCAL_TEE64: {
        const a = (fp + code[pc + 1]) << 1;
        const b = (sp - 1) << 1;
        I32[a] = I32[b];
        I32[a + 1] = I32[b + 1];
        pc += 2;
        break;
      }
      case Op.LOCAL_GET_REF:
        refs[sp] = refs[fp + code[pc + 1]];
        sp++;
        pc += 2;
        break;
      case Op.LOCAL_SET_REF:
        sp--;
        refs[fp + code[pc + 1]] = refs[sp];
        pc += 2;
        break;
      case Op.LOCAL_TEE_REF:
        refs[fp + code[pc + 1]] = refs[sp - 1];
        pc += 2;
        break;
      case Op.GLOBAL_GET32:
        I32[sp << 1] = globals[code[pc + 1]].i32[0];
        sp++;
        pc += 2;
        break;
      case Op.GLOBAL_SET32:
        sp--;
        globals[code[pc + 1]].i32[0] = I32[sp << 1];
        pc += 2;
        break;
      case Op.GLOBAL_GET64: {
        const g = globals[code[pc + 1]].i32;
        const b = sp << 1;
        I32[b] = g[0];
        I32[b + 1] = g[1];
        sp++;
        pc += 2;
        break;
      }
      case Op.GLOBAL_SET64: {
        sp--;
        const g = globals[code[pc + 1]].i32;
        const b = sp << 1;
        g[0] = I32[b];
        g[1] = I32[b + 1];
        pc += 2;
        break;
      }
      // ---- memory loads: [op, offset]; the address is the top operand ----
      case 0x28: case 0x2a: { // i32.load, f32.load
        const a = (sp - 1) << 1;
        const ea = (I32[a] >>> 0) + (code[pc + 1] >>> 0);
        if (ea + 4 > memLen) { trapMsg = OOB_MEMORY; status = Status.TRAPPED; break loop; }
        I32[a] = mem.getInt32(ea, true);
        pc += 2;
        break;
      }
      case 0x29: case 0x2b: { // i64.load, f64.load
        const a = (sp - 1) << 1;
        const ea = (I32[a] >>> 0) + (code[pc + 1] >>> 0);
        if (ea + 8 > memLen) { trapMsg = OOB_MEMORY; status = Status.TRAPPED; break loop; }
        I32[a] = mem.getInt32(ea, true);
        I32[a + 1] = mem.getInt32(ea + 4, true);
        pc += 2;
        break;
      }
      case 0x2c: case 0x2d: case 0x30: case 0x31: { // i32.load8_s/u, i64.load8_s/u
        const a = (sp - 1) << 1;
        const ea = (I32[a] >>> 0) + (code[pc + 1] >>> 0);
        if (ea + 1 > memLen) { trapMsg = OOB_MEMORY; status = Status.TRAPPED; break loop; }
        const v = op === 0x2c || op === 0x30 ? mem.getInt8(ea) : u8[ea];
        I32[a] = v;
        if (op >= 0x30) I32[a + 1] = v >> 31;
        pc += 2;
        break;
      }
      case 0x2e: case 0x2f: case 0x32: case 0x33: { // i32.load16_s/u, i64.load16_s/u
        const a = (sp - 1) << 1;
        const ea = (I32[a] >>> 0) + (code[pc + 1] >>> 0);
        if (ea + 2 > memLen) { trapMsg = OOB_MEMORY; status = Status.TRAPPED; break loop; }
        const v = op === 0x2e || op === 0x32 ? mem.getInt16(ea, true) : mem.getUint16(ea, true);
        I32[a] = v;
        if (op >= 0x32) I32[a + 1] = v >> 31;
        pc += 2;
        break;
      }
      case 0x34: case 0x35: { // i64.load32_s/u
        const a = (sp - 1) << 1;
        const ea = (I32[a] >>> 0) + (code[pc + 1] >>> 0);
        if (ea + 4 > memLen) { trapMsg = OOB_MEMORY; status = Status.TRAPPED; break loop; }
        const v = mem.getInt32(ea, true);
        I32[a] = v;
        I32[a + 1] = op === 0x34 ? v >> 31 : 0;
        pc += 2;
        break;
      }
      // ---- stores: [op, offset]; address below value ----
      case 0x36: case 0x38: case 0x3e: { // i32.store, f32.store, i64.store32
        const a = (sp - 2) << 1;
        const ea = (I32[a] >>> 0) + (code[pc + 1] >>> 0);
        if (ea + 4 > memLen) { trapMsg = OOB_MEMORY; status = Status.TRAPPED; break loop; }
        mem.setInt32(ea, I32[a + 2], true);
        sp -= 2;
        pc += 2;
        break;
      }
      case 0x37: case 0x39: { // i64.store, f64.store
        const a = (sp - 2) << 1;
        const ea = (I32[a] >>> 0) + (code[pc + 1] >>> 0);
        if (ea + 8 > memLen) { trapMsg = OOB_MEMORY; status = Status.TRAPPED; break loop; }
        mem.setInt32(ea, I32[a + 2], true);
        mem.setInt32(ea + 4, I32[a + 3], true);
        sp -= 2;
        pc += 2;
        break;
      }
      case 0x3a: case 0x3c: { // i32.store8, i64.store8
        const a = (sp - 2) << 1;
        const ea = (I32[a] >>> 0) + (code[pc + 1] >>> 0);
        if (ea + 1 > memLen) { trapMsg = OOB_MEMORY; status = Status.TRAPPED; break loop; }
        u8[ea] = I32[a + 2];
        sp -= 2;
        pc += 2;
        break;
      }
      case 0x3b: case 0x3d: { // i32.store16, i64.store16
        const a = (sp - 2) << 1;
        const ea = (I32[a] >>> 0) + (code[pc + 1] >>> 0);
        if (ea + 2 > memLen) { trapMsg = OOB_MEMORY; status = Status.TRAPPED; break loop; }
        mem.setInt16(ea, I32[a + 2], true);
        sp -= 2;
        pc += 2;
        break;
      }
      case Op.MEMORY_SIZE:
        I32[sp << 1] = memLen / 65536;
        sp++;
        pc++;
        break;
      case Op.MEMORY_GROW: {
        const a = (sp - 1) << 1;
        I32[a] = (memory as MemoryInst).grow(I32[a] >>> 0);
        mem = (memory as MemoryInst).view;
        u8 = (memory as MemoryInst).u8;
        memLen = u8.length;
        pc++;
        break;
      }

      // ---- constants ----
      case Op.I32_CONST: case Op.F32_CONST:
        I32[sp << 1] = code[pc + 1];
        sp++;
        pc += 2;
        break;
      case Op.I64_CONST: case Op.F64_CONST: {
        const b = sp << 1;
        I32[b] = code[pc + 1];
        I32[b + 1] = code[pc + 2];
        sp++;
        pc += 3;
        break;
      }

      // ---- i32 tests and comparisons ----
      case 0x45: { const a = (sp - 1) << 1; I32[a] = I32[a] === 0 ? 1 : 0; pc++; break; }
      case 0x46: { sp--; const a = (sp - 1) << 1; I32[a] = I32[a] === I32[a + 2] ? 1 : 0; pc++; break; }
      case 0x47: { sp--; const a = (sp - 1) << 1; I32[a] = I32[a] !== I32[a + 2] ? 1 : 0; pc++; break; }
      case 0x48: { sp--; const a = (sp - 1) << 1; I32[a] = I32[a] < I32[a + 2] ? 1 : 0; pc++; break; }
      case 0x49: { sp--; const a = (sp - 1) << 1; I32[a] = I32[a] >>> 0 < I32[a + 2] >>> 0 ? 1 : 0; pc++; break; }
      case 0x4a: { sp--; const a = (sp - 1) << 1; I32[a] = I32[a] > I32[a + 2] ? 1 : 0; pc++; break; }
      case 0x4b: { sp--; const a = (sp - 1) << 1; I32[a] = I32[a] >>> 0 > I32[a + 2] >>> 0 ? 1 : 0; pc++; break; }
      case 0x4c: { sp--; const a = (sp - 1) << 1; I32[a] = I32[a] <= I32[a + 2] ? 1 : 0; pc++; break; }
      case 0x4d: { sp--; const a = (sp - 1) << 1; I32[a] = I32[a] >>> 0 <= I32[a + 2] >>> 0 ? 1 : 0; pc++; break; }
      case 0x4e: { sp--; const a = (sp - 1) << 1; I32[a] = I32[a] >= I32[a + 2] ? 1 : 0; pc++; break; }
      case 0x4f: { sp--; const a = (sp - 1) << 1; I32[a] = I32[a] >>> 0 >= I32[a + 2] >>> 0 ? 1 : 0; pc++; break; }
      // ---- i64 tests and comparisons ----
      case 0x50: { const a = (sp - 1) << 1; I32[a] = (I32[a] | I32[a + 1]) === 0 ? 1 : 0; pc++; break; }
      case 0x51: { sp--; const a = (sp - 1) << 1; I32[a] = I32[a] === I32[a + 2] && I32[a + 1] === I32[a + 3] ? 1 : 0; pc++; break; }
      case 0x52: { sp--; const a = (sp - 1) << 1; I32[a] = I32[a] !== I32[a + 2] || I32[a + 1] !== I32[a + 3] ? 1 : 0; pc++; break; }
      case 0x53: { sp--; const a = (sp - 1) << 1; const x = I32[a + 1]; const y = I32[a + 3]; I32[a] = x < y || (x === y && I32[a] >>> 0 < I32[a + 2] >>> 0) ? 1 : 0; pc++; break; }
      case 0x54: { sp--; const a = (sp - 1) << 1; const x = I32[a + 1] >>> 0; const y = I32[a + 3] >>> 0; I32[a] = x < y || (x === y && I32[a] >>> 0 < I32[a + 2] >>> 0) ? 1 : 0; pc++; break; }
      case 0x55: { sp--; const a = (sp - 1) << 1; const x = I32[a + 1]; const y = I32[a + 3]; I32[a] = x > y || (x === y && I32[a] >>> 0 > I32[a + 2] >>> 0) ? 1 : 0; pc++; break; }
      case 0x56: { sp--; const a = (sp - 1) << 1; const x = I32[a + 1] >>> 0; const y = I32[a + 3] >>> 0; I32[a] = x > y || (x === y && I32[a] >>> 0 > I32[a + 2] >>> 0) ? 1 : 0; pc++; break; }
      case 0x57: { sp--; const a = (sp - 1) << 1; const x = I32[a + 1]; const y = I32[a + 3]; I32[a] = x < y || (x === y && I32[a] >>> 0 <= I32[a + 2] >>> 0) ? 1 : 0; pc++; break; }
      case 0x58: { sp--; const a = (sp - 1) << 1; const x = I32[a + 1] >>> 0; const y = I32[a + 3] >>> 0; I32[a] = x < y || (x === y && I32[a] >>> 0 <= I32[a + 2] >>> 0) ? 1 : 0; pc++; break; }
      case 0x59: { sp--; const a = (sp - 1) << 1; const x = I32[a + 1]; const y = I32[a + 3]; I32[a] = x > y || (x === y && I32[a] >>> 0 >= I32[a + 2] >>> 0) ? 1 : 0; pc++; break; }
      case 0x5a: { sp--; const a = (sp - 1) << 1; const x = I32[a + 1] >>> 0; const y = I32[a + 3] >>> 0; I32[a] = x > y || (x === y && I32[a] >>> 0 >= I32[a + 2] >>> 0) ? 1 : 0; pc++; break; }

      // ---- i32 arithmetic ----
      case 0x6a: { sp--; const a = (sp - 1) << 1; I32[a] = (I32[a] + I32[a + 2]) | 0; pc++; break; }
      case 0x6b: { sp--; const a = (sp - 1) << 1; I32[a] = (I32[a] - I32[a + 2]) | 0; pc++; break; }
      case 0x6c: { sp--; const a = (sp - 1) << 1; I32[a] = Math.imul(I32[a], I32[a + 2]); pc++; break; }
      case 0x6d: {
        const a = (sp - 2) << 1;
        const x = I32[a];
        const y = I32[a + 2];
        if (y === 0) { trapMsg = DIV_ZERO; status = Status.TRAPPED; break loop; }
        if (x === -2147483648 && y === -1) { trapMsg = OVERFLOW; status = Status.TRAPPED; break loop; }
        I32[a] = (x / y) | 0;
        sp--;
        pc++;
        break;
      }
      case 0x6e: {
        const a = (sp - 2) << 1;
        const y = I32[a + 2] >>> 0;
        if (y === 0) { trapMsg = DIV_ZERO; status = Status.TRAPPED; break loop; }
        I32[a] = ((I32[a] >>> 0) / y) | 0;
        sp--;
        pc++;
        break;
      }
      case 0x6f: {
        const a = (sp - 2) << 1;
        const y = I32[a + 2];
        if (y === 0) { trapMsg = DIV_ZERO; status = Status.TRAPPED; break loop; }
        I32[a] = (I32[a] % y) | 0;
        sp--;
        pc++;
        break;
      }
      case 0x70: {
        const a = (sp - 2) << 1;
        const y = I32[a + 2] >>> 0;
        if (y === 0) { trapMsg = DIV_ZERO; status = Status.TRAPPED; break loop; }
        I32[a] = ((I32[a] >>> 0) % y) | 0;
        sp--;
        pc++;
        break;
      }
      case 0x71: { sp--; const a = (sp - 1) << 1; I32[a] = I32[a] & I32[a + 2]; pc++; break; }
      case 0x72: { sp--; const a = (sp - 1) << 1; I32[a] = I32[a] | I32[a + 2]; pc++; break; }
      case 0x73: { sp--; const a = (sp - 1) << 1; I32[a] = I32[a] ^ I32[a + 2]; pc++; break; }
      case 0x74: { sp--; const a = (sp - 1) << 1; I32[a] = I32[a] << I32[a + 2]; pc++; break; }
      case 0x75: { sp--; const a = (sp - 1) << 1; I32[a] = I32[a] >> I32[a + 2]; pc++; break; }
      case 0x76: { sp--; const a = (sp - 1) << 1; I32[a] = I32[a] >>> I32[a + 2]; pc++; break; }
      case 0x77: { sp--; const a = (sp - 1) << 1; const x = I32[a]; const k = I32[a + 2] & 31; I32[a] = (x << k) | (x >>> ((32 - k) & 31)); pc++; break; }
      case 0x78: { sp--; const a = (sp - 1) << 1; const x = I32[a]; const k = I32[a + 2] & 31; I32[a] = (x >>> k) | (x << ((32 - k) & 31)); pc++; break; }

      // ---- i64 arithmetic ----
      // i64 add, sub, mul and shifts work on the two 32-bit halves: no BigInt per operation.
      case 0x7c: {
        sp--;
        const a = (sp - 1) << 1;
        const lo = (I32[a] >>> 0) + (I32[a + 2] >>> 0);
        I32[a + 1] = (I32[a + 1] + I32[a + 3] + (lo > 0xffffffff ? 1 : 0)) | 0;
        I32[a] = lo | 0;
        pc++;
        break;
      }
      case 0x7d: {
        sp--;
        const a = (sp - 1) << 1;
        const lo = (I32[a] >>> 0) - (I32[a + 2] >>> 0);
        I32[a + 1] = (I32[a + 1] - I32[a + 3] - (lo < 0 ? 1 : 0)) | 0;
        I32[a] = lo | 0;
        pc++;
        break;
      }
      case 0x7e: {
        sp--;
        const a = (sp - 1) << 1;
        const xlo = I32[a];
        const ylo = I32[a + 2];
        I32[a + 1] = (mulHigh32(xlo, ylo) + Math.imul(xlo, I32[a + 3]) + Math.imul(I32[a + 1], ylo)) | 0;
        I32[a] = Math.imul(xlo, ylo);
        pc++;
        break;
      }
      case 0x83: { sp--; const a = (sp - 1) << 1; I32[a] &= I32[a + 2]; I32[a + 1] &= I32[a + 3]; pc++; break; }
      case 0x84: { sp--; const a = (sp - 1) << 1; I32[a] |= I32[a + 2]; I32[a + 1] |= I32[a + 3]; pc++; break; }
      case 0x85: { sp--; const a = (sp - 1) << 1; I32[a] ^= I32[a + 2]; I32[a + 1] ^= I32[a + 3]; pc++; break; }
      case 0x86: {
        sp--;
        const a = (sp - 1) << 1;
        const k = I32[a + 2] & 63;
        if (k >= 32) { I32[a + 1] = I32[a] << (k - 32); I32[a] = 0; }
        else if (k !== 0) { I32[a + 1] = (I32[a + 1] << k) | (I32[a] >>> (32 - k)); I32[a] = I32[a] << k; }
        pc++;
        break;
      }
      case 0x87: {
        sp--;
        const a = (sp - 1) << 1;
        const k = I32[a + 2] & 63;
        if (k >= 32) { I32[a] = I32[a + 1] >> (k - 32); I32[a + 1] = I32[a + 1] >> 31; }
        else if (k !== 0) { I32[a] = (I32[a] >>> k) | (I32[a + 1] << (32 - k)); I32[a + 1] = I32[a + 1] >> k; }
        pc++;
        break;
      }
      case 0x88: {
        sp--;
        const a = (sp - 1) << 1;
        const k = I32[a + 2] & 63;
        if (k >= 32) { I32[a] = I32[a + 1] >>> (k - 32); I32[a + 1] = 0; }
        else if (k !== 0) { I32[a] = (I32[a] >>> k) | (I32[a + 1] << (32 - k)); I32[a + 1] = I32[a + 1] >>> k; }
        pc++;
        break;
      }


      // ---- conversions ----
      case 0xa7: // i32.wrap_i64: the low word is already the result
      case 0xbc: case 0xbd: case 0xbe: case 0xbf: // reinterpretations: the bits stay as they are
        pc++;
        break;
      case 0xac: { const a = (sp - 1) << 1; I32[a + 1] = I32[a] >> 31; pc++; break; }
      case 0xad: { const a = (sp - 1) << 1; I32[a + 1] = 0; pc++; break; }
      case 0xc0: { const a = (sp - 1) << 1; I32[a] = (I32[a] << 24) >> 24; pc++; break; }
      case 0xc1: { const a = (sp - 1) << 1; I32[a] = (I32[a] << 16) >> 16; pc++; break; }
      case 0xc2: { const a = (sp - 1) << 1; const v = (I32[a] << 24) >> 24; I32[a] = v; I32[a + 1] = v >> 31; pc++; break; }
      case 0xc3: { const a = (sp - 1) << 1; const v = (I32[a] << 16) >> 16; I32[a] = v; I32[a + 1] = v >> 31; pc++; break; }
      case 0xc4: { const a = (sp - 1) << 1; I32[a + 1] = I32[a] >> 31; pc++; break; }
      // ---- fused pairs (see compile.ts, "Fused instructions"); the second instruction stays in the code ----
      case 0x100: { const a = (sp - 1) << 1; I32[a] = (I32[a] + code[pc + 1]) | 0; pc += 3; break; } // i32.const; i32.add
      case 0x101: { const a = (sp - 1) << 1; I32[a] = (I32[a] - code[pc + 1]) | 0; pc += 3; break; } // i32.const; i32.sub
      case 0x102: { const a = (sp - 1) << 1; I32[a] = Math.imul(I32[a], code[pc + 1]); pc += 3; break; } // i32.const; i32.mul
      case 0x103: { const a = (sp - 1) << 1; I32[a] = I32[a] & code[pc + 1]; pc += 3; break; } // i32.const; i32.and
      case 0x104: { const a = (sp - 1) << 1; I32[a] = I32[a] | code[pc + 1]; pc += 3; break; } // i32.const; i32.or
      case 0x105: { const a = (sp - 1) << 1; I32[a] = I32[a] ^ code[pc + 1]; pc += 3; break; } // i32.const; i32.xor
      case 0x106: { const a = (sp - 1) << 1; I32[a] = I32[a] << code[pc + 1]; pc += 3; break; } // i32.const; i32.shl
      case 0x107: { const a = (sp - 1) << 1; I32[a] = I32[a] >> code[pc + 1]; pc += 3; break; } // i32.const; i32.shr_s
      case 0x108: { const a = (sp - 1) << 1; I32[a] = I32[a] >>> code[pc + 1]; pc += 3; break; } // i32.const; i32.shr_u
      case 0x109: { const a = (sp - 1) << 1; I32[a] = I32[a] === code[pc + 1] ? 1 : 0; pc += 3; break; } // i32.const; i32.eq
      case 0x10a: { const a = (sp - 1) << 1; I32[a] = I32[a] !== code[pc + 1] ? 1 : 0; pc += 3; break; } // i32.const; i32.ne
      case 0x10b: { const a = (sp - 1) << 1; I32[a] = I32[a] < code[pc + 1] ? 1 : 0; pc += 3; break; } // i32.const; i32.lt_s
      case 0x10c: { const a = (sp - 1) << 1; I32[a] = I32[a] >>> 0 < code[pc + 1] >>> 0 ? 1 : 0; pc += 3; break; } // i32.const; i32.lt_u
      case 0x10d: { const a = (sp - 1) << 1; I32[a] = I32[a] > code[pc + 1] ? 1 : 0; pc += 3; break; } // i32.const; i32.gt_s
      case 0x10e: { const a = (sp - 1) << 1; I32[a] = I32[a] >>> 0 > code[pc + 1] >>> 0 ? 1 : 0; pc += 3; break; } // i32.const; i32.gt_u
      case 0x10f: { const a = (sp - 1) << 1; I32[a] = I32[a] <= code[pc + 1] ? 1 : 0; pc += 3; break; } // i32.const; i32.le_s
      case 0x110: { const a = (sp - 1) << 1; I32[a] = I32[a] >>> 0 <= code[pc + 1] >>> 0 ? 1 : 0; pc += 3; break; } // i32.const; i32.le_u
      case 0x111: { const a = (sp - 1) << 1; I32[a] = I32[a] >= code[pc + 1] ? 1 : 0; pc += 3; break; } // i32.const; i32.ge_s
      case 0x112: { const a = (sp - 1) << 1; I32[a] = I32[a] >>> 0 >= code[pc + 1] >>> 0 ? 1 : 0; pc += 3; break; } // i32.const; i32.ge_u
      case 0x120: { const a = (sp - 1) << 1; I32[a] = (I32[a] + I32[(fp + code[pc + 1]) << 1]) | 0; pc += 3; break; } // local.get; i32.add
      case 0x121: { const a = (sp - 1) << 1; I32[a] = (I32[a] - I32[(fp + code[pc + 1]) << 1]) | 0; pc += 3; break; } // local.get; i32.sub
      case 0x122: { const a = (sp - 1) << 1; I32[a] = Math.imul(I32[a], I32[(fp + code[pc + 1]) << 1]); pc += 3; break; } // local.get; i32.mul
      case 0x123: { const a = (sp - 1) << 1; I32[a] = I32[a] & I32[(fp + code[pc + 1]) << 1]; pc += 3; break; } // local.get; i32.and
      case 0x124: { const a = (sp - 1) << 1; I32[a] = I32[a] | I32[(fp + code[pc + 1]) << 1]; pc += 3; break; } // local.get; i32.or
      case 0x125: { const a = (sp - 1) << 1; I32[a] = I32[a] ^ I32[(fp + code[pc + 1]) << 1]; pc += 3; break; } // local.get; i32.xor
      case 0x126: { const a = (sp - 1) << 1; I32[a] = I32[a] << I32[(fp + code[pc + 1]) << 1]; pc += 3; break; } // local.get; i32.shl
      case 0x127: { const a = (sp - 1) << 1; I32[a] = I32[a] >> I32[(fp + code[pc + 1]) << 1]; pc += 3; break; } // local.get; i32.shr_s
      case 0x128: { const a = (sp - 1) << 1; I32[a] = I32[a] >>> I32[(fp + code[pc + 1]) << 1]; pc += 3; break; } // local.get; i32.shr_u
      case 0x129: { const a = (sp - 1) << 1; I32[a] = I32[a] === I32[(fp + code[pc + 1]) << 1] ? 1 : 0; pc += 3; break; } // local.get; i32.eq
      case 0x12a: { const a = (sp - 1) << 1; I32[a] = I32[a] !== I32[(fp + code[pc + 1]) << 1] ? 1 : 0; pc += 3; break; } // local.get; i32.ne
      case 0x12b: { const a = (sp - 1) << 1; I32[a] = I32[a] < I32[(fp + code[pc + 1]) << 1] ? 1 : 0; pc += 3; break; } // local.get; i32.lt_s
      case 0x12c: { const a = (sp - 1) << 1; I32[a] = I32[a] >>> 0 < I32[(fp + code[pc + 1]) << 1] >>> 0 ? 1 : 0; pc += 3; break; } // local.get; i32.lt_u
      case 0x12d: { const a = (sp - 1) << 1; I32[a] = I32[a] > I32[(fp + code[pc + 1]) << 1] ? 1 : 0; pc += 3; break; } // local.get; i32.gt_s
      case 0x12e: { const a = (sp - 1) << 1; I32[a] = I32[a] >>> 0 > I32[(fp + code[pc + 1]) << 1] >>> 0 ? 1 : 0; pc += 3; break; } // local.get; i32.gt_u
      case 0x12f: { const a = (sp - 1) << 1; I32[a] = I32[a] <= I32[(fp + code[pc + 1]) << 1] ? 1 : 0; pc += 3; break; } // local.get; i32.le_s
      case 0x130: { const a = (sp - 1) << 1; I32[a] = I32[a] >>> 0 <= I32[(fp + code[pc + 1]) << 1] >>> 0 ? 1 : 0; pc += 3; break; } // local.get; i32.le_u
      case 0x131: { const a = (sp - 1) << 1; I32[a] = I32[a] >= I32[(fp + code[pc + 1]) << 1] ? 1 : 0; pc += 3; break; } // local.get; i32.ge_s
      case 0x132: { const a = (sp - 1) << 1; I32[a] = I32[a] >>> 0 >= I32[(fp + code[pc + 1]) << 1] >>> 0 ? 1 : 0; pc += 3; break; } // local.get; i32.ge_u
      case 0x140: { sp -= 2; const a = sp << 1; I32[(fp + code[pc + 2]) << 1] = (I32[a] + I32[a + 2]) | 0; pc += 3; break; } // i32.add; local.set
      case 0x141: { sp -= 2; const a = sp << 1; I32[(fp + code[pc + 2]) << 1] = (I32[a] - I32[a + 2]) | 0; pc += 3; break; } // i32.sub; local.set
      case 0x142: { sp -= 2; const a = sp << 1; I32[(fp + code[pc + 2]) << 1] = Math.imul(I32[a], I32[a + 2]); pc += 3; break; } // i32.mul; local.set
      case 0x143: { sp -= 2; const a = sp << 1; I32[(fp + code[pc + 2]) << 1] = I32[a] & I32[a + 2]; pc += 3; break; } // i32.and; local.set
      case 0x144: { sp -= 2; const a = sp << 1; I32[(fp + code[pc + 2]) << 1] = I32[a] | I32[a + 2]; pc += 3; break; } // i32.or; local.set
      case 0x145: { sp -= 2; const a = sp << 1; I32[(fp + code[pc + 2]) << 1] = I32[a] ^ I32[a + 2]; pc += 3; break; } // i32.xor; local.set
      case 0x146: { sp -= 2; const a = sp << 1; I32[(fp + code[pc + 2]) << 1] = I32[a] << I32[a + 2]; pc += 3; break; } // i32.shl; local.set
      case 0x147: { sp -= 2; const a = sp << 1; I32[(fp + code[pc + 2]) << 1] = I32[a] >> I32[a + 2]; pc += 3; break; } // i32.shr_s; local.set
      case 0x148: { sp -= 2; const a = sp << 1; I32[(fp + code[pc + 2]) << 1] = I32[a] >>> I32[a + 2]; pc += 3; break; } // i32.shr_u; local.set
      case 0x149: { sp -= 2; const a = sp << 1; I32[(fp + code[pc + 2]) << 1] = I32[a] === I32[a + 2] ? 1 : 0; pc += 3; break; } // i32.eq; local.set
      case 0x14a: { sp -= 2; const a = sp << 1; I32[(fp + code[pc + 2]) << 1] = I32[a] !== I32[a + 2] ? 1 : 0; pc += 3; break; } // i32.ne; local.set
      case 0x14b: { sp -= 2; const a = sp << 1; I32[(fp + code[pc + 2]) << 1] = I32[a] < I32[a + 2] ? 1 : 0; pc += 3; break; } // i32.lt_s; local.set
      case 0x14c: { sp -= 2; const a = sp << 1; I32[(fp + code[pc + 2]) << 1] = I32[a] >>> 0 < I32[a + 2] >>> 0 ? 1 : 0; pc += 3; break; } // i32.lt_u; local.set
      case 0x14d: { sp -= 2; const a = sp << 1; I32[(fp + code[pc + 2]) << 1] = I32[a] > I32[a + 2] ? 1 : 0; pc += 3; break; } // i32.gt_s; local.set
      case 0x14e: { sp -= 2; const a = sp << 1; I32[(fp + code[pc + 2]) << 1] = I32[a] >>> 0 > I32[a + 2] >>> 0 ? 1 : 0; pc += 3; break; } // i32.gt_u; local.set
      case 0x14f: { sp -= 2; const a = sp << 1; I32[(fp + code[pc + 2]) << 1] = I32[a] <= I32[a + 2] ? 1 : 0; pc += 3; break; } // i32.le_s; local.set
      case 0x150: { sp -= 2; const a = sp << 1; I32[(fp + code[pc + 2]) << 1] = I32[a] >>> 0 <= I32[a + 2] >>> 0 ? 1 : 0; pc += 3; break; } // i32.le_u; local.set
      case 0x151: { sp -= 2; const a = sp << 1; I32[(fp + code[pc + 2]) << 1] = I32[a] >= I32[a + 2] ? 1 : 0; pc += 3; break; } // i32.ge_s; local.set
      case 0x152: { sp -= 2; const a = sp << 1; I32[(fp + code[pc + 2]) << 1] = I32[a] >>> 0 >= I32[a + 2] >>> 0 ? 1 : 0; pc += 3; break; } // i32.ge_u; local.set
      case 0x160: { sp--; if (I32[sp << 1] === 0) pc = code[pc + 2]; else pc += 3; break; } // i32.eqz; br_if
      case 0x161: { sp -= 2; const a = sp << 1; if (I32[a] === I32[a + 2]) pc = code[pc + 2]; else pc += 3; break; } // i32.eq; br_if
      case 0x162: { sp -= 2; const a = sp << 1; if (I32[a] !== I32[a + 2]) pc = code[pc + 2]; else pc += 3; break; } // i32.ne; br_if
      case 0x163: { sp -= 2; const a = sp << 1; if (I32[a] < I32[a + 2]) pc = code[pc + 2]; else pc += 3; break; } // i32.lt_s; br_if
      case 0x164: { sp -= 2; const a = sp << 1; if (I32[a] >>> 0 < I32[a + 2] >>> 0) pc = code[pc + 2]; else pc += 3; break; } // i32.lt_u; br_if
      case 0x165: { sp -= 2; const a = sp << 1; if (I32[a] > I32[a + 2]) pc = code[pc + 2]; else pc += 3; break; } // i32.gt_s; br_if
      case 0x166: { sp -= 2; const a = sp << 1; if (I32[a] >>> 0 > I32[a + 2] >>> 0) pc = code[pc + 2]; else pc += 3; break; } // i32.gt_u; br_if
      case 0x167: { sp -= 2; const a = sp << 1; if (I32[a] <= I32[a + 2]) pc = code[pc + 2]; else pc += 3; break; } // i32.le_s; br_if
      case 0x168: { sp -= 2; const a = sp << 1; if (I32[a] >>> 0 <= I32[a + 2] >>> 0) pc = code[pc + 2]; else pc += 3; break; } // i32.le_u; br_if
      case 0x169: { sp -= 2; const a = sp << 1; if (I32[a] >= I32[a + 2]) pc = code[pc + 2]; else pc += 3; break; } // i32.ge_s; br_if
      case 0x16a: { sp -= 2; const a = sp << 1; if (I32[a] >>> 0 >= I32[a + 2] >>> 0) pc = code[pc + 2]; else pc += 3; break; } // i32.ge_u; br_if
      case 0x170: { sp--; if (I32[sp << 1] === 0) { pc = code[pc + 2]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 3; break; } // i32.eqz; br_if (backward)
      case 0x171: { sp -= 2; const a = sp << 1; if (I32[a] === I32[a + 2]) { pc = code[pc + 2]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 3; break; } // i32.eq; br_if (backward)
      case 0x172: { sp -= 2; const a = sp << 1; if (I32[a] !== I32[a + 2]) { pc = code[pc + 2]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 3; break; } // i32.ne; br_if (backward)
      case 0x173: { sp -= 2; const a = sp << 1; if (I32[a] < I32[a + 2]) { pc = code[pc + 2]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 3; break; } // i32.lt_s; br_if (backward)
      case 0x174: { sp -= 2; const a = sp << 1; if (I32[a] >>> 0 < I32[a + 2] >>> 0) { pc = code[pc + 2]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 3; break; } // i32.lt_u; br_if (backward)
      case 0x175: { sp -= 2; const a = sp << 1; if (I32[a] > I32[a + 2]) { pc = code[pc + 2]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 3; break; } // i32.gt_s; br_if (backward)
      case 0x176: { sp -= 2; const a = sp << 1; if (I32[a] >>> 0 > I32[a + 2] >>> 0) { pc = code[pc + 2]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 3; break; } // i32.gt_u; br_if (backward)
      case 0x177: { sp -= 2; const a = sp << 1; if (I32[a] <= I32[a + 2]) { pc = code[pc + 2]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 3; break; } // i32.le_s; br_if (backward)
      case 0x178: { sp -= 2; const a = sp << 1; if (I32[a] >>> 0 <= I32[a + 2] >>> 0) { pc = code[pc + 2]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 3; break; } // i32.le_u; br_if (backward)
      case 0x179: { sp -= 2; const a = sp << 1; if (I32[a] >= I32[a + 2]) { pc = code[pc + 2]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 3; break; } // i32.ge_s; br_if (backward)
      case 0x17a: { sp -= 2; const a = sp << 1; if (I32[a] >>> 0 >= I32[a + 2] >>> 0) { pc = code[pc + 2]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 3; break; } // i32.ge_u; br_if (backward)
      case 0x180: { sp--; if (I32[sp << 1] === 0) pc += 3; else pc = code[pc + 2]; break; } // i32.eqz; if
      case 0x181: { sp -= 2; const a = sp << 1; if (I32[a] === I32[a + 2]) pc += 3; else pc = code[pc + 2]; break; } // i32.eq; if
      case 0x182: { sp -= 2; const a = sp << 1; if (I32[a] !== I32[a + 2]) pc += 3; else pc = code[pc + 2]; break; } // i32.ne; if
      case 0x183: { sp -= 2; const a = sp << 1; if (I32[a] < I32[a + 2]) pc += 3; else pc = code[pc + 2]; break; } // i32.lt_s; if
      case 0x184: { sp -= 2; const a = sp << 1; if (I32[a] >>> 0 < I32[a + 2] >>> 0) pc += 3; else pc = code[pc + 2]; break; } // i32.lt_u; if
      case 0x185: { sp -= 2; const a = sp << 1; if (I32[a] > I32[a + 2]) pc += 3; else pc = code[pc + 2]; break; } // i32.gt_s; if
      case 0x186: { sp -= 2; const a = sp << 1; if (I32[a] >>> 0 > I32[a + 2] >>> 0) pc += 3; else pc = code[pc + 2]; break; } // i32.gt_u; if
      case 0x187: { sp -= 2; const a = sp << 1; if (I32[a] <= I32[a + 2]) pc += 3; else pc = code[pc + 2]; break; } // i32.le_s; if
      case 0x188: { sp -= 2; const a = sp << 1; if (I32[a] >>> 0 <= I32[a + 2] >>> 0) pc += 3; else pc = code[pc + 2]; break; } // i32.le_u; if
      case 0x189: { sp -= 2; const a = sp << 1; if (I32[a] >= I32[a + 2]) pc += 3; else pc = code[pc + 2]; break; } // i32.ge_s; if
      case 0x18a: { sp -= 2; const a = sp << 1; if (I32[a] >>> 0 >= I32[a + 2] >>> 0) pc += 3; else pc = code[pc + 2]; break; } // i32.ge_u; if
      case 0x190: { const b = sp << 1; I32[b] = I32[(fp + code[pc + 1]) << 1]; I32[b + 2] = I32[(fp + code[pc + 3]) << 1]; sp += 2; pc += 4; break; } // local.get; local.get
      case 0x191: { const b = sp << 1; I32[b] = I32[(fp + code[pc + 1]) << 1]; I32[b + 2] = code[pc + 3]; sp += 2; pc += 4; break; } // local.get; i32.const
      case 0x1a0: { I32[sp << 1] = (I32[(fp + code[pc + 1]) << 1] + I32[(fp + code[pc + 3]) << 1]) | 0; sp++; pc += 5; break; } // local.get; local.get; i32.add
      case 0x1a1: { I32[sp << 1] = (I32[(fp + code[pc + 1]) << 1] - I32[(fp + code[pc + 3]) << 1]) | 0; sp++; pc += 5; break; } // local.get; local.get; i32.sub
      case 0x1a2: { I32[sp << 1] = Math.imul(I32[(fp + code[pc + 1]) << 1], I32[(fp + code[pc + 3]) << 1]); sp++; pc += 5; break; } // local.get; local.get; i32.mul
      case 0x1a3: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] & I32[(fp + code[pc + 3]) << 1]; sp++; pc += 5; break; } // local.get; local.get; i32.and
      case 0x1a4: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] | I32[(fp + code[pc + 3]) << 1]; sp++; pc += 5; break; } // local.get; local.get; i32.or
      case 0x1a5: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] ^ I32[(fp + code[pc + 3]) << 1]; sp++; pc += 5; break; } // local.get; local.get; i32.xor
      case 0x1a6: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] << I32[(fp + code[pc + 3]) << 1]; sp++; pc += 5; break; } // local.get; local.get; i32.shl
      case 0x1a7: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] >> I32[(fp + code[pc + 3]) << 1]; sp++; pc += 5; break; } // local.get; local.get; i32.shr_s
      case 0x1a8: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] >>> I32[(fp + code[pc + 3]) << 1]; sp++; pc += 5; break; } // local.get; local.get; i32.shr_u
      case 0x1a9: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] === I32[(fp + code[pc + 3]) << 1] ? 1 : 0; sp++; pc += 5; break; } // local.get; local.get; i32.eq
      case 0x1aa: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] !== I32[(fp + code[pc + 3]) << 1] ? 1 : 0; sp++; pc += 5; break; } // local.get; local.get; i32.ne
      case 0x1ab: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] < I32[(fp + code[pc + 3]) << 1] ? 1 : 0; sp++; pc += 5; break; } // local.get; local.get; i32.lt_s
      case 0x1ac: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] >>> 0 < I32[(fp + code[pc + 3]) << 1] >>> 0 ? 1 : 0; sp++; pc += 5; break; } // local.get; local.get; i32.lt_u
      case 0x1ad: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] > I32[(fp + code[pc + 3]) << 1] ? 1 : 0; sp++; pc += 5; break; } // local.get; local.get; i32.gt_s
      case 0x1ae: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] >>> 0 > I32[(fp + code[pc + 3]) << 1] >>> 0 ? 1 : 0; sp++; pc += 5; break; } // local.get; local.get; i32.gt_u
      case 0x1af: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] <= I32[(fp + code[pc + 3]) << 1] ? 1 : 0; sp++; pc += 5; break; } // local.get; local.get; i32.le_s
      case 0x1b0: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] >>> 0 <= I32[(fp + code[pc + 3]) << 1] >>> 0 ? 1 : 0; sp++; pc += 5; break; } // local.get; local.get; i32.le_u
      case 0x1b1: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] >= I32[(fp + code[pc + 3]) << 1] ? 1 : 0; sp++; pc += 5; break; } // local.get; local.get; i32.ge_s
      case 0x1b2: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] >>> 0 >= I32[(fp + code[pc + 3]) << 1] >>> 0 ? 1 : 0; sp++; pc += 5; break; } // local.get; local.get; i32.ge_u
      case 0x1c0: { I32[sp << 1] = (I32[(fp + code[pc + 1]) << 1] + code[pc + 3]) | 0; sp++; pc += 5; break; } // local.get; i32.const; i32.add
      case 0x1c1: { I32[sp << 1] = (I32[(fp + code[pc + 1]) << 1] - code[pc + 3]) | 0; sp++; pc += 5; break; } // local.get; i32.const; i32.sub
      case 0x1c2: { I32[sp << 1] = Math.imul(I32[(fp + code[pc + 1]) << 1], code[pc + 3]); sp++; pc += 5; break; } // local.get; i32.const; i32.mul
      case 0x1c3: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] & code[pc + 3]; sp++; pc += 5; break; } // local.get; i32.const; i32.and
      case 0x1c4: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] | code[pc + 3]; sp++; pc += 5; break; } // local.get; i32.const; i32.or
      case 0x1c5: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] ^ code[pc + 3]; sp++; pc += 5; break; } // local.get; i32.const; i32.xor
      case 0x1c6: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] << code[pc + 3]; sp++; pc += 5; break; } // local.get; i32.const; i32.shl
      case 0x1c7: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] >> code[pc + 3]; sp++; pc += 5; break; } // local.get; i32.const; i32.shr_s
      case 0x1c8: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] >>> code[pc + 3]; sp++; pc += 5; break; } // local.get; i32.const; i32.shr_u
      case 0x1c9: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] === code[pc + 3] ? 1 : 0; sp++; pc += 5; break; } // local.get; i32.const; i32.eq
      case 0x1ca: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] !== code[pc + 3] ? 1 : 0; sp++; pc += 5; break; } // local.get; i32.const; i32.ne
      case 0x1cb: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] < code[pc + 3] ? 1 : 0; sp++; pc += 5; break; } // local.get; i32.const; i32.lt_s
      case 0x1cc: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] >>> 0 < code[pc + 3] >>> 0 ? 1 : 0; sp++; pc += 5; break; } // local.get; i32.const; i32.lt_u
      case 0x1cd: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] > code[pc + 3] ? 1 : 0; sp++; pc += 5; break; } // local.get; i32.const; i32.gt_s
      case 0x1ce: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] >>> 0 > code[pc + 3] >>> 0 ? 1 : 0; sp++; pc += 5; break; } // local.get; i32.const; i32.gt_u
      case 0x1cf: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] <= code[pc + 3] ? 1 : 0; sp++; pc += 5; break; } // local.get; i32.const; i32.le_s
      case 0x1d0: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] >>> 0 <= code[pc + 3] >>> 0 ? 1 : 0; sp++; pc += 5; break; } // local.get; i32.const; i32.le_u
      case 0x1d1: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] >= code[pc + 3] ? 1 : 0; sp++; pc += 5; break; } // local.get; i32.const; i32.ge_s
      case 0x1d2: { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1] >>> 0 >= code[pc + 3] >>> 0 ? 1 : 0; sp++; pc += 5; break; } // local.get; i32.const; i32.ge_u
      case 0x1e0: { I32[(fp + code[pc + 6]) << 1] = (I32[(fp + code[pc + 1]) << 1] + I32[(fp + code[pc + 3]) << 1]) | 0; pc += 7; break; } // local.get; local.get; i32.add; local.set
      case 0x1e1: { I32[(fp + code[pc + 6]) << 1] = (I32[(fp + code[pc + 1]) << 1] - I32[(fp + code[pc + 3]) << 1]) | 0; pc += 7; break; } // local.get; local.get; i32.sub; local.set
      case 0x1e2: { I32[(fp + code[pc + 6]) << 1] = Math.imul(I32[(fp + code[pc + 1]) << 1], I32[(fp + code[pc + 3]) << 1]); pc += 7; break; } // local.get; local.get; i32.mul; local.set
      case 0x1e3: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] & I32[(fp + code[pc + 3]) << 1]; pc += 7; break; } // local.get; local.get; i32.and; local.set
      case 0x1e4: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] | I32[(fp + code[pc + 3]) << 1]; pc += 7; break; } // local.get; local.get; i32.or; local.set
      case 0x1e5: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] ^ I32[(fp + code[pc + 3]) << 1]; pc += 7; break; } // local.get; local.get; i32.xor; local.set
      case 0x1e6: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] << I32[(fp + code[pc + 3]) << 1]; pc += 7; break; } // local.get; local.get; i32.shl; local.set
      case 0x1e7: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] >> I32[(fp + code[pc + 3]) << 1]; pc += 7; break; } // local.get; local.get; i32.shr_s; local.set
      case 0x1e8: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] >>> I32[(fp + code[pc + 3]) << 1]; pc += 7; break; } // local.get; local.get; i32.shr_u; local.set
      case 0x1e9: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] === I32[(fp + code[pc + 3]) << 1] ? 1 : 0; pc += 7; break; } // local.get; local.get; i32.eq; local.set
      case 0x1ea: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] !== I32[(fp + code[pc + 3]) << 1] ? 1 : 0; pc += 7; break; } // local.get; local.get; i32.ne; local.set
      case 0x1eb: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] < I32[(fp + code[pc + 3]) << 1] ? 1 : 0; pc += 7; break; } // local.get; local.get; i32.lt_s; local.set
      case 0x1ec: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] >>> 0 < I32[(fp + code[pc + 3]) << 1] >>> 0 ? 1 : 0; pc += 7; break; } // local.get; local.get; i32.lt_u; local.set
      case 0x1ed: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] > I32[(fp + code[pc + 3]) << 1] ? 1 : 0; pc += 7; break; } // local.get; local.get; i32.gt_s; local.set
      case 0x1ee: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] >>> 0 > I32[(fp + code[pc + 3]) << 1] >>> 0 ? 1 : 0; pc += 7; break; } // local.get; local.get; i32.gt_u; local.set
      case 0x1ef: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] <= I32[(fp + code[pc + 3]) << 1] ? 1 : 0; pc += 7; break; } // local.get; local.get; i32.le_s; local.set
      case 0x1f0: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] >>> 0 <= I32[(fp + code[pc + 3]) << 1] >>> 0 ? 1 : 0; pc += 7; break; } // local.get; local.get; i32.le_u; local.set
      case 0x1f1: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] >= I32[(fp + code[pc + 3]) << 1] ? 1 : 0; pc += 7; break; } // local.get; local.get; i32.ge_s; local.set
      case 0x1f2: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] >>> 0 >= I32[(fp + code[pc + 3]) << 1] >>> 0 ? 1 : 0; pc += 7; break; } // local.get; local.get; i32.ge_u; local.set
      case 0x200: { I32[(fp + code[pc + 6]) << 1] = (I32[(fp + code[pc + 1]) << 1] + code[pc + 3]) | 0; pc += 7; break; } // local.get; i32.const; i32.add; local.set
      case 0x201: { I32[(fp + code[pc + 6]) << 1] = (I32[(fp + code[pc + 1]) << 1] - code[pc + 3]) | 0; pc += 7; break; } // local.get; i32.const; i32.sub; local.set
      case 0x202: { I32[(fp + code[pc + 6]) << 1] = Math.imul(I32[(fp + code[pc + 1]) << 1], code[pc + 3]); pc += 7; break; } // local.get; i32.const; i32.mul; local.set
      case 0x203: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] & code[pc + 3]; pc += 7; break; } // local.get; i32.const; i32.and; local.set
      case 0x204: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] | code[pc + 3]; pc += 7; break; } // local.get; i32.const; i32.or; local.set
      case 0x205: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] ^ code[pc + 3]; pc += 7; break; } // local.get; i32.const; i32.xor; local.set
      case 0x206: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] << code[pc + 3]; pc += 7; break; } // local.get; i32.const; i32.shl; local.set
      case 0x207: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] >> code[pc + 3]; pc += 7; break; } // local.get; i32.const; i32.shr_s; local.set
      case 0x208: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] >>> code[pc + 3]; pc += 7; break; } // local.get; i32.const; i32.shr_u; local.set
      case 0x209: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] === code[pc + 3] ? 1 : 0; pc += 7; break; } // local.get; i32.const; i32.eq; local.set
      case 0x20a: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] !== code[pc + 3] ? 1 : 0; pc += 7; break; } // local.get; i32.const; i32.ne; local.set
      case 0x20b: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] < code[pc + 3] ? 1 : 0; pc += 7; break; } // local.get; i32.const; i32.lt_s; local.set
      case 0x20c: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] >>> 0 < code[pc + 3] >>> 0 ? 1 : 0; pc += 7; break; } // local.get; i32.const; i32.lt_u; local.set
      case 0x20d: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] > code[pc + 3] ? 1 : 0; pc += 7; break; } // local.get; i32.const; i32.gt_s; local.set
      case 0x20e: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] >>> 0 > code[pc + 3] >>> 0 ? 1 : 0; pc += 7; break; } // local.get; i32.const; i32.gt_u; local.set
      case 0x20f: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] <= code[pc + 3] ? 1 : 0; pc += 7; break; } // local.get; i32.const; i32.le_s; local.set
      case 0x210: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] >>> 0 <= code[pc + 3] >>> 0 ? 1 : 0; pc += 7; break; } // local.get; i32.const; i32.le_u; local.set
      case 0x211: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] >= code[pc + 3] ? 1 : 0; pc += 7; break; } // local.get; i32.const; i32.ge_s; local.set
      case 0x212: { I32[(fp + code[pc + 6]) << 1] = I32[(fp + code[pc + 1]) << 1] >>> 0 >= code[pc + 3] >>> 0 ? 1 : 0; pc += 7; break; } // local.get; i32.const; i32.ge_u; local.set
      case 0x220: { if (I32[(fp + code[pc + 1]) << 1] === I32[(fp + code[pc + 3]) << 1]) pc = code[pc + 6]; else pc += 7; break; } // local.get; local.get; i32.eq; br_if
      case 0x221: { if (I32[(fp + code[pc + 1]) << 1] !== I32[(fp + code[pc + 3]) << 1]) pc = code[pc + 6]; else pc += 7; break; } // local.get; local.get; i32.ne; br_if
      case 0x222: { if (I32[(fp + code[pc + 1]) << 1] < I32[(fp + code[pc + 3]) << 1]) pc = code[pc + 6]; else pc += 7; break; } // local.get; local.get; i32.lt_s; br_if
      case 0x223: { if (I32[(fp + code[pc + 1]) << 1] >>> 0 < I32[(fp + code[pc + 3]) << 1] >>> 0) pc = code[pc + 6]; else pc += 7; break; } // local.get; local.get; i32.lt_u; br_if
      case 0x224: { if (I32[(fp + code[pc + 1]) << 1] > I32[(fp + code[pc + 3]) << 1]) pc = code[pc + 6]; else pc += 7; break; } // local.get; local.get; i32.gt_s; br_if
      case 0x225: { if (I32[(fp + code[pc + 1]) << 1] >>> 0 > I32[(fp + code[pc + 3]) << 1] >>> 0) pc = code[pc + 6]; else pc += 7; break; } // local.get; local.get; i32.gt_u; br_if
      case 0x226: { if (I32[(fp + code[pc + 1]) << 1] <= I32[(fp + code[pc + 3]) << 1]) pc = code[pc + 6]; else pc += 7; break; } // local.get; local.get; i32.le_s; br_if
      case 0x227: { if (I32[(fp + code[pc + 1]) << 1] >>> 0 <= I32[(fp + code[pc + 3]) << 1] >>> 0) pc = code[pc + 6]; else pc += 7; break; } // local.get; local.get; i32.le_u; br_if
      case 0x228: { if (I32[(fp + code[pc + 1]) << 1] >= I32[(fp + code[pc + 3]) << 1]) pc = code[pc + 6]; else pc += 7; break; } // local.get; local.get; i32.ge_s; br_if
      case 0x229: { if (I32[(fp + code[pc + 1]) << 1] >>> 0 >= I32[(fp + code[pc + 3]) << 1] >>> 0) pc = code[pc + 6]; else pc += 7; break; } // local.get; local.get; i32.ge_u; br_if
      case 0x230: { if (I32[(fp + code[pc + 1]) << 1] === code[pc + 3]) pc = code[pc + 6]; else pc += 7; break; } // local.get; i32.const; i32.eq; br_if
      case 0x231: { if (I32[(fp + code[pc + 1]) << 1] !== code[pc + 3]) pc = code[pc + 6]; else pc += 7; break; } // local.get; i32.const; i32.ne; br_if
      case 0x232: { if (I32[(fp + code[pc + 1]) << 1] < code[pc + 3]) pc = code[pc + 6]; else pc += 7; break; } // local.get; i32.const; i32.lt_s; br_if
      case 0x233: { if (I32[(fp + code[pc + 1]) << 1] >>> 0 < code[pc + 3] >>> 0) pc = code[pc + 6]; else pc += 7; break; } // local.get; i32.const; i32.lt_u; br_if
      case 0x234: { if (I32[(fp + code[pc + 1]) << 1] > code[pc + 3]) pc = code[pc + 6]; else pc += 7; break; } // local.get; i32.const; i32.gt_s; br_if
      case 0x235: { if (I32[(fp + code[pc + 1]) << 1] >>> 0 > code[pc + 3] >>> 0) pc = code[pc + 6]; else pc += 7; break; } // local.get; i32.const; i32.gt_u; br_if
      case 0x236: { if (I32[(fp + code[pc + 1]) << 1] <= code[pc + 3]) pc = code[pc + 6]; else pc += 7; break; } // local.get; i32.const; i32.le_s; br_if
      case 0x237: { if (I32[(fp + code[pc + 1]) << 1] >>> 0 <= code[pc + 3] >>> 0) pc = code[pc + 6]; else pc += 7; break; } // local.get; i32.const; i32.le_u; br_if
      case 0x238: { if (I32[(fp + code[pc + 1]) << 1] >= code[pc + 3]) pc = code[pc + 6]; else pc += 7; break; } // local.get; i32.const; i32.ge_s; br_if
      case 0x239: { if (I32[(fp + code[pc + 1]) << 1] >>> 0 >= code[pc + 3] >>> 0) pc = code[pc + 6]; else pc += 7; break; } // local.get; i32.const; i32.ge_u; br_if
      case 0x240: { if (I32[(fp + code[pc + 1]) << 1] === I32[(fp + code[pc + 3]) << 1]) { pc = code[pc + 6]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 7; break; } // local.get; local.get; i32.eq; br_if (backward)
      case 0x241: { if (I32[(fp + code[pc + 1]) << 1] !== I32[(fp + code[pc + 3]) << 1]) { pc = code[pc + 6]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 7; break; } // local.get; local.get; i32.ne; br_if (backward)
      case 0x242: { if (I32[(fp + code[pc + 1]) << 1] < I32[(fp + code[pc + 3]) << 1]) { pc = code[pc + 6]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 7; break; } // local.get; local.get; i32.lt_s; br_if (backward)
      case 0x243: { if (I32[(fp + code[pc + 1]) << 1] >>> 0 < I32[(fp + code[pc + 3]) << 1] >>> 0) { pc = code[pc + 6]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 7; break; } // local.get; local.get; i32.lt_u; br_if (backward)
      case 0x244: { if (I32[(fp + code[pc + 1]) << 1] > I32[(fp + code[pc + 3]) << 1]) { pc = code[pc + 6]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 7; break; } // local.get; local.get; i32.gt_s; br_if (backward)
      case 0x245: { if (I32[(fp + code[pc + 1]) << 1] >>> 0 > I32[(fp + code[pc + 3]) << 1] >>> 0) { pc = code[pc + 6]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 7; break; } // local.get; local.get; i32.gt_u; br_if (backward)
      case 0x246: { if (I32[(fp + code[pc + 1]) << 1] <= I32[(fp + code[pc + 3]) << 1]) { pc = code[pc + 6]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 7; break; } // local.get; local.get; i32.le_s; br_if (backward)
      case 0x247: { if (I32[(fp + code[pc + 1]) << 1] >>> 0 <= I32[(fp + code[pc + 3]) << 1] >>> 0) { pc = code[pc + 6]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 7; break; } // local.get; local.get; i32.le_u; br_if (backward)
      case 0x248: { if (I32[(fp + code[pc + 1]) << 1] >= I32[(fp + code[pc + 3]) << 1]) { pc = code[pc + 6]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 7; break; } // local.get; local.get; i32.ge_s; br_if (backward)
      case 0x249: { if (I32[(fp + code[pc + 1]) << 1] >>> 0 >= I32[(fp + code[pc + 3]) << 1] >>> 0) { pc = code[pc + 6]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 7; break; } // local.get; local.get; i32.ge_u; br_if (backward)
      case 0x250: { if (I32[(fp + code[pc + 1]) << 1] === code[pc + 3]) { pc = code[pc + 6]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 7; break; } // local.get; i32.const; i32.eq; br_if (backward)
      case 0x251: { if (I32[(fp + code[pc + 1]) << 1] !== code[pc + 3]) { pc = code[pc + 6]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 7; break; } // local.get; i32.const; i32.ne; br_if (backward)
      case 0x252: { if (I32[(fp + code[pc + 1]) << 1] < code[pc + 3]) { pc = code[pc + 6]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 7; break; } // local.get; i32.const; i32.lt_s; br_if (backward)
      case 0x253: { if (I32[(fp + code[pc + 1]) << 1] >>> 0 < code[pc + 3] >>> 0) { pc = code[pc + 6]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 7; break; } // local.get; i32.const; i32.lt_u; br_if (backward)
      case 0x254: { if (I32[(fp + code[pc + 1]) << 1] > code[pc + 3]) { pc = code[pc + 6]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 7; break; } // local.get; i32.const; i32.gt_s; br_if (backward)
      case 0x255: { if (I32[(fp + code[pc + 1]) << 1] >>> 0 > code[pc + 3] >>> 0) { pc = code[pc + 6]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 7; break; } // local.get; i32.const; i32.gt_u; br_if (backward)
      case 0x256: { if (I32[(fp + code[pc + 1]) << 1] <= code[pc + 3]) { pc = code[pc + 6]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 7; break; } // local.get; i32.const; i32.le_s; br_if (backward)
      case 0x257: { if (I32[(fp + code[pc + 1]) << 1] >>> 0 <= code[pc + 3] >>> 0) { pc = code[pc + 6]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 7; break; } // local.get; i32.const; i32.le_u; br_if (backward)
      case 0x258: { if (I32[(fp + code[pc + 1]) << 1] >= code[pc + 3]) { pc = code[pc + 6]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 7; break; } // local.get; i32.const; i32.ge_s; br_if (backward)
      case 0x259: { if (I32[(fp + code[pc + 1]) << 1] >>> 0 >= code[pc + 3] >>> 0) { pc = code[pc + 6]; if (--budget <= 0) { status = Status.BUDGET; break loop; } } else pc += 7; break; } // local.get; i32.const; i32.ge_u; br_if (backward)
      case 0x192: { // local.get; i32.load
        const ea = (I32[(fp + code[pc + 1]) << 1] >>> 0) + (code[pc + 3] >>> 0);
        if (ea + 4 > memLen) { I32[sp << 1] = I32[(fp + code[pc + 1]) << 1]; sp++; pc += 2; trapMsg = OOB_MEMORY; status = Status.TRAPPED; break loop; }
        I32[sp << 1] = mem.getInt32(ea, true);
        sp++;
        pc += 4;
        break;
      }


      case Op.SIMD: {
        const nsp = runSimd(store, code, pc, sp, fp, memory, globals);
        if (nsp < 0) { trapMsg = OOB_MEMORY; status = Status.TRAPPED; break loop; }
        sp = nsp;
        pc += code[pc + 1];
        break;
      }

      case Op.GC: {
        const nsp = runGc(store, inst, code, pc, sp);
        if (nsp < 0) { status = Status.TRAPPED; break loop; }
        sp = nsp;
        pc += code[pc + 1];
        break;
      }

      case Op.MEMORY_N: {
        const nsp = runOtherMemory(store, inst, code, pc, sp, fp, globals);
        if (nsp < 0) { trapMsg = OOB_MEMORY; status = Status.TRAPPED; break loop; }
        sp = nsp;
        pc += code[pc + 1];
        // memory.grow on a memory that is also memory 0 (imported twice) replaced its buffer.
        if (memory !== null) { mem = memory.view; u8 = memory.u8; memLen = u8.length; }
        break;
      }

      case Op.ADDR64: {
        const problem = checkAddress64(I32, sp, code[pc + 1], code[pc + 2]);
        if (problem !== null) { trapMsg = problem; status = Status.TRAPPED; break loop; }
        pc += 3;
        break;
      }

      case Op.THROW:
      case Op.THROW_REF:
      case Op.RETHROW:
      case THROW_FROM_HOST: {
        let exn: Exception;
        if (op === Op.THROW) exn = newException(store, inst.tags[code[pc + 1]], sp);
        else if (op === Op.RETHROW) exn = refs[fp + code[pc + 1]] as Exception;
        else if (op === Op.THROW_REF) {
          const r = refs[sp - 1];
          if (r === null) { trapMsg = 'null exception reference'; status = Status.TRAPPED; break loop; }
          exn = r as Exception;
        } else {
          exn = (store.pendingTrap as unknown as UncaughtException).exception;
          store.pendingTrap = null;
        }
        // A host function reached by a tail call replaced its caller's frame: that frame's handlers do not apply.
        const tailHost = op === THROW_FROM_HOST && (cf.orig[pc] === Op.RETURN_CALL || cf.orig[pc] === Op.RETURN_CALL_INDIRECT || cf.orig[pc] === Op.RETURN_CALL_REF);
        const site = findCatch(store, ex, exn, pc, tailHost ? h - 1 : h);
        // The debugger sees the throw before anything unwinds; resuming from there throws it.
        if (ex.resumeThrow) ex.resumeThrow = false;
        else if (op !== THROW_FROM_HOST && (store.stopOnThrow === 'all' || (store.stopOnThrow === 'uncaught' && site === null))) {
          ex.thrown = { exception: exn, caught: site !== null };
          status = Status.THROW;
          break loop;
        }
        if (site === null) {
          store.pendingTrap = new UncaughtException(exn);
          status = Status.TRAPPED;
          break loop;
        }
        ex.thrown = null;
        cs.pcs[h] = pc;
        unwindToCatch(store, site, exn);
        op = RELOAD_FRAME;
        continue loop;
      }

      case RELOAD_FRAME:
        h = cs.height - 1;
        f = cs.funcs[h];
        cf = f.compiled as CompiledFunc;
        fp = cs.fps[h];
        pc = cs.pcs[h];
        sp = store.sp;
        code = stepping && h <= stepMax ? stepCodeOf(cf) : cf.code;
        inst = cs.current as Instance;
        funcs = inst.funcs;
        globals = inst.globals;
        tables = inst.tables;
        memory = inst.memories.length > 0 ? inst.memories[0] : null;
        if (memory !== null) { mem = memory.view; u8 = memory.u8; memLen = u8.length; }
        break;

      case Op.BREAK: {
        // A patched position: a step that is due, a breakpoint, or neither (then run the original).
        if (stepping && h <= stepMax) { status = Status.STEP; break loop; }
        if (cf.breakpoints.has(pc)) { status = Status.BREAKPOINT; break loop; }
        op = cf.orig[pc];
        continue loop;
      }
      default: {
        // Everything else runs in rareOps.ts (unknown opcodes trap there too).
        store.sp = sp;
        const next = runRare(store, inst, code, pc, op);
        if (next < 0) { status = Status.TRAPPED; break loop; }
        sp = store.sp;
        pc = next;
        break;
      }
    }
    op = code[pc];
  }

  if (status === Status.DONE) {
    ex.collectResults(fp);
    cs.pop();
    store.sp = ex.spBase;
  } else {
    cs.pcs[h] = pc;
    store.sp = sp;
    if (status === Status.TRAPPED) {
      const trap = store.pendingTrap ?? new Trap(trapMsg);
      store.pendingTrap = null;
      if (trap.funcName === null) {
        trap.funcName = f.name;
        trap.offset = cf.offsets[pc];
      }
      ex.trap = trap;
    }
  }
  ex.budgetLeft = budget;
  return status;
}

/** Copies `n` slots (8 bytes, the v128 high half and the reference slot each) from `src` to `dest`, lowest first. */
function moveSlots(I32: Int32Array, V: Int32Array, refs: unknown[], src: number, dest: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const a = (dest + i) << 1;
    const b = (src + i) << 1;
    I32[a] = I32[b];
    I32[a + 1] = I32[b + 1];
    V[a] = V[b];
    V[a + 1] = V[b + 1];
    refs[dest + i] = refs[src + i];
  }
}

/** Clears what a slot holds beyond its 8 bytes: its reference and its v128 high half. */
export function clearWide(V: Int32Array, refs: unknown[], slot: number): void {
  refs[slot] = null;
  V[slot << 1] = 0;
  V[(slot << 1) + 1] = 0;
}

/** Copies the v128 high halves of `n` slots from `src` to `dest`, lowest first. */
function moveHighHalves(V: Int32Array, src: number, dest: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const a = (dest + i) << 1;
    const b = (src + i) << 1;
    V[a] = V[b];
    V[a + 1] = V[b + 1];
  }
}

/**
 * Calls a host function whose arguments are the top operands (ending at `sp`). Pushes a frame
 * for it (running in no instance), so the debugger shows it and nested invocations start above
 * it. Returns the new stack top, or -1 with `store.pendingTrap` set.
 */
export function callHost(store: Store, callee: FuncInst, sp: number): number {
  const type = callee.type;
  const np = type.params.length;
  const argBase = sp - np;
  const args: Value[] = new Array(np);
  for (let i = 0; i < np; i++) args[i] = store.readSlot(argBase + i, type.params[i]);
  const cs = store.callStack;
  if (cs.height >= store.maxCallDepth) {
    store.pendingTrap = new Trap('call stack exhausted');
    return -1;
  }
  const caller = cs.height > 0 ? (cs.current as Instance | null) : null;
  const height = cs.height;
  cs.push(callee, argBase, null);
  store.sp = sp; // the arguments stay readable (the host frame's locals) while nested calls run above
  let results: Value[];
  try {
    const ctx = hostContext(store, caller);
    results = store.hostCalls === null ? callee.host!(args, ctx) : store.hostCalls.call(callee, args, ctx, () => callee.host!(args, ctx));
    checkResults(callee, results);
  } catch (e) {
    cs.unwindTo(height);
    store.sp = argBase;
    store.pendingTrap = trapFromError(e);
    return -1;
  }
  cs.unwindTo(height);
  if (argBase + results.length > store.capacity && !store.growStack(argBase + results.length)) {
    store.pendingTrap = new Trap('call stack exhausted');
    return -1;
  }
  for (let i = 0; i < results.length; i++) store.writeSlot(argBase + i, results[i]);
  store.sp = argBase + results.length;
  return argBase + results.length;
}

function checkResults(callee: FuncInst, results: Value[]): void {
  const want = callee.type.results;
  if (!Array.isArray(results) || results.length !== want.length || results.some((r, i) => r.type !== want[i])) {
    const got = Array.isArray(results) ? `[${results.map((r) => r.type).join(' ')}]` : String(results);
    throw new Trap(`host function ${callee.name} returned ${got}, expected [${want.join(' ')}]`);
  }
}

function hostContext(store: Store, caller: Instance | null): HostContext {
  return {
    store,
    callerInstance: caller,
    memory: () => (caller !== null && caller.memories.length > 0 ? caller.memories[0] : null),
    invoke: (func: FuncInst, args: Value[]) => {
      store.hostCalls?.invoked();
      return store.invoke(func, args);
    },
    wrote: (memory: MemoryInst, address: number, length: number) => {
      store.hostCalls?.wrote(memory, address, length);
      store.onHostWrite?.(memory, address, length);
    },
  };
}

/** Reads one stack slot as a Value of `type`. */
export function slotValue(store: Store, slot: number, type: ValType): Value {
  return cellToValue(type, store.I32, store.I64, store.refs[slot], slot, store.V);
}
