// What instantiation wrote into a memory: its active data segments, kept as the views of the
// module's bytes they already are. A checkpoint keeps a page that still holds exactly those bytes
// (and zeros around them) as a reference to the image instead of a copy, so the recording of a
// fresh program costs no copy of its data, which for a big module is tens of MB.
// The image is only a candidate: a page refers to it only when the page's bytes are compared equal,
// and the module's bytes never change, so restoring from it gives back the same bytes.

import { Buffer } from 'node:buffer';
import { PAGE_SIZE, type MemoryInst } from './runtime';

const ZERO_BYTES = Buffer.alloc(PAGE_SIZE);

/** One page of a memory's image: compared with the memory and written back without a copy of its own. */
export class ImagePage {
  constructor(
    private readonly image: MemoryImage,
    readonly page: number,
    /** The image's writes that touch the page, sorted by address: `first` to `end` (exclusive). */
    private readonly first: number,
    private readonly end: number,
  ) {}

  /** Whether the page of `u8` (a memory's bytes) holds exactly the image. */
  matches(u8: Uint8Array): boolean {
    const memory = Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
    let pos = this.page * PAGE_SIZE;
    const pageEnd = pos + PAGE_SIZE;
    for (let i = this.first; i < this.end; i++) {
      const { from, to, source, sourceAt } = this.image.piece(i, pos, pageEnd);
      if (from > pos && memory.compare(ZERO_BYTES, 0, from - pos, pos, from) !== 0) return false;
      if (memory.compare(source, sourceAt, sourceAt + (to - from), from, to) !== 0) return false;
      pos = to;
    }
    return pos === pageEnd || memory.compare(ZERO_BYTES, 0, pageEnd - pos, pos, pageEnd) === 0;
  }

  /** Writes the image's page into the page of `u8`. */
  writeTo(u8: Uint8Array): void {
    let pos = this.page * PAGE_SIZE;
    const pageEnd = pos + PAGE_SIZE;
    u8.fill(0, pos, pageEnd);
    for (let i = this.first; i < this.end; i++) {
      const { from, to, source, sourceAt } = this.image.piece(i, pos, pageEnd);
      u8.set(source.subarray(sourceAt, sourceAt + (to - from)), from);
      pos = to;
    }
  }
}

/**
 * The writes instantiation made into one memory, in address order, and the pages made of them.
 * A write is four numbers (no object of its own): where it went, its length, and where its bytes
 * are (one of the few buffers the writes come from, and the offset there).
 */
class MemoryImage {
  private addresses: number[] = [];
  private lengths: number[] = [];
  private sourceOf: number[] = [];
  private sourceAt: number[] = [];
  private readonly sources: Buffer[] = [];
  private sorted = true;
  /** Pages made so far (shared by every checkpoint that keeps them); null: the page has writes that overlap. */
  private readonly pages = new Map<number, ImagePage | null>();

  add(address: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const n = this.addresses.length;
    if (n > 0 && address < this.addresses[n - 1]) this.sorted = false;
    let source = this.sources.findIndex((b) => b.buffer === bytes.buffer);
    if (source < 0) source = this.sources.push(Buffer.from(bytes.buffer)) - 1;
    this.addresses.push(address);
    this.lengths.push(bytes.length);
    this.sourceOf.push(source);
    this.sourceAt.push(bytes.byteOffset);
    this.pages.clear();
  }

  /** The image of page `p`, or null when instantiation wrote nothing there or wrote a byte twice. */
  page(p: number): ImagePage | null {
    let made = this.pages.get(p);
    if (made !== undefined) return made;
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
    let overlap = false;
    for (; last < this.addresses.length && this.addresses[last] < end; last++) {
      if (last > lo && this.addresses[last] < this.addresses[last - 1] + this.lengths[last - 1]) overlap = true;
    }
    // With a later write over an earlier one, which wins depends on their order: such pages are copied.
    made = last === lo || overlap ? null : new ImagePage(this, p, lo, last);
    this.pages.set(p, made);
    return made;
  }

  /** Write `i` clipped to [pageStart, pageEnd): where it goes, and where its bytes are in `source`. */
  piece(i: number, pageStart: number, pageEnd: number): { from: number; to: number; source: Buffer; sourceAt: number } {
    const address = this.addresses[i];
    const from = Math.max(address, pageStart);
    const to = Math.min(address + this.lengths[i], pageEnd);
    return { from, to, source: this.sources[this.sourceOf[i]], sourceAt: this.sourceAt[i] + (from - address) };
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

/** Instantiation wrote `bytes` (a view of a module's bytes, which never change) at `address` of `memory`. */
export function noteInitialBytes(memory: MemoryInst, address: number, bytes: Uint8Array): void {
  let image = images.get(memory);
  if (image === undefined) images.set(memory, (image = new MemoryImage()));
  image.add(address, bytes);
}

/** Page `p` of what instantiation wrote into `memory`, or null when there is none to compare with. */
export function imagePage(memory: MemoryInst, p: number): ImagePage | null {
  return images.get(memory)?.page(p) ?? null;
}
