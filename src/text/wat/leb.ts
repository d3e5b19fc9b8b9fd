// LEB128 encodings of the binary format: unsigned (indices, sizes, opcodes after a prefix) and
// signed (constants), exact for any i64 (BigInt arithmetic).

/** An unsigned LEB128. */
export function lebU(v: bigint | number): number[] {
  let n = BigInt(v);
  const out: number[] = [];
  do {
    let b = Number(n & 0x7fn);
    n >>= 7n;
    if (n !== 0n) b |= 0x80;
    out.push(b);
  } while (n !== 0n);
  return out;
}

/** A signed LEB128. */
export function lebS(v: bigint | number): number[] {
  let n = BigInt(v);
  const out: number[] = [];
  for (;;) {
    const b = Number(n & 0x7fn);
    n >>= 7n;
    if ((n === 0n && (b & 0x40) === 0) || (n === -1n && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}
