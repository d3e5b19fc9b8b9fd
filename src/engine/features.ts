// Which edition of WebAssembly's rules the decoder and validator apply. WebAssembly 3.0 is the
// default (programs, the 3.0 spec suite); 2.0 exists because 3.0 turned a few things 2.0 rejected
// into valid code, and the 2.0 spec suite asserts those rejections:
// - a memory instruction's memory index was a reserved zero byte ("zero byte expected"), and a
//   memarg's alignment field was only an alignment below 32 ("malformed memop flags");
// - a module had at most one memory ("multiple memories");
// - limits had a one-bit flag and u32 bounds: no i64 address type (memory64, table64), and a
//   memarg offset was a u32.
// The runner picks the edition per script (see src/program/editions.ts).

export type Edition = '2.0' | '3.0';

export const DEFAULT_EDITION: Edition = '3.0';

export const EDITIONS: readonly Edition[] = ['2.0', '3.0'];

/** Whether a module of this edition may use 3.0's extensions (it is 3.0 unless it says 2.0). */
export function isWasm3(edition: Edition | undefined): boolean {
  return edition !== '2.0';
}
