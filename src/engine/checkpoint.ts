// Checkpoints: copies of everything a run can change, so that restoring one puts the program back
// at that moment exactly. What a run changes: memories, tables, globals, dropped data and element
// segments, the fields of GC objects, the value stack, the call stack with its sparse instance
// list, and the state of the executions. Memories are kept by 64 KiB page, and a page equal to the
// one the previous checkpoint kept is shared with it, so a checkpoint costs the pages written
// since the one before (found by comparing, which costs nothing while the program runs). A page
// that still holds what instantiation wrote there refers to the module's bytes (memoryImage.ts).
// Host state (open files, what was printed) is not part of it: replay answers host calls from the
// recording instead of calling the host again (see recording.ts).

import { Buffer } from 'node:buffer';
import type { CallStackSnapshot } from './callStack';
import { Exception } from './exception';
import { AnyAsExtern, GcArray, GcStruct, HostAsAny, type ArrayData } from './gcValues';
import { ImagePage, imagePage } from './memoryImage';
import { momentOf, type Moment } from './moment';
import { PAGE_SIZE, type FuncInst, type GlobalInst, type Instance, type MemoryInst, type TableInst } from './runtime';
import type { Execution, Store } from './store';
import type { Trap } from './trap';

/** The page every all-zero page of every checkpoint shares. */
const ZERO_PAGE = new Uint8Array(PAGE_SIZE);
const ZERO_BYTES = Buffer.from(ZERO_PAGE.buffer);

/** A page as a checkpoint keeps it: a copy (shared by the checkpoints where it did not change), or the memory's image. */
type KeptPage = Uint8Array | ImagePage;

interface MemoryCopy {
  memory: MemoryInst;
  pages: KeptPage[];
}

interface ExecutionCopy {
  execution: Execution;
  fields: Pick<Execution, 'status' | 'results' | 'trap' | 'stepKind' | 'stepMax' | 'resumeSkip' | 'resumeThrow' | 'thrown' | 'pauseRequested'>;
}

export interface Checkpoint {
  moment: Moment;
  /** Bytes it holds besides memory pages (which checkpoints share; see `pages`). */
  otherBytes: number;
  sp: number;
  slots: Int32Array;
  highSlots: Int32Array;
  refSlots: unknown[];
  pendingTrap: Trap | null;
  frames: CallStackSnapshot<FuncInst, Instance | null>;
  executions: ExecutionCopy[];
  memories: MemoryCopy[];
  tables: { table: TableInst; elements: unknown[] }[];
  globals: { global: GlobalInst; bits: Int32Array; ref: unknown }[];
  segments: { instance: Instance; datas: Uint8Array[]; elems: unknown[][] }[];
  gcObjects: { object: GcStruct | GcArray; contents: unknown[] | ArrayData }[];
}

/**
 * A checkpoint of `store` (paused between instructions) and of everything `instances` hold or
 * import. `previous` is the last checkpoint taken, whose unchanged memory pages are shared.
 */
export function takeCheckpoint(store: Store, instances: readonly Instance[], previous: Checkpoint | null): Checkpoint {
  const top = store.executions[store.executions.length - 1];
  const sp = store.sp;
  let otherBytes = 0;
  const memories: MemoryCopy[] = [];
  const tables: Checkpoint['tables'] = [];
  const globals: Checkpoint['globals'] = [];
  for (const memory of memoriesOf(instances)) {
    const before = previous?.memories.find((m) => m.memory === memory)?.pages ?? [];
    const pages: KeptPage[] = [];
    for (let p = 0; p * PAGE_SIZE < memory.u8.length; p++) pages.push(keepPage(memory, p, before[p]));
    memories.push({ memory, pages });
  }
  // Tables and segment lists unchanged since the previous checkpoint share its copy (restoring copies them again).
  for (const table of unique(instances.flatMap((i) => i.tables))) {
    const before = previous?.tables.find((t) => t.table === table)?.elements;
    const elements = sameOrCopy(table.elements, before);
    if (elements !== before) otherBytes += table.elements.length * 8;
    tables.push({ table, elements });
  }
  for (const global of unique(instances.flatMap((i) => i.globals))) globals.push({ global, bits: global.i32.slice(), ref: global.ref });
  const segments = instances.map((instance) => {
    const before = previous?.segments.find((s) => s.instance === instance);
    return { instance, datas: sameOrCopy(instance.datas, before?.datas), elems: sameOrCopy(instance.elems, before?.elems) };
  });
  const refSlots = store.refs.slice(0, sp);
  const gcObjects = copyGcObjects([refSlots, tables.map((t) => t.elements), globals.map((g) => g.ref), segments.map((s) => s.elems), store.executions.map((e) => e.thrown?.exception ?? null)]);
  for (const g of gcObjects) otherBytes += (Array.isArray(g.contents) ? g.contents.length * 8 : g.contents.byteLength) + 32;
  otherBytes += stackBytes(store);
  return {
    moment: top ? momentOf(top) : { ticks: store.ticks, height: -1, pc: 0 },
    otherBytes,
    sp,
    slots: store.I32.slice(0, sp * 2),
    highSlots: store.V.slice(0, sp * 2),
    refSlots,
    pendingTrap: store.pendingTrap,
    frames: store.callStack.snapshot(),
    executions: store.executions.map((execution) => ({
      execution,
      fields: {
        status: execution.status,
        results: execution.results,
        trap: execution.trap,
        stepKind: execution.stepKind,
        stepMax: execution.stepMax,
        resumeSkip: execution.resumeSkip,
        resumeThrow: execution.resumeThrow,
        thrown: execution.thrown,
        pauseRequested: execution.pauseRequested,
      },
    })),
    memories,
    tables,
    globals,
    segments,
    gcObjects,
  };
}

/** Page `p` of `memory` as a checkpoint keeps it: `kept` (the previous checkpoint's) when unchanged, else the fewest new bytes. */
function keepPage(memory: MemoryInst, p: number, kept: KeptPage | undefined): KeptPage {
  const page = memory.u8.subarray(p * PAGE_SIZE, (p + 1) * PAGE_SIZE);
  const bytes = Buffer.from(page.buffer, page.byteOffset, PAGE_SIZE);
  if (kept instanceof ImagePage ? kept.matches(memory.u8) : kept !== undefined && Buffer.from(kept.buffer, kept.byteOffset, PAGE_SIZE).equals(bytes)) return kept!;
  // Untouched memory is mostly zeros: one page stands for them all.
  if (ZERO_BYTES.equals(bytes)) return ZERO_PAGE;
  // (A page the image no longer matches is not compared with it again.)
  const image = kept instanceof ImagePage ? null : imagePage(memory, p);
  return image !== null && image.matches(memory.u8) ? image : page.slice();
}

/** Puts the store and the instances back as they were when `cp` was taken. */
export function restoreCheckpoint(store: Store, cp: Checkpoint): void {
  // Before anything changes: a page kept as stored bytes whose file changed cannot be restored.
  for (const { pages } of cp.memories) {
    for (const page of pages) {
      const why = page instanceof ImagePage ? page.unavailable() : null;
      if (why !== null) throw new Error(`cannot go back to this moment: ${why}, and the recording refers to its data`);
    }
  }
  store.ticks = cp.moment.ticks;
  if (cp.sp > store.capacity) store.growStack(cp.sp);
  store.sp = cp.sp;
  store.I32.set(cp.slots);
  store.V.set(cp.highSlots);
  for (let i = 0; i < cp.sp; i++) store.refs[i] = cp.refSlots[i];
  store.pendingTrap = cp.pendingTrap;
  store.callStack.restore(cp.frames);
  store.executions.length = 0;
  for (const { execution, fields } of cp.executions) {
    Object.assign(execution, fields);
    store.executions.push(execution);
  }
  for (const { memory, pages } of cp.memories) {
    if (memory.u8.length !== pages.length * PAGE_SIZE) memory.resize(pages.length);
    pages.forEach((page, p) => (page instanceof ImagePage ? page.writeTo(memory.u8) : memory.u8.set(page, p * PAGE_SIZE)));
  }
  for (const { table, elements } of cp.tables) table.elements = elements.slice();
  for (const { global, bits, ref } of cp.globals) {
    global.i32.set(bits);
    global.ref = ref;
  }
  for (const { instance, datas, elems } of cp.segments) {
    instance.datas = datas.slice();
    instance.elems = elems.slice();
  }
  for (const { object, contents } of cp.gcObjects) {
    const target = object instanceof GcStruct ? object.fields : object.data;
    if (Array.isArray(target)) for (let i = 0; i < target.length; i++) target[i] = (contents as unknown[])[i];
    else (target as Exclude<ArrayData, unknown[]>).set(contents as never);
  }
}

/** `kept` when it holds the same items as `items`, else a copy of `items`. */
function sameOrCopy<T>(items: T[], kept: T[] | undefined): T[] {
  if (kept === undefined || kept.length !== items.length) return items.slice();
  for (let i = 0; i < items.length; i++) if (kept[i] !== items[i]) return items.slice();
  return kept;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** The memories of `instances`, each once (an imported memory belongs to several). */
function memoriesOf(instances: readonly Instance[]): MemoryInst[] {
  return unique(instances.flatMap((i) => i.memories));
}

/** Bytes a checkpoint copies of the stacks: per slot 8, its high half and its reference; per frame its function, base and position. */
function stackBytes(store: Store): number {
  return store.sp * 24 + store.callStack.height * 16;
}

/** Bytes a checkpoint taken now would copy or compare: the stacks and every memory. */
export function checkpointWork(store: Store, instances: readonly Instance[]): number {
  return memoriesOf(instances).reduce((n, m) => n + m.u8.length, stackBytes(store));
}

/** The contents of every GC object reachable from `roots` (nested arrays of references and values). */
function copyGcObjects(roots: unknown[]): Checkpoint['gcObjects'] {
  const seen = new Set<unknown>();
  const out: Checkpoint['gcObjects'] = [];
  const pending: unknown[] = [roots];
  // Element by element: spreading an array of millions of slots would overflow the JS stack.
  const pushAll = (items: ArrayLike<unknown>) => {
    for (let i = 0; i < items.length; i++) if (items[i] !== null && typeof items[i] === 'object') pending.push(items[i]);
  };
  while (pending.length) {
    const v = pending.pop();
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) pushAll(v);
    else if (v instanceof GcStruct) {
      out.push({ object: v, contents: v.fields.slice() });
      pushAll(v.fields);
    } else if (v instanceof GcArray) {
      out.push({ object: v, contents: v.data.slice() });
      if (Array.isArray(v.data)) pushAll(v.data);
    } else if (v instanceof Exception) pushAll(v.payload.map((p) => ('value' in p ? p.value : null)));
    else if (v instanceof HostAsAny || v instanceof AnyAsExtern) pending.push(v.value);
  }
  return out;
}

/** Bytes a set of checkpoints holds, each shared memory page counted once (a page of the image, in the module's bytes, not at all). */
export function checkpointsBytes(checkpoints: readonly Checkpoint[]): number {
  const pages = new Set<Uint8Array>();
  let bytes = 0;
  for (const cp of checkpoints) {
    bytes += cp.otherBytes;
    for (const m of cp.memories) for (const page of m.pages) if (!(page instanceof ImagePage)) pages.add(page);
  }
  return bytes + pages.size * PAGE_SIZE;
}
