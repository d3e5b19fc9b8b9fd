// Run-time entities: function, memory, table and global instances, module instances, link errors.
// They are shared by the executor (which reads their fields directly in its hot loop) and by host
// modules and the debugger (which use the small methods).

import { FuncType, GlobalType, MemoryType, Module, TableType, Value, ValType, funcTypeIndexOf } from './types';
import { CanonType, canonOfHostFuncType, canonicalTypes } from './typeCanon';
import { isRefType } from './refTypes';
import { Trap } from './trap';
import { SharedBacking } from './sharedBacking';
import { TagInst } from './exception';
import type { CompiledFunc } from './compile';
import type { Store } from './store';

export const PAGE_SIZE = 65536;
/** The most pages a 32-bit memory can have (4 GiB). */
export const MAX_PAGES = 65536;
/** Tables never grow beyond this many elements (the spec's limit is 2^32 - 1; this keeps arrays sane). */
export const MAX_TABLE_SIZE = 10_000_000;

/** Context handed to host functions. */
export interface HostContext {
  store: Store;
  /** The instance whose code called the host function (null when called from the host side). */
  callerInstance: Instance | null;
  /** The caller instance's memory 0, if any. */
  memory(): MemoryInst | null;
  /** Calls back into wasm: a nested invocation on the same call stack. Throws `Trap`. */
  invoke(func: FuncInst, args: Value[]): Value[];
  /**
   * Says that the host function wrote `length` bytes at `address` of `memory`. A host that writes
   * memory must say so: a recorded run replays those bytes instead of calling the host again.
   */
  wrote(memory: MemoryInst, address: number, length: number): void;
}

/** Takes over host calls (a recorded run: see recording.ts); `live` calls the host function itself. */
export interface HostCallHook {
  call(callee: FuncInst, args: Value[], ctx: HostContext, live: () => Value[]): Value[];
  wrote(memory: MemoryInst, address: number, length: number): void;
  invoked(): void;
}

export type HostFn = (args: Value[], ctx: HostContext) => Value[];

/** A function instance: wasm code of an instance, or a host function (`instance === null`). */
export class FuncInst {
  /** Internal code, compiled on first call (wasm functions only). */
  compiled: CompiledFunc | null = null;
  /** The compiled tier's record of this function (tier/tier.ts), made when the tier first looks at it. */
  tier: unknown = null;
  /** Its canonical type (typeCanon.ts): equivalent types of any module share it. */
  readonly canon: CanonType;
  /** The canonical type's id, for call_indirect's fast type check. */
  readonly typeId: number;

  constructor(
    readonly type: FuncType,
    /** Its name (null: none is given, and `func[index]` is made when asked, not kept for each of thousands). */
    private readonly givenName: string | null,
    readonly instance: Instance | null,
    /** Index in its instance's function index space (-1 for host functions). */
    readonly index: number,
    readonly host?: HostFn,
  ) {
    this.canon = instance === null ? canonOfHostFuncType(type) : canonicalTypes(instance.module)[funcTypeIndexOf(instance.module, index)];
    this.typeId = this.canon.id;
  }

  get name(): string {
    return this.givenName ?? `func[${this.index}]`;
  }
}

export class MemoryInst {
  /** An ArrayBuffer, or for a shared memory a SharedArrayBuffer (see sharedBacking.ts). */
  buffer: ArrayBuffer | SharedArrayBuffer;
  /** Views of the current buffer; replaced on growth (re-read them after anything that may grow). */
  view: DataView;
  u8: Uint8Array;
  readonly max: number;
  /** The bytes of a shared memory; null for an unshared one. */
  private shared: SharedBacking | null = null;
  /**
   * Called after every successful grow (by wasm or the host, also by 0 pages) with the buffer the
   * memory had before: an embedder that hands the buffer out (the JS API) replaces it there.
   */
  onGrow: ((old: ArrayBuffer | SharedArrayBuffer) => void) | null = null;

  constructor(readonly type: MemoryType) {
    const { min, max } = type.limits;
    this.max = max === null ? MAX_PAGES : Math.min(max, MAX_PAGES);
    // Each memory has its own buffer, also an empty one: an embedder may detach it.
    this.buffer = this.allocate(min);
    this.view = new DataView(this.buffer);
    this.u8 = new Uint8Array(this.buffer);
  }

  private allocate(pages: number): ArrayBuffer | SharedArrayBuffer {
    if (this.type.shared !== true) return new ArrayBuffer(pages * PAGE_SIZE);
    this.shared = new SharedBacking(pages, this.max, PAGE_SIZE);
    return this.shared.buffer;
  }

  /** Makes `next` (holding the memory's bytes) the memory's buffer (growth, or going back to a checkpoint of another size). */
  replaceBuffer(next: ArrayBuffer | SharedArrayBuffer): void {
    this.buffer = next;
    this.view = new DataView(next);
    this.u8 = new Uint8Array(next);
  }

  /** Gives the memory `pages` zeroed pages in a new buffer (going back to a checkpoint of another size). */
  resize(pages: number): void {
    this.replaceBuffer(this.allocate(pages));
  }

  isShared(): boolean {
    return this.shared !== null;
  }

  pages(): number {
    return this.buffer.byteLength / PAGE_SIZE;
  }

  /** Grows by `delta` pages; returns the old size in pages, or -1 when the limit or the host refuses. */
  grow(delta: number): number {
    const old = this.pages();
    const before = this.buffer;
    if (delta < 0 || old + delta > this.max) return -1;
    if (this.shared !== null) {
      // The bytes stay where they are; a new SharedArrayBuffer object covers the new length.
      if (!this.shared.grow(delta, (old + delta) * PAGE_SIZE)) return -1;
      this.replaceBuffer(this.shared.buffer);
    } else if (delta !== 0) {
      let next: ArrayBuffer;
      try {
        next = new ArrayBuffer((old + delta) * PAGE_SIZE);
      } catch {
        return -1; // the host cannot provide that much memory: growth fails, as the spec allows
      }
      new Uint8Array(next).set(this.u8);
      this.replaceBuffer(next);
    }
    if (this.onGrow !== null) this.onGrow(before);
    return old;
  }
}

export class TableInst {
  /** The elements: FuncInst for funcref, any host value for externref; null is the null reference. */
  elements: unknown[];
  readonly max: number;
  /** The module whose type indices its element type names (null: it names none). */
  owner: Module | null = null;

  constructor(readonly type: TableType, init: unknown = null) {
    this.max = type.limits.max === null ? MAX_TABLE_SIZE : Math.min(type.limits.max, MAX_TABLE_SIZE);
    if (type.limits.min > MAX_TABLE_SIZE) throw new RangeError(`table of ${type.limits.min} elements is too large`);
    this.elements = new Array(type.limits.min).fill(init);
  }

  size(): number {
    return this.elements.length;
  }

  get(i: number): unknown {
    if (i < 0 || i >= this.elements.length) throw new Trap('out of bounds table access');
    return this.elements[i];
  }

  set(i: number, v: unknown): void {
    if (i < 0 || i >= this.elements.length) throw new Trap('out of bounds table access');
    this.elements[i] = v;
  }

  /** Grows by `n` elements set to `init`; returns the old size or -1. */
  grow(n: number, init: unknown = null): number {
    const old = this.elements.length;
    if (n < 0 || old + n > this.max) return -1;
    for (let i = 0; i < n; i++) this.elements.push(init);
    return old;
  }
}

/** A global: its value lives in 8 bytes (16 for a v128; raw bits for floats, as on the value stack) or in `ref`. */
export class GlobalInst {
  readonly i32 = new Int32Array(4);
  readonly i64 = new BigInt64Array(this.i32.buffer);
  ref: unknown = null;
  /** The module whose type indices its type names (null: it names none). */
  owner: Module | null = null;

  constructor(readonly type: GlobalType, value: Value) {
    this.store(value);
  }

  get(): Value {
    return cellToValue(this.type.type, this.i32, this.i64, this.ref, 0, null);
  }

  set(v: Value): void {
    if (v.type !== this.type.type && !(isRefType(v.type) && isRefType(this.type.type))) throw new TypeError(`global of type ${this.type.type} cannot hold a ${v.type}`);
    this.store(v);
  }

  private store(v: Value): void {
    switch (v.type) {
      case 'i32': this.i32[0] = v.value; this.i32[1] = 0; break;
      case 'f32': this.i32[0] = v.bits; this.i32[1] = 0; break;
      case 'i64': this.i64[0] = v.value; break;
      case 'f64': this.i64[0] = BigInt.asIntN(64, v.bits); break;
      case 'v128':
        if (!(v.bytes instanceof Uint8Array) || v.bytes.length !== 16) throw new TypeError('a v128 global holds 16 bytes');
        new Uint8Array(this.i32.buffer).set(v.bytes);
        break;
      default: this.ref = v.value; break; // a reference
    }
  }
}

/**
 * Turns 8 bytes of a stack slot or global cell (plus its reference slot) into a Value. A v128's
 * high 8 bytes are in `high` at the same slot (the value stack's V), or follow the low ones when
 * `high` is null (a global's 16 bytes).
 */
export function cellToValue(type: ValType, i32: Int32Array, i64: BigInt64Array, ref: unknown, slot: number, high: Int32Array | null): Value {
  switch (type) {
    case 'i32': return { type, value: i32[slot * 2] };
    case 'f32': return { type, bits: i32[slot * 2] >>> 0 };
    case 'i64': return { type, value: i64[slot] };
    case 'f64': return { type, bits: BigInt.asUintN(64, i64[slot]) };
    case 'funcref': return { type, value: ref as object | null };
    case 'v128': {
      const w = high === null ? [i32[0], i32[1], i32[2], i32[3]] : [i32[slot * 2], i32[slot * 2 + 1], high[slot * 2], high[slot * 2 + 1]];
      return { type, bytes: new Uint8Array(Int32Array.from(w).buffer) };
    }
    default: return { type, value: ref }; // any other reference type
  }
}

/** The default (zero) value of a type. */
export function defaultValue(type: ValType): Value {
  switch (type) {
    case 'i32': return { type, value: 0 };
    case 'i64': return { type, value: 0n };
    case 'f32': return { type, bits: 0 };
    case 'f64': return { type, bits: 0n };
    case 'v128': return { type, bytes: new Uint8Array(16) };
    default: return { type, value: null }; // a reference: null (non-nullable ones have no default)
  }
}

export type ExternVal =
  | { kind: 'func'; func: FuncInst }
  | { kind: 'table'; table: TableInst }
  | { kind: 'memory'; memory: MemoryInst }
  | { kind: 'global'; global: GlobalInst }
  | { kind: 'tag'; tag: TagInst };

export class Instance {
  readonly exports = new Map<string, ExternVal>();
  readonly funcs: FuncInst[] = [];
  readonly tables: TableInst[] = [];
  readonly memories: MemoryInst[] = [];
  readonly globals: GlobalInst[] = [];
  /** Exception tags, imported ones first. */
  readonly tags: TagInst[] = [];
  /** Element segments' references; a dropped segment becomes empty. */
  elems: unknown[][] = [];
  /** Data segments' bytes; a dropped segment becomes empty. */
  datas: Uint8Array[] = [];

  constructor(readonly name: string, readonly module: Module) {}

  /** The exported function `name`, or an Error saying what is there instead. */
  exportedFunc(name: string): FuncInst {
    const e = this.exports.get(name);
    if (!e) throw new Error(`instance ${this.name} has no export "${name}"`);
    if (e.kind !== 'func') throw new Error(`export "${name}" of instance ${this.name} is a ${e.kind}, not a function`);
    return e.func;
  }
}

/** An import that cannot be satisfied. */
export class LinkError extends Error {
  constructor(
    readonly importModule: string,
    readonly importName: string,
    readonly instanceName: string,
    readonly reason: string,
  ) {
    super(`cannot link import "${importModule}"."${importName}" of instance ${instanceName}: ${reason}`);
    this.name = 'LinkError';
  }
}

export function createMemory(type: MemoryType): MemoryInst {
  return new MemoryInst(type);
}

export function createTable(type: TableType, init: unknown = null): TableInst {
  return new TableInst(type, init);
}

export function createGlobal(type: GlobalType, value: Value): GlobalInst {
  return new GlobalInst(type, value);
}

export function hostFunction(type: FuncType, name: string, fn: HostFn): FuncInst {
  return new FuncInst(type, name, null, -1, fn);
}

/**
 * The trap for an exception thrown by host code or by the engine itself. JavaScript's own stack
 * overflow (host functions calling back into wasm too deeply) is the wasm call stack running out.
 */
export function trapFromError(e: unknown): Trap {
  if (e instanceof Trap) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) return new Trap('call stack exhausted');
  return new Trap(e instanceof Error ? e.message : String(e));
}
