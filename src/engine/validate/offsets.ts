// Byte offsets of module-level entries (imports, tables, memories, exports, the start function),
// which the decoded module does not keep: found again in the binary, only when a problem is
// reported about one, by walking the section headers and skipping entries.

import { Reader } from '../decodeReader';

export const SECTION_IMPORT = 2;
export const SECTION_FUNCTION = 3;
export const SECTION_TABLE = 4;
export const SECTION_MEMORY = 5;
export const SECTION_EXPORT = 7;
export const SECTION_START = 8;

function skipLimits(r: Reader): void {
  const hasMax = r.byte();
  r.u32('a minimum');
  if (hasMax & 1) r.u32('a maximum');
}

function skipName(r: Reader): void {
  const length = r.u32('a name length');
  r.pos += length;
}

const SKIP_ENTRY: Record<number, (r: Reader) => void> = {
  [SECTION_IMPORT]: (r) => {
    skipName(r);
    skipName(r);
    const kind = r.byte();
    if (kind === 0) r.u32('a type index');
    else if (kind === 1) {
      r.byte();
      skipLimits(r);
    } else if (kind === 2) skipLimits(r);
    else r.pos += 2;
  },
  [SECTION_FUNCTION]: (r) => {
    r.u32('a type index');
  },
  [SECTION_TABLE]: (r) => {
    r.byte();
    skipLimits(r);
  },
  [SECTION_MEMORY]: skipLimits,
  [SECTION_EXPORT]: (r) => {
    skipName(r);
    r.byte();
    r.u32('an export index');
  },
};

/**
 * The offset of entry `index` of section `id` (for the start section, of its function index), or
 * null when the binary has no such entry. Reads a binary that already decoded.
 */
export function entryOffset(bytes: Uint8Array, id: number, index = 0): number | null {
  const r = new Reader(bytes, 8);
  while (!r.atEnd()) {
    const sectionId = r.byte();
    const size = r.u32('a section size');
    const end = r.pos + size;
    if (sectionId === id) {
      if (id === SECTION_START) return r.pos;
      const count = r.u32('an entry count');
      if (index >= count) return null;
      for (let i = 0; i < index; i++) SKIP_ENTRY[id](r);
      return r.pos;
    }
    r.pos = end;
  }
  return null;
}
