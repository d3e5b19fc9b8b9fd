// The bytes of a shared memory (threads proposal). They never move and are never detached: every
// buffer handed out stays a view of the memory after a grow, and each grow gives a new fixed-length
// SharedArrayBuffer object over the same bytes, longer (the JS API's "refresh the memory buffer").
// JavaScript cannot make two SharedArrayBuffer objects of different lengths over one block of
// bytes, so the host's own WebAssembly.Memory allocates them: only as storage, no wasm runs in it.
// It is taken when the engine loads, before an embedder may replace the global WebAssembly, and
// only if it is the host's own (native) one: never an embedder's WebAssembly built on this engine.

interface HostMemory {
  readonly buffer: SharedArrayBuffer;
  grow(delta: number): number;
}
type HostMemoryConstructor = new (descriptor: { initial: number; maximum: number; shared: true }) => HostMemory;

const globalMemory = (globalThis as { WebAssembly?: { Memory?: HostMemoryConstructor } }).WebAssembly?.Memory;
const HostWasmMemory = globalMemory !== undefined && /\[native code\]/.test(Function.prototype.toString.call(globalMemory)) ? globalMemory : undefined;

export class SharedBacking {
  private readonly host: HostMemory | null;
  /** Without the host's WebAssembly: one growable SharedArrayBuffer, whose length follows the memory's. */
  private readonly growable: SharedArrayBuffer | null;

  /** Sizes in bytes; throws a RangeError when the host cannot provide them. */
  constructor(initialPages: number, maximumPages: number, pageSize: number) {
    if (HostWasmMemory !== undefined) {
      this.host = new HostWasmMemory({ initial: initialPages, maximum: maximumPages, shared: true });
      this.growable = null;
    } else {
      this.host = null;
      const Growable = SharedArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => SharedArrayBuffer;
      this.growable = Object.freeze(new Growable(initialPages * pageSize, { maxByteLength: maximumPages * pageSize }));
    }
  }

  get buffer(): SharedArrayBuffer {
    return this.host !== null ? this.host.buffer : (this.growable as SharedArrayBuffer);
  }

  /** Grows to `bytes`; false when the host refuses. */
  grow(deltaPages: number, bytes: number): boolean {
    try {
      if (this.host !== null) this.host.grow(deltaPages);
      else (this.growable as unknown as { grow(length: number): void }).grow(bytes);
      return true;
    } catch {
      return false;
    }
  }
}
