// Memory instructions on a memory other than memory 0 (multiple memories, WebAssembly 3.0), and
// memory.copy between two memories. Memory 0 keeps the executor's own cases, whose buffer views
// live in locals of the run loop; everything here fetches the named memory's views per instruction.
//
// Internal code: [Op.MEMORY_N, length, memory, op, immediates...], where `op` and its immediates are
// what memory 0's instruction would be: a load or store [op, offset], MEMORY_SIZE, MEMORY_GROW,
// MEMORY_FILL, MEMORY_INIT [segment], MEMORY_COPY [source memory] (`memory` is the destination),
// or a SIMD memory instruction [Op.SIMD, length, sub-opcode, immediates...].

import { Op } from './compile';
import type { Instance, GlobalInst } from './runtime';
import { runSimd, type SimdStack } from './simd';

/** Bytes each load (0x28..0x35) and store (0x36..0x3e) accesses. */
const ACCESS_BYTES = [4, 8, 4, 8, 1, 1, 2, 2, 1, 1, 2, 2, 4, 4, 4, 8, 4, 8, 1, 2, 1, 2, 4];

/**
 * Runs the instruction at `pc` on `inst`'s memory named in the code and returns the new stack top,
 * or -1 for an out-of-bounds memory access, leaving the stack as it was.
 */
export function runOtherMemory(st: SimdStack, inst: Instance, code: Int32Array, pc: number, sp: number, fp: number, globals: GlobalInst[]): number {
  const memory = inst.memories[code[pc + 2]];
  const op = code[pc + 3];
  const I = st.I32;
  if (op >= 0x28 && op <= 0x3e) {
    const load = op <= 0x35;
    const a = (load ? sp - 1 : sp - 2) << 1;
    const ea = (I[a] >>> 0) + (code[pc + 4] >>> 0);
    if (ea + ACCESS_BYTES[op - 0x28] > memory.u8.length) return -1;
    const view = memory.view;
    if (load) {
      loadScalar(I, a, op, view, ea);
      return sp;
    }
    storeScalar(I, a + 2, op, view, ea);
    return sp - 2;
  }
  switch (op) {
    case Op.MEMORY_SIZE:
      I[sp << 1] = memory.u8.length / 65536;
      return sp + 1;
    case Op.MEMORY_GROW: {
      const a = (sp - 1) << 1;
      I[a] = memory.grow(I[a] >>> 0);
      return sp;
    }
    case Op.MEMORY_FILL: {
      const a = (sp - 3) << 1;
      const d = I[a] >>> 0;
      const n = I[a + 4] >>> 0;
      if (d + n > memory.u8.length) return -1;
      memory.u8.fill(I[a + 2] & 0xff, d, d + n);
      return sp - 3;
    }
    case Op.MEMORY_INIT: {
      const a = (sp - 3) << 1;
      const d = I[a] >>> 0;
      const s = I[a + 2] >>> 0;
      const n = I[a + 4] >>> 0;
      const data = inst.datas[code[pc + 4]];
      if (s + n > data.length || d + n > memory.u8.length) return -1;
      memory.u8.set(data.subarray(s, s + n), d);
      return sp - 3;
    }
    case Op.MEMORY_COPY: {
      const a = (sp - 3) << 1;
      const d = I[a] >>> 0;
      const s = I[a + 2] >>> 0;
      const n = I[a + 4] >>> 0;
      const to = memory.u8;
      const from = inst.memories[code[pc + 4]].u8;
      if (s + n > from.length || d + n > to.length) return -1;
      // One memory named twice (or imported twice) overlaps itself: copyWithin handles the overlap.
      if (to.buffer === from.buffer) to.copyWithin(d, s, s + n);
      else to.set(from.subarray(s, s + n), d);
      return sp - 3;
    }
    case Op.SIMD:
      return runSimd(st, code, pc + 3, sp, fp, memory, globals);
  }
  throw new Error(`internal error: no memory instruction ${op} at code index ${pc}`);
}

/** A load's value into the slot at word `a` (the i64 results' high word too). */
function loadScalar(I: Int32Array, a: number, op: number, view: DataView, ea: number): void {
  switch (op) {
    case 0x28: case 0x2a: I[a] = view.getInt32(ea, true); return;
    case 0x29: case 0x2b: I[a] = view.getInt32(ea, true); I[a + 1] = view.getInt32(ea + 4, true); return;
    case 0x2c: I[a] = view.getInt8(ea); return;
    case 0x2d: I[a] = view.getUint8(ea); return;
    case 0x2e: I[a] = view.getInt16(ea, true); return;
    case 0x2f: I[a] = view.getUint16(ea, true); return;
  }
  const v = op === 0x30 ? view.getInt8(ea) : op === 0x31 ? view.getUint8(ea) : op === 0x32 ? view.getInt16(ea, true)
    : op === 0x33 ? view.getUint16(ea, true) : view.getInt32(ea, true);
  I[a] = v;
  I[a + 1] = op === 0x35 ? 0 : v >> 31; // the unsigned loads (0x31, 0x33) gave non-negative values
}

/** A store of the value in the slot at word `v`. */
function storeScalar(I: Int32Array, v: number, op: number, view: DataView, ea: number): void {
  switch (op) {
    case 0x36: case 0x38: case 0x3e: view.setInt32(ea, I[v], true); return;
    case 0x37: case 0x39: view.setInt32(ea, I[v], true); view.setInt32(ea + 4, I[v + 1], true); return;
    case 0x3a: case 0x3c: view.setInt8(ea, I[v]); return;
    case 0x3b: case 0x3d: view.setInt16(ea, I[v], true); return;
  }
}
