// Byte-level reading of a WebAssembly binary with the specification's malformed-module checks:
// LEB128 integers that are too long or too large, lengths that run past the end, UTF-8 names.

import { DEFAULT_EDITION, type Edition } from './features';

/**
 * A malformed binary. `offset` is the byte where the problem is; `reason` is the specification's
 * wording (what the spec tests' `assert_malformed` expect, matched as a prefix); `message` adds the offset
 * and what was expected there.
 */
export class DecodeError extends Error {
  readonly offset: number;
  readonly reason: string;

  constructor(offset: number, reason: string, detail?: string) {
    super(`malformed module at byte 0x${offset.toString(16)}: ${reason}${detail ? ` (${detail})` : ''}`);
    this.name = 'DecodeError';
    this.offset = offset;
    this.reason = reason;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function hexByte(b: number): string {
  return `0x${b.toString(16).padStart(2, '0')}`;
}

/**
 * A cursor over the whole module binary. Like the specification's reference decoder, reads are bounded
 * by the end of the binary, not by the enclosing section: sizes are checked once the content is read.
 */
export class Reader {
  pos: number;
  readonly end: number;
  /** The rules the bytes are read by (see features.ts). */
  edition: Edition = DEFAULT_EDITION;

  constructor(
    readonly bytes: Uint8Array,
    pos = 0,
    end = bytes.length,
  ) {
    this.pos = pos;
    this.end = end;
  }

  fail(offset: number, reason: string, detail?: string): never {
    throw new DecodeError(offset, reason, detail);
  }

  /** Reading past the end: the spec's "unexpected end of section or function". */
  eof(what: string): never {
    this.fail(this.end, 'unexpected end of section or function', `expected ${what}`);
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  byte(what = 'a byte'): number {
    if (this.pos >= this.end) this.eof(what);
    return this.bytes[this.pos++];
  }

  /** The next byte without consuming it, or -1 at the end. */
  peek(): number {
    return this.pos < this.end ? this.bytes[this.pos] : -1;
  }

  /** `n` raw bytes (a view into the binary, not a copy). */
  take(n: number, what: string): Uint8Array {
    if (n < 0 || this.pos + n > this.end) this.eof(what);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Moves past `n` raw bytes. */
  skip(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.end) this.eof(what);
    this.pos += n;
  }

  /** An unsigned LEB128 integer of at most `bits` bits (1 or 32), as the spec's `uN`. */
  unsigned(bits: number, what: string): number {
    let result = 0;
    let scale = 1;
    for (let remaining = bits; ; remaining -= 7) {
      if (remaining <= 0) {
        this.fail(this.pos, 'integer representation too long', `${what} is a u${bits}, at most ${Math.ceil(bits / 7)} bytes of LEB128`);
      }
      const b = this.byte(what);
      if (remaining < 7 && (b & 0x7f) >= 1 << remaining) {
        this.fail(this.pos - 1, 'integer too large', `${what} does not fit in ${bits} bit${bits === 1 ? '' : 's'}`);
      }
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
  }

  u32(what: string): number {
    // Most are one byte: read those without the general loop.
    if (this.pos < this.end && this.bytes[this.pos] < 0x80) return this.bytes[this.pos++];
    return this.unsigned(32, what);
  }

  /** A u64 as a number: exact up to 2^53, rounded above (`exactU64` gives the exact value). */
  u64(what: string): number {
    if (this.pos < this.end && this.bytes[this.pos] < 0x80) return this.bytes[this.pos++];
    return this.unsigned(64, what);
  }

  /**
   * A signed LEB128 integer of at most `bits` bits (7, 32 or 33) as a JS number, as the spec's `sN`.
   * With 64 bits it checks an s64 without a bigint (the value may then be rounded).
   */
  signed(bits: number, what: string): number {
    let result = 0;
    let scale = 1;
    for (let remaining = bits; ; remaining -= 7) {
      if (remaining <= 0) {
        this.fail(this.pos, 'integer representation too long', `${what} is an s${bits}, at most ${Math.ceil(bits / 7)} bytes of LEB128`);
      }
      const b = this.byte(what);
      if (remaining < 7) {
        // The unused high bits of the last byte must all equal the sign bit.
        const mask = (-1 << (remaining - 1)) & 0x7f;
        if ((b & mask) !== 0 && (b & mask) !== mask) {
          this.fail(this.pos - 1, 'integer too large', `${what} does not fit in ${bits} bits`);
        }
      }
      result += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) return b & 0x40 ? result - scale : result;
    }
  }

  /** A signed 64-bit LEB128 integer. */
  s64(what: string): bigint {
    let result = 0n;
    let shift = 0n;
    for (let remaining = 64; ; remaining -= 7) {
      if (remaining <= 0) {
        this.fail(this.pos, 'integer representation too long', `${what} is an s64, at most 10 bytes of LEB128`);
      }
      const b = this.byte(what);
      if (remaining < 7) {
        const mask = (-1 << (remaining - 1)) & 0x7f;
        if ((b & mask) !== 0 && (b & mask) !== mask) {
          this.fail(this.pos - 1, 'integer too large', `${what} does not fit in 64 bits`);
        }
      }
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) return BigInt.asIntN(64, b & 0x40 ? result - (1n << shift) : result);
    }
  }

  /** A length or count: a u32 that may not exceed the bytes left after its own position. */
  len32(what: string): number {
    const at = this.pos;
    const n = this.u32(what);
    if (n > this.end - at) {
      this.fail(at, 'length out of bounds', `${what} is ${n} but only ${this.end - this.pos} bytes follow`);
    }
    return n;
  }

  /** A name: a length-prefixed string that must be valid UTF-8. */
  name(what: string): string {
    const at = this.pos;
    const raw = this.take(this.len32(`the length of ${what}`), what);
    try {
      return utf8.decode(raw);
    } catch {
      this.fail(at, 'malformed UTF-8 encoding', `in ${what}`);
    }
  }

  u32le(what: string): number {
    const b = this.take(4, what);
    return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  }

  u64le(what: string): bigint {
    const lo = this.u32le(what);
    const hi = this.u32le(what);
    return (BigInt(hi) << 32n) | BigInt(lo);
  }
}

/** The exact value of the unsigned LEB128 integer at `at` of `bytes` (one already read and checked). */
export function exactU64(bytes: Uint8Array, at: number): bigint {
  let result = 0n;
  let shift = 0n;
  for (let p = at; ; p++) {
    const b = bytes[p];
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return result;
    shift += 7n;
  }
}
