// wabt's binary writer (as the `wabt` package exposes it) writes a data segment for a memory other
// than 0 with the flags 2 ("active, memory index follows") but leaves the memory index out, because
// its write options cannot enable multiple memories. Its text writer does name the memory, so the
// index of each such segment is read back from there and put into the binary where it belongs.

import { Reader, decodeConstExpr } from '../engine/index';
import { concat } from './wast';

const SECTION_DATA = 11;
/**
 * A data segment in wabt's text output, in order: `(data (;3;) (memory 2) ...` or
 * `(data $a (memory 2) ...`, the memory only when it is not 0.
 */
const DATA_FIELD = /^\s*\(data(?: \$\S+)?(?: \(;\d+;\))?(?: \(memory (\d+)\))?/gm;

/**
 * The binary with the memory index of every data segment whose flags are 2 written after its
 * flags. `printedText` gives wabt's text of the module, asked for only when there is such a segment.
 */
export function restoreDataMemories(bytes: Uint8Array, printedText: () => string): Uint8Array {
  const section = dataSection(bytes);
  if (!section) return bytes;
  const r = new Reader(bytes, section.start, section.end);
  const count = r.u32('the number of data segments');
  const explicit: { segment: number; at: number }[] = [];
  const use = { dataIndexAt: -1 };
  for (let i = 0; i < count; i++) {
    const flags = r.u32('the data segment flags');
    if (flags === 2) explicit.push({ segment: i, at: r.pos });
    if (flags !== 1) decodeConstExpr(r, use);
    r.skip(r.u32('the data segment length'), 'the data segment bytes');
  }
  if (explicit.length === 0) return bytes;

  const memories = [...printedText().matchAll(DATA_FIELD)].map((m) => (m[1] === undefined ? 0 : Number(m[1])));
  const parts: Uint8Array[] = [];
  let from = section.start;
  for (const { segment, at } of explicit) {
    const memory = memories[segment];
    if (!memory) throw new Error(`wabt printed no memory for data segment ${segment}`);
    parts.push(bytes.subarray(from, at), leb128(memory));
    from = at;
  }
  parts.push(bytes.subarray(from, section.end));
  const body = concat(parts);
  return concat([bytes.subarray(0, section.idAt + 1), leb128(body.length), body, bytes.subarray(section.end)]);
}

/** Where the data section's id byte and contents are, if the module has one. */
function dataSection(bytes: Uint8Array): { idAt: number; start: number; end: number } | null {
  const r = new Reader(bytes, 8);
  while (!r.atEnd()) {
    const idAt = r.pos;
    const id = r.byte('a section id');
    const size = r.u32('a section size');
    if (id === SECTION_DATA) return { idAt, start: r.pos, end: r.pos + size };
    r.skip(size, 'a section');
  }
  return null;
}

function leb128(n: number): Uint8Array {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return Uint8Array.from(out);
}
