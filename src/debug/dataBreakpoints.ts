// Data breakpoints: stop when a global, a range of memory or a local of one frame is written, read,
// or either. Nothing watches while none is set. Setting one finds the instructions that can touch
// its target (global.get/set of that global; loads, stores and bulk operations on that memory;
// local.get/set/tee of that local in that function) in every module that can reach it, and puts
// engine breakpoints there; when the run pauses at one, `accessesAt` says from the operands whether
// this access hits the target. The session then runs that one instruction and stops after it,
// with the old and new value (a write) or the value read.

import type { BreakpointView } from './views';
import { formatValue, funcCode, importCount, opcodeName, type FrameView, type GlobalInst, type Instr, type MemoryInst, type Module, type Value } from '../engine/index';
import type { DebugInstance } from './inspect';
import { hexBytes } from './values';

export type DataTarget =
  | { kind: 'global'; global: GlobalInst; label: string }
  | { kind: 'memory'; memory: MemoryInst; address: bigint; size: number; label: string }
  | { kind: 'local'; height: number; fp: number; funcIndex: number; module: Module; index: number; label: string };

export type Access = 'read' | 'write' | 'readWrite';

interface Watch {
  id: number;
  target: DataTarget;
  access: Access;
}

/** A place the engine must pause at: an instruction that may touch a watched target. */
export interface WriteSite {
  module: Module;
  funcIndex: number;
  offset: number;
}

/** An access the instruction at a pause makes to watched targets. */
export interface DataAccess {
  ids: number[];
  /** Per id: whether it writes, and the value before. */
  writes: boolean[];
  before: string[];
}

/** Bytes written by each store, by name. */
const STORE_SIZES: Record<string, number> = {
  'i32.store': 4, 'i64.store': 8, 'f32.store': 4, 'f64.store': 8, 'i32.store8': 1, 'i32.store16': 2,
  'i64.store8': 1, 'i64.store16': 2, 'i64.store32': 4, 'v128.store': 16,
  'v128.store8_lane': 1, 'v128.store16_lane': 2, 'v128.store32_lane': 4, 'v128.store64_lane': 8,
};

/** Bytes read by each load, by name. */
const LOAD_SIZES: Record<string, number> = {
  'i32.load': 4, 'i64.load': 8, 'f32.load': 4, 'f64.load': 8, 'i32.load8_s': 1, 'i32.load8_u': 1,
  'i32.load16_s': 2, 'i32.load16_u': 2, 'i64.load8_s': 1, 'i64.load8_u': 1, 'i64.load16_s': 2,
  'i64.load16_u': 2, 'i64.load32_s': 4, 'i64.load32_u': 4, 'v128.load': 16, 'v128.load8x8_s': 8,
  'v128.load8x8_u': 8, 'v128.load16x4_s': 8, 'v128.load16x4_u': 8, 'v128.load32x2_s': 8,
  'v128.load32x2_u': 8, 'v128.load8_splat': 1, 'v128.load16_splat': 2, 'v128.load32_splat': 4,
  'v128.load64_splat': 8, 'v128.load32_zero': 4, 'v128.load64_zero': 8, 'v128.load8_lane': 1,
  'v128.load16_lane': 2, 'v128.load32_lane': 4, 'v128.load64_lane': 8,
};

export class DataBreakpoints {
  private watches: Watch[] = [];
  private nextId = 1_000_000; // apart from source breakpoints' ids

  constructor(
    /** Every instance of the program. */
    private readonly instances: () => DebugInstance[],
    /** Puts engine breakpoints at the sites (replacing the previous ones). */
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
  set(requests: ({ target: DataTarget; access: Access } | string)[]): BreakpointView[] {
    this.watches = [];
    const answers = requests.map((r): BreakpointView => {
      if (typeof r === 'string') return { verified: false, message: r };
      const watch = { id: this.nextId++, target: r.target, access: r.access };
      this.watches.push(watch);
      return { id: watch.id, verified: true, message: r.target.label };
    });
    this.placeSites(this.watches.flatMap((w) => this.sitesOf(w)));
    return answers;
  }

  /** The watches the instruction at the top frame is about to touch, with their values before. */
  accessesAt(frame: FrameView, fp: number, instr: Instr | undefined): DataAccess {
    const found: DataAccess = { ids: [], writes: [], before: [] };
    if (!instr) return found;
    for (const w of this.watches) {
      const access = this.touches(w, frame, fp, instr);
      if (access === null) continue;
      found.ids.push(w.id);
      found.writes.push(access === 'write');
      found.before.push(valueOf(w.target, frame));
    }
    return found;
  }

  /** The watches a host function's write of `length` bytes at `address` of `memory` hits, with their values before it. */
  hostWriteHits(memory: MemoryInst, address: number, length: number): DataAccess {
    const found: DataAccess = { ids: [], writes: [], before: [] };
    const start = BigInt(address);
    for (const w of this.watches) {
      const t = w.target;
      if (t.kind !== 'memory' || w.access === 'read' || t.memory !== memory) continue;
      if (!(start < t.address + BigInt(t.size) && t.address < start + BigInt(length))) continue;
      found.ids.push(w.id);
      found.writes.push(true);
      found.before.push(valueOf(t, null));
    }
    return found;
  }

  /** `label: old -> new` for a write, `label read: value` for a read (values now, after the instruction). */
  describe(access: DataAccess, frame: FrameView | null): string {
    return access.ids
      .map((id, i) => {
        const w = this.watches.find((x) => x.id === id);
        if (!w) return '';
        const now = frame || w.target.kind !== 'local' ? valueOf(w.target, frame) : '?';
        return access.writes[i] ? `${w.target.label}: ${access.before[i]} -> ${now}` : `${w.target.label} read: ${now}`;
      })
      .join('; ');
  }

  /** Whether the instruction writes or reads the watch's target (a write counts first), or neither. */
  private touches(w: Watch, frame: FrameView, fp: number, instr: Instr): 'read' | 'write' | null {
    const inst = frame.instance;
    if (!inst) return null;
    const name = opcodeName(instr.op);
    const t = w.target;
    const wants = (a: 'read' | 'write') => (w.access === 'readWrite' || w.access === a ? a : null);
    switch (t.kind) {
      case 'global':
        if (inst.globals[instr.index!] !== t.global) return null;
        return name === 'global.set' ? wants('write') : name === 'global.get' ? wants('read') : null;
      case 'local':
        if (frame.height !== t.height || fp !== t.fp || instr.index !== t.index) return null;
        return name === 'local.set' || name === 'local.tee' ? wants('write') : name === 'local.get' ? wants('read') : null;
      case 'memory': {
        const overlaps = (r: MemoryRange | null) =>
          r !== null && inst.memories[r.memory] === t.memory && r.start < t.address + BigInt(t.size) && t.address < r.start + r.length;
        const operands = frame.operands();
        if (overlaps(writtenRange(name, instr, operands))) return wants('write') ?? (overlaps(readRange(name, instr, operands)) ? wants('read') : null);
        return overlaps(readRange(name, instr, operands)) ? wants('read') : null;
      }
    }
  }

  /** The instructions that can touch the watch's target as it asks, in every module that can reach it. */
  private sitesOf(w: Watch): WriteSite[] {
    const t = w.target;
    const reads = w.access !== 'write';
    const writes = w.access !== 'read';
    if (t.kind === 'local') {
      return instructionsOf(t.module, t.funcIndex, (i) => {
        const name = opcodeName(i.op);
        return i.index === t.index && ((writes && (name === 'local.set' || name === 'local.tee')) || (reads && name === 'local.get'));
      });
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
            if (t.kind === 'global') return indices.has(i.index!) && ((writes && name === 'global.set') || (reads && name === 'global.get'));
            const written = writes ? memoryWritten(name, i) : null;
            const read = reads ? memoryRead(name, i) : null;
            return (written !== null && indices.has(written)) || (read !== null && indices.has(read));
          }),
        );
      }
    }
    return sites;
  }
}

interface MemoryRange {
  memory: number;
  start: bigint;
  length: bigint;
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

/** The memory index an instruction reads, or null when it reads none. */
function memoryRead(name: string, i: Instr): number | null {
  if (name in LOAD_SIZES) return i.memarg?.memory ?? 0;
  if (name === 'memory.copy') return i.index2 ?? 0;
  return null;
}

/** What a read instruction is about to read, from its operands (a lane load's vector is above its address). */
function readRange(name: string, i: Instr, operands: Value[]): MemoryRange | null {
  const memory = memoryRead(name, i);
  if (memory === null) return null;
  const n = operands.length;
  if (name in LOAD_SIZES) {
    const at = name.endsWith('_lane') ? n - 2 : n - 1;
    if (at < 0) return null;
    const offset = i.memarg?.bigOffset ?? BigInt(i.memarg?.offset ?? 0);
    return { memory, start: unsigned(operands[at]) + offset, length: BigInt(LOAD_SIZES[name]) };
  }
  if (n < 3) return null;
  return { memory, start: unsigned(operands[n - 2]), length: unsigned(operands[n - 1]) };
}

/** What a write instruction is about to write, from its operands (the top of `operands`). */
function writtenRange(name: string, i: Instr, operands: Value[]): MemoryRange | null {
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
function valueOf(t: DataTarget, frame: FrameView | null): string {
  switch (t.kind) {
    case 'global':
      return formatValue(t.global.get());
    case 'local':
      return frame ? formatValue(frame.locals()[t.index]) : '?';
    case 'memory': {
      const start = Number(t.address);
      return hexBytes(t.memory.u8.subarray(start, start + t.size));
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
