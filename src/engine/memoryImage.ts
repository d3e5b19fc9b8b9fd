// What instantiation wrote into a memory: its active data segments, which are views of the
// module's bytes or stored bytes (a big segment left in its module's file, see types.ts). A
// checkpoint keeps a page that still holds exactly those bytes (and zeros around them) as a
// reference to them instead of a copy, so the recording of a fresh program costs no copy of its
// data, which for a big module is tens of MB.
// The image is only a candidate: a page refers to it only when the page's bytes are compared equal,
// and the module's bytes never change, so restoring from it gives back the same bytes. The image
// holds the modules' bytes weakly (a memory may outlive the modules instantiated into it); a page
// made from it holds what it refers to, for as long as a checkpoint keeps it. Stored bytes are read
// again for each comparison and restore; when their file has changed the page no longer matches,
// and a checkpoint that refers to it can no longer be restored (restoreCheckpoint says so first).

import { Buffer } from 'node:buffer';
import { PAGE_SIZE, type MemoryInst } from './runtime';
import type { StoredBytes, StoredData } from './types';

const ZERO_BYTES = Buffer.alloc(PAGE_SIZE);
/** Where a piece of stored bytes is read to be compared (a piece is at most a page). */
const STORED_PIECE = Buffer.alloc(PAGE_SIZE);

type PieceSource = Buffer | StoredBytes;

function isStored(source: object): source is StoredBytes {
  return typeof (source as StoredBytes).read === 'function';
}

/** One page of a memory's image: its pieces of module bytes, compared with the memory and written back without a copy. */
export class ImagePage {
  constructor(
    readonly page: number,
    /** Each piece: where it goes in the memory (from, to), its bytes and where they start there. */
    private readonly from: Float64Array,
    private readonly to: Float64Array,
    private readonly sources: PieceSource[],
    private readonly sourceAt: Float64Array,
  ) {}

  /** Whether the page of `u8` (a memory's bytes) holds exactly the image. */
  matches(u8: Uint8Array): boolean {
    const memory = Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
    let pos = this.page * PAGE_SIZE;
    const pageEnd = pos + PAGE_SIZE;
    for (let i = 0; i < this.from.length; i++) {
      const from = this.from[i];
      const to = this.to[i];
      if (from > pos && memory.compare(ZERO_BYTES, 0, from - pos, pos, from) !== 0) return false;
      const source = this.sources[i];
      let bytes: Buffer = STORED_PIECE;
      let at = 0;
      if (source instanceof Uint8Array) [bytes, at] = [source, this.sourceAt[i]];
      else if (!source.read(this.sourceAt[i], to - from, STORED_PIECE, 0)) return false;
      if (memory.compare(bytes, at, at + (to - from), from, to) !== 0) return false;
      pos = to;
    }
    return pos === pageEnd || memory.compare(ZERO_BYTES, 0, pageEnd - pos, pos, pageEnd) === 0;
  }

  /** Why the page cannot be written back (stored bytes whose file changed), or null when it can. */
  unavailable(): string | null {
    for (const source of this.sources) if (!(source instanceof Uint8Array) && !source.intact()) return `${source.name} changed after it was loaded`;
    return null;
  }

  /** Writes the image's page into the page of `u8`. */
  writeTo(u8: Uint8Array): void {
    const start = this.page * PAGE_SIZE;
    u8.fill(0, start, start + PAGE_SIZE);
    for (let i = 0; i < this.from.length; i++) {
      const at = this.sourceAt[i];
      const source = this.sources[i];
      const length = this.to[i] - this.from[i];
      if (source instanceof Uint8Array) u8.set(source.subarray(at, at + length), this.from[i]);
      else if (!source.read(at, length, u8, this.from[i])) throw new Error(`cannot restore page ${this.page} of a memory: ${source.name} changed after it was loaded`);
    }
  }
}

/**
 * The writes instantiation made into one memory, in address order. A write is four numbers (no
 * object of its own): where it went, its length, and where its bytes are (one of the few module
 * buffers or stored bytes the writes come from, and the offset there).
 */
class MemoryImage {
  private addresses: number[] = [];
  private lengths: number[] = [];
  private sourceOf: number[] = [];
  private sourceAt: number[] = [];
  /** Module buffers (held weakly) and stored bytes (small objects that read their file). */
  private readonly sources: (WeakRef<ArrayBufferLike> | StoredBytes)[] = [];
  private sorted = true;

  add(address: number, length: number, source: ArrayBufferLike | StoredBytes, at: number): void {
    if (length === 0) return;
    const n = this.addresses.length;
    if (n > 0 && address < this.addresses[n - 1]) this.sorted = false;
    let index = this.sources.findIndex((s) => (s instanceof WeakRef ? s.deref() : s) === source);
    if (index < 0) index = this.sources.push(isStored(source) ? source : new WeakRef(source)) - 1;
    this.addresses.push(address);
    this.lengths.push(length);
    this.sourceOf.push(index);
    this.sourceAt.push(at);
  }

  /** The image of page `p`, or null when instantiation wrote nothing there, wrote a byte twice, or its module is gone. */
  page(p: number): ImagePage | null {
    this.sort();
    const start = p * PAGE_SIZE;
    const end = start + PAGE_SIZE;
    // The first write that ends after the page starts, then every one that starts before it ends.
    let lo = 0;
    let hi = this.addresses.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.addresses[mid] + this.lengths[mid] <= start) lo = mid + 1;
      else hi = mid;
    }
    let last = lo;
    while (last < this.addresses.length && this.addresses[last] < end) last++;
    if (last === lo) return null;
    const n = last - lo;
    const from = new Float64Array(n);
    const to = new Float64Array(n);
    const sourceAt = new Float64Array(n);
    const sources: PieceSource[] = [];
    const buffers = new Map<number, PieceSource>();
    for (let k = 0; k < n; k++) {
      const i = lo + k;
      // With a later write over an earlier one, which wins depends on their order: such pages are copied.
      if (k > 0 && this.addresses[i] < this.addresses[i - 1] + this.lengths[i - 1]) return null;
      let buffer = buffers.get(this.sourceOf[i]);
      if (buffer === undefined) {
        const source = this.sources[this.sourceOf[i]];
        const bytes = source instanceof WeakRef ? source.deref() : source;
        if (bytes === undefined) return null;
        buffers.set(this.sourceOf[i], (buffer = isStored(bytes) ? bytes : Buffer.from(bytes)));
      }
      from[k] = Math.max(this.addresses[i], start);
      to[k] = Math.min(this.addresses[i] + this.lengths[i], end);
      sourceAt[k] = this.sourceAt[i] + (from[k] - this.addresses[i]);
      sources.push(buffer);
    }
    return new ImagePage(p, from, to, sources, sourceAt);
  }

  private sort(): void {
    if (this.sorted) return;
    // Stable, so writes to the same address keep their order (and are then seen as overlapping).
    const order = this.addresses.map((_, i) => i).sort((a, b) => this.addresses[a] - this.addresses[b] || a - b);
    this.addresses = order.map((i) => this.addresses[i]);
    this.lengths = order.map((i) => this.lengths[i]);
    this.sourceOf = order.map((i) => this.sourceOf[i]);
    this.sourceAt = order.map((i) => this.sourceAt[i]);
    this.sorted = true;
  }
}

const images = new WeakMap<MemoryInst, MemoryImage>();

/** Instantiation wrote `bytes` (a view of a module's bytes, which never change, or stored bytes) at `address` of `memory`. */
export function noteInitialBytes(memory: MemoryInst, address: number, bytes: Uint8Array | StoredData): void {
  let image = images.get(memory);
  if (image === undefined) images.set(memory, (image = new MemoryImage()));
  if (bytes instanceof Uint8Array) image.add(address, bytes.length, bytes.buffer, bytes.byteOffset);
  else image.add(address, bytes.length, bytes.source, bytes.position);
}

/** Page `p` of what instantiation wrote into `memory`, or null when there is none to compare with. */
export function imagePage(memory: MemoryInst, p: number): ImagePage | null {
  return images.get(memory)?.page(p) ?? null;
}
