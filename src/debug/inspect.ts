// The debugger's view of a stopped program: instances with their units and names, frames with
// their locals, and the evaluation context the expression language reads from.

import type { FuncInst, Instance, Value } from '../engine/index';
import type { EvalContext } from './evaluate';
import { CodeUnit, globalName, localName } from './units';

/** An instance as the debugger shows it. `id` is stable for the whole session (memory references use it). */
export interface DebugInstance {
  id: number;
  name: string;
  instance: Instance;
  unit: CodeUnit;
}

/** One wasm frame of a stopped execution (the engine's inspection API). */
export interface FrameView {
  func: FuncInst;
  /** Byte offset of the frame's current instruction in its module. */
  offset: number;
  locals(): Value[];
  setLocal(index: number, value: Value): void;
  operands(): Value[];
}

/** The name a local is shown and evaluated by: `$n` when the text names it, else `local3`. */
export function localLabel(inst: DebugInstance, funcIndex: number, localIndex: number): string {
  const name = localName(inst.unit.module, funcIndex, localIndex);
  return name !== null ? `$${name}` : `local${localIndex}`;
}

export function globalLabel(inst: DebugInstance, globalIndex: number): string {
  const name = globalName(inst.unit, globalIndex);
  return name !== null ? `$${name}` : `global${globalIndex}`;
}

/** What an expression sees in a frame: its locals, its instance's globals and memory 0. */
export function frameContext(inst: DebugInstance, frame: FrameView | null): EvalContext {
  let locals: Value[] | undefined;
  const getLocals = () => (locals ??= frame ? frame.locals() : []);
  const funcIndex = frame ? frame.func.index : -1;
  const globals = inst.instance.globals;
  return {
    localByName(name) {
      if (!frame) return undefined;
      const all = getLocals();
      for (let i = 0; i < all.length; i++) {
        if (localName(inst.unit.module, funcIndex, i) === name) return all[i];
      }
      return undefined;
    },
    local: (i) => getLocals()[i],
    localCount: () => getLocals().length,
    globalByName(name) {
      for (let i = 0; i < globals.length; i++) {
        if (globalName(inst.unit, i) === name) return globals[i].get();
      }
      return undefined;
    },
    global: (i) => globals[i]?.get(),
    globalCount: () => globals.length,
    memory() {
      const mem = inst.instance.memories[0];
      return mem ? new Uint8Array(mem.buffer) : null;
    },
  };
}
