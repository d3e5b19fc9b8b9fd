// 64-bit addresses (memory64, table64) on the executor's 32-bit paths. wat-debugger's memories hold
// at most 65536 pages (4 GiB, runtime.ts's MAX_PAGES) and its tables at most MAX_TABLE_SIZE
// elements, so an i64 address, index or count whose high word is not zero is beyond every memory
// and table: the access traps exactly as the specification's bounds check would, and a grow by such
// an amount fails. Once that is checked, the low word is the exact value and the instruction runs
// the same code as on a 32-bit memory or table.
//
// Internal code: [Op.ADDR64, mask, kind] in front of the instruction's own code; bit d of `mask`
// names the operand d slots below the top (0 = the top) that is an i64 address or count.

/** What an operand with a high word beyond 32 bits does. */
export const enum Address64 {
  /** Traps "out of bounds memory access". */
  Memory = 0,
  /** Traps "out of bounds table access". */
  Table = 1,
  /** Traps "undefined element" (call_indirect). */
  Element = 2,
  /** Becomes 2^32-1, more than any memory or table can grow by: the grow returns -1. */
  Saturate = 3,
  /**
   * Always traps "out of bounds memory access": a memarg offset of 2^32 or more puts every
   * access beyond 4 GiB (the mask is then 0).
   */
  OffsetBeyond = 4,
}

export const OOB_MEMORY = 'out of bounds memory access';
export const OOB_TABLE = 'out of bounds table access';

/**
 * Checks the operands `mask` names, the stack's top slot being `sp - 1` (words `I32[2 * slot]`, low
 * first). Returns the trap message, or null to go on with the instruction.
 */
export function checkAddress64(I32: Int32Array, sp: number, mask: number, kind: Address64): string | null {
  if (kind === Address64.OffsetBeyond) return OOB_MEMORY;
  for (let d = 0; mask !== 0; d++, mask >>>= 1) {
    if ((mask & 1) === 0) continue;
    const a = (sp - 1 - d) << 1;
    if (I32[a + 1] === 0) continue;
    switch (kind) {
      case Address64.Memory: return OOB_MEMORY;
      case Address64.Table: return OOB_TABLE;
      case Address64.Element: return `undefined element ${(BigInt(I32[a + 1] >>> 0) << 32n) | BigInt(I32[a] >>> 0)}`;
      case Address64.Saturate: I32[a] = -1; break;
    }
  }
  return null;
}
