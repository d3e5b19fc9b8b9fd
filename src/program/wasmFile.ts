// A .wasm file read with its big active data segments left in the file. Their bytes are needed
// once, when instantiation writes them into memory; holding them in the module's bytes as well
// kept a second copy of a big module's data resident for the whole session (tens of MB). So the
// module's bytes have zeros there (pages never written, so never resident), the segments read
// their bytes from the file when instantiated, and the recording's image of the memory refers to
// the file (memoryImage.ts). The file stays open while the module lives, so a file replaced by a
// new build (written elsewhere and renamed over it) is still read as it was; one written over in
// place changes its size or modification time, checked at each read: its bytes are no longer what
// was loaded, and whatever needs them says so instead of using other bytes.

import * as fs from 'node:fs';
import type { ConstExpr, DataSegment, Module, StoredBytes, StoredData } from '../engine/index';

/** Smaller payloads share their memory pages with the bytes around them: leaving them out saves nothing. */
const LEFT_OUT_MIN = 4096;
/** How much of the data section is read at a time to find its segments' payloads. */
const CHUNK = 64 * 1024;
const DATA_SECTION = 11;

export interface WasmFile {
  /** The file's bytes, starting at offset 0 of their own buffer; zeros where a payload was left out. */
  bytes: Uint8Array;
  /** Payloads left in the file: where they start, and their length. */
  leftOut: Map<number, number>;
  /** The open file they are read from (null when none was left out, and the file is closed). */
  stored: StoredBytes | null;
}

/** Reads a .wasm file, leaving its big active data payloads in it (a file it cannot follow is read whole; decoding then reports what is wrong). */
export function readWasmFile(file: string): WasmFile {
  const fd = fs.openSync(file, 'r');
  let stored: FileBytes | null = null;
  try {
    const stat = fs.fstatSync(fd, { bigint: true });
    // Not a regular file (a pipe, a device): read as it comes.
    if (!stat.isFile()) return { bytes: new Uint8Array(fs.readFileSync(fd)), leftOut: new Map(), stored: null };
    const bytes = new Uint8Array(Number(stat.size));
    const leftOut = readLeavingDataOut(fd, bytes);
    if (leftOut.size > 0) stored = new FileBytes(file, fd, stat);
    return { bytes, leftOut, stored };
  } finally {
    if (stored === null) fs.closeSync(fd);
  }
}

/** The module's active data segments whose payloads `wasm` left in its file read them from there. */
export function keepDataInFile(module: Module, wasm: WasmFile): void {
  const source = wasm.stored;
  if (source === null) return;
  module.datas = module.datas.map((segment) => {
    if (segment.mode !== 'active') return segment;
    const view = segment.bytes;
    if (wasm.leftOut.get(view.byteOffset) !== view.length) return segment;
    return new StoredDataSegment(segment, { source, position: view.byteOffset, length: view.length });
  });
}

class StoredDataSegment implements DataSegment {
  readonly mode: DataSegment['mode'];
  readonly memory: number;
  /** The bytes last read for `bytes` (views and printing ask several times in a row). */
  private last: WeakRef<Uint8Array> | null = null;

  constructor(
    private readonly decoded: DataSegment,
    readonly stored: StoredData,
  ) {
    this.mode = decoded.mode;
    this.memory = decoded.memory;
  }

  get offset(): ConstExpr | null {
    return this.decoded.offset;
  }

  /** A copy read from the file (instantiation reads them into memory itself). */
  get bytes(): Uint8Array {
    const kept = this.last?.deref();
    if (kept) return kept;
    const { source, position, length } = this.stored;
    const bytes = new Uint8Array(length);
    if (!source.read(position, length, bytes, 0)) throw new Error(`cannot read the data segment at byte offset ${position}: ${source.name} changed after it was loaded`);
    this.last = new WeakRef(bytes);
    return bytes;
  }
}

/**
 * How long a check that the file is unchanged holds for reads: a checkpoint reads hundreds of
 * pieces in a row, and a check for each would cost more than reading them. (Going back checks
 * every time, before it changes anything.)
 */
const CHECK_HOLDS_MS = 2;

/** Closes the file of a FileBytes no longer used. */
const openFiles = new FinalizationRegistry<number>((fd) => fs.close(fd, () => undefined));

/** An open file's bytes as they were when it was read. */
class FileBytes implements StoredBytes {
  constructor(
    readonly name: string,
    private readonly fd: number,
    private readonly stat: fs.BigIntStats,
  ) {
    openFiles.register(this, fd);
  }

  /** When the file was last found unchanged (performance.now()), for reads right after. */
  private checkedAt = -Infinity;

  intact(): boolean {
    let unchanged = false;
    try {
      const stat = fs.fstatSync(this.fd, { bigint: true });
      unchanged = stat.size === this.stat.size && stat.mtimeNs === this.stat.mtimeNs;
    } catch {
      // A file that cannot be looked at cannot be read either.
    }
    this.checkedAt = unchanged ? performance.now() : -Infinity;
    return unchanged;
  }

  read(position: number, length: number, into: Uint8Array, at: number): boolean {
    if (performance.now() - this.checkedAt >= CHECK_HOLDS_MS && !this.intact()) return false;
    try {
      readFully(this.fd, into, at, length, position);
      return true;
    } catch {
      return false;
    }
  }
}

function readFully(fd: number, into: Uint8Array, at: number, length: number, position: number): void {
  for (let done = 0; done < length; ) {
    const n = fs.readSync(fd, into, at + done, length - done, position + done);
    if (n === 0) throw new Error('the file ended early');
    done += n;
  }
}

/** Reads the file into `bytes`, all but the payloads it returns. */
function readLeavingDataOut(fd: number, bytes: Uint8Array): Map<number, number> {
  const size = bytes.length;
  const leftOut = new Map<number, number>();
  const header = Math.min(8, size);
  readFully(fd, bytes, 0, header, 0);
  let pos = header;
  while (pos < size) {
    // A section: its id and size (read where they go), then its payload.
    readFully(fd, bytes, pos, Math.min(6, size - pos), pos);
    const r = new ByteReader(bytes, pos + 1, Math.min(pos + 6, size));
    let length: number;
    try {
      length = r.u32();
    } catch {
      break;
    }
    const start = r.pos;
    const end = start + length;
    if (end > size) break;
    const payloads = bytes[pos] === DATA_SECTION ? dataPayloads(fd, start, end) : null;
    let at = start;
    for (const [payload, n] of payloads ?? []) {
      readFully(fd, bytes, at, payload - at, at);
      leftOut.set(payload, n);
      at = payload + n;
    }
    readFully(fd, bytes, at, end - at, at);
    pos = end;
  }
  // What the sections above could not follow (a malformed size) is read as it is.
  if (pos < size) readFully(fd, bytes, pos, size - pos, pos);
  return leftOut;
}

/**
 * The active data payloads of at least LEFT_OUT_MIN bytes in the data section at [start, end),
 * in order; null when the section does not parse to its exact end (decoding then sees all of it).
 */
function dataPayloads(fd: number, start: number, end: number): [number, number][] | null {
  const r = new FileReader(fd, start, end);
  const found: [number, number][] = [];
  try {
    const count = r.u32();
    for (let i = 0; i < count; i++) {
      const flags = r.u32();
      if (flags > 2) return null;
      if (flags === 2) r.u32();
      if (flags !== 1) skipConstExpr(r);
      const length = r.u32();
      if (flags !== 1 && length >= LEFT_OUT_MIN) found.push([r.pos, length]);
      r.skip(length);
    }
    return r.pos === end ? found : null;
  } catch {
    return null;
  }
}

/** Skips a constant expression (the instructions an offset may use), through its `end`. */
function skipConstExpr(r: FileReader | ByteReader): void {
  for (let ops = 0; ops < 64; ops++) {
    const op = r.byte();
    if (op === 0x0b) return;
    if (op === 0x41 || op === 0x42 || op === 0x23 || op === 0xd2 || op === 0xd0) r.leb(op === 0x42 ? 10 : 5);
    else if (op === 0x43) r.skip(4);
    else if (op === 0x44) r.skip(8);
    else if (op === 0xfd && r.leb(5) === 12) r.skip(16);
    // i32/i64 add, sub and mul take no immediate.
    else if (!(op >= 0x6a && op <= 0x6c) && !(op >= 0x7c && op <= 0x7e)) throw new Error(`opcode ${op} in an offset`);
  }
  throw new Error('an offset too long to follow');
}

/** Bytes in memory, read as LEB128 numbers. */
class ByteReader {
  constructor(
    private readonly bytes: Uint8Array,
    public pos: number,
    private readonly end: number,
  ) {}

  byte(): number {
    if (this.pos >= this.end) throw new Error('past the end');
    return this.bytes[this.pos++];
  }

  skip(n: number): void {
    this.pos += n;
    if (this.pos > this.end) throw new Error('past the end');
  }

  /** An unsigned (or the bits of a signed) LEB128 number of at most `maxBytes` bytes. */
  leb(maxBytes: number): number {
    let value = 0;
    for (let i = 0, scale = 1; i < maxBytes; i++, scale *= 128) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
    }
    throw new Error('a number too long');
  }

  u32(): number {
    const value = this.leb(5);
    if (value > 0xffffffff) throw new Error('a number too big');
    return value;
  }
}

/** A file's bytes from `pos`, read a chunk at a time; skipped bytes are not read. */
class FileReader extends ByteReader {
  private readonly chunk: Uint8Array;
  private chunkStart = 0;
  private chunkEnd = 0;

  constructor(
    private readonly fd: number,
    pos: number,
    private readonly limit: number,
  ) {
    const chunk = new Uint8Array(CHUNK);
    super(chunk, pos, limit);
    this.chunk = chunk;
  }

  override byte(): number {
    if (this.pos >= this.limit) throw new Error('past the end');
    if (this.pos < this.chunkStart || this.pos >= this.chunkEnd) {
      const n = Math.min(CHUNK, this.limit - this.pos);
      readFully(this.fd, this.chunk, 0, n, this.pos);
      this.chunkStart = this.pos;
      this.chunkEnd = this.pos + n;
    }
    return this.chunk[this.pos++ - this.chunkStart];
  }
}
