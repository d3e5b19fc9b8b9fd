// Data breakpoints: stop when a global, a range of memory or a local of one frame is written.
// Nothing watches while none is set. Setting one finds the instructions that can write its target
// (global.set of that global, stores and bulk operations on that memory, local.set/tee of that
// local in that function) in every module that can reach it, and puts engine breakpoints there;
// when the run pauses at one, `writesAt` says from the operands whether this write hits the target.
// The session then runs that one instruction and stops after it, with the old and new value.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { formatValue, funcCode, importCount, opcodeName, type FrameView, type GlobalInst, type Instr, type MemoryInst, type Module, type Value } from '../engine/index';
import type { DebugInstance } from './inspect';

export type DataTarget =
  | { kind: 'global'; global: GlobalInst; label: string }
  | { kind: 'memory'; memory: MemoryInst; address: bigint; size: number; label: string }
  | { kind: 'local'; height: number; fp: number; funcIndex: number; module: Module; index: number; label: string };

interface Watch {
  id: number;
  target: DataTarget;
}

/** A place the engine must pause at: an instruction that may write a watched target. */
export interface WriteSite {
  module: Module;
  funcIndex: number;
  offset: number;
}

/** Bytes written by each store, by name. */
const STORE_SIZES: Record<string, number> = {
  'i32.store': 4, 'i64.store': 8, 'f32.store': 4, 'f64.store': 8, 'i32.store8': 1, 'i32.store16': 2,
  'i64.store8': 1, 'i64.store16': 2, 'i64.store32': 4, 'v128.store': 16,
  'v128.store8_lane': 1, 'v128.store16_lane': 2, 'v128.store32_lane': 4, 'v128.store64_lane': 8,
};

export class DataBreakpoints {
  private watches: Watch[] = [];
  private nextId = 1_000_000; // apart from source breakpoints' ids

  constructor(
    /** Every instance of the program. */
    private readonly instances: () => DebugInstance[],
    /** Puts engine breakpoints at the write sites (replacing the previous ones). */
    private readonly placeSites: (sites: WriteSite[]) => void,
  ) {}

  get active(): boolean {
    return this.watches.length > 0;
  }

  /** Whether `id` is a data breakpoint's. */
  owns(id: number): boolean {
    return this.watches.some((w) => w.id === id);
  }

  /** Replaces the data breakpoints. */
  set(targets: (DataTarget | string)[]): DebugProtocol.Breakpoint[] {
    this.watches = [];
    const answers = targets.map((t): DebugProtocol.Breakpoint => {
      if (typeof t === 'string') return { verified: false, message: t };
      const watch = { id: this.nextId++, target: t };
      this.watches.push(watch);
      return { id: watch.id, verified: true, message: t.label };
    });
    this.placeSites(this.watches.flatMap((w) => this.sitesOf(w.target)));
    return answers;
  }

  /** The watches the instruction at the top frame is about to write, with how to describe the change. */
  writesAt(frame: FrameView, fp: number, instr: Instr | undefined): { ids: number[]; before: string[] } {
    const ids: number[] = [];
    const before: string[] = [];
    if (!instr) return { ids, before };
    for (const w of this.watches) {
      if (this.hits(w.target, frame, fp, instr)) {
        ids.push(w.id);
        before.push(read(w.target, frame));
      }
    }
    return { ids, before };
  }

  /** `label: old -> new` for each watch of `ids` (values read now, after the write). */
  describeChange(ids: number[], before: string[], frame: FrameView | null): string {
    return ids
      .map((id, i) => {
        const w = this.watches.find((x) => x.id === id);
        return w ? `${w.target.label}: ${before[i]} -> ${frame || w.target.kind !== 'local' ? read(w.target, frame) : '?'}` : '';
      })
      .join('; ');
  }

  private hits(t: DataTarget, frame: FrameView, fp: number, instr: Instr): boolean {
    const inst = frame.instance;
    if (!inst) return false;
    const name = opcodeName(instr.op);
    switch (t.kind) {
      case 'global':
        return name === 'global.set' && inst.globals[instr.index!] === t.global;
      case 'local':
        return (name === 'local.set' || name === 'local.tee') && frame.height === t.height && fp === t.fp && instr.index === t.index;
      case 'memory': {
        const written = writtenRange(name, instr, frame.operands());
        if (!written || inst.memories[written.memory] !== t.memory) return false;
        return written.start < t.address + BigInt(t.size) && t.address < written.start + written.length;
      }
    }
  }

  /** The instructions that can write `t`, in every module that can reach it. */
  private sitesOf(t: DataTarget): WriteSite[] {
    if (t.kind === 'local') {
      return instructionsOf(t.module, t.funcIndex, (i) => (opcodeName(i.op) === 'local.set' || opcodeName(i.op) === 'local.tee') && i.index === t.index);
    }
    const sites: WriteSite[] = [];
    const seen = new Set<Module>();
    for (const { instance } of this.instances()) {
      const indices = t.kind === 'global' ? indicesOf(instance.globals, t.global) : indicesOf(instance.memories, t.memory);
      if (indices.size === 0 || seen.has(instance.module)) continue;
      seen.add(instance.module);
      const module = instance.module;
      for (let f = importCount(module, 'func'); f < importCount(module, 'func') + module.funcs.length; f++) {
        sites.push(
          ...instructionsOf(module, f, (i) => {
            const name = opcodeName(i.op);
            if (t.kind === 'global') return name === 'global.set' && indices.has(i.index!);
            const memory = memoryWritten(name, i);
            return memory !== null && indices.has(memory);
          }),
        );
      }
    }
    return sites;
  }
}

function indicesOf<T>(items: T[], item: T): Set<number> {
  const out = new Set<number>();
  items.forEach((x, i) => x === item && out.add(i));
  return out;
}

function instructionsOf(module: Module, funcIndex: number, test: (i: Instr) => boolean): WriteSite[] {
  const code = funcIndex - importCount(module, 'func');
  if (code < 0 || code >= module.codes.length) return [];
  return funcCode(module, code)
    .body.filter(test)
    .map((i) => ({ module, funcIndex, offset: i.offset }));
}

/** The memory index an instruction writes, or null when it writes none. */
function memoryWritten(name: string, i: Instr): number | null {
  if (name in STORE_SIZES) return i.memarg?.memory ?? 0;
  if (name === 'memory.fill' || name === 'memory.copy') return i.index ?? 0;
  if (name === 'memory.init') return i.index2 ?? 0;
  return null;
}

/** What a write instruction is about to write, from its operands (the top of `operands`). */
function writtenRange(name: string, i: Instr, operands: Value[]): { memory: number; start: bigint; length: bigint } | null {
  const memory = memoryWritten(name, i);
  if (memory === null) return null;
  const n = operands.length;
  if (name in STORE_SIZES) {
    if (n < 2) return null;
    const offset = i.memarg?.bigOffset ?? BigInt(i.memarg?.offset ?? 0);
    return { memory, start: unsigned(operands[n - 2]) + offset, length: BigInt(STORE_SIZES[name]) };
  }
  if (n < 3) return null;
  return { memory, start: unsigned(operands[n - 3]), length: unsigned(operands[n - 1]) };
}

function unsigned(v: Value): bigint {
  if (v.type === 'i32') return BigInt(v.value >>> 0);
  if (v.type === 'i64') return BigInt.asUintN(64, v.value);
  return -1n;
}

/** The target's value now, as the debugger shows values. */
function read(t: DataTarget, frame: FrameView | null): string {
  switch (t.kind) {
    case 'global':
      return formatValue(t.global.get());
    case 'local':
      return frame ? formatValue(frame.locals()[t.index]) : '?';
    case 'memory': {
      const start = Number(t.address);
      const bytes = t.memory.u8.subarray(start, start + t.size);
      return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    }
  }
}


/** The instruction at `offset` of function `funcIndex` (instructions are in offset order). */
export function instructionAt(module: Module, funcIndex: number, offset: number): Instr | undefined {
  const code = funcIndex - importCount(module, 'func');
  if (code < 0 || code >= module.codes.length) return undefined;
  const body = funcCode(module, code).body;
  let lo = 0;
  let hi = body.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (body[mid].offset === offset) return body[mid];
    if (body[mid].offset < offset) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}
