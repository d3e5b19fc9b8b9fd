// Where an instruction is: the function whose body holds a byte offset of the module.

import { Module, importCount } from './types';

/** The index of the function whose body contains the byte at `offset`, or null. */
export function funcIndexAt(module: Module, offset: number): number | null {
  const codes = module.codes;
  let lo = 0;
  let hi = codes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (offset < codes[mid].offset) hi = mid - 1;
    else if (offset >= codes[mid].endOffset) lo = mid + 1;
    else return importCount(module, 'func') + mid;
  }
  return null;
}
