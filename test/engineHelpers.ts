// Helpers for tests that drive the engine directly: assembling text with our assembler, and
// resolving imports from a plain table.

import { ExternVal, Import, Module, loadModule } from '../src/engine/index';
import { assembleWat } from '../src/text/assemble';

/** Assembles `.wat` text (with names) and loads it: decoded and validated. */
export async function assemble(text: string): Promise<Module> {
  return loadModule(await assembleWat(text, 'test.wat'));
}

/** Imports resolved from a table of module name -> export name -> value. */
export function imports(map: Record<string, Record<string, ExternVal>>): (imp: Import) => ExternVal | undefined {
  return (imp) => map[imp.module]?.[imp.name];
}

/** A data string of `n` bytes counting up from `from` (mod 251, so no 64 KiB page repeats another). */
export function dataString(n: number, from: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += `\\${((from + i) % 251).toString(16).padStart(2, '0')}`;
  return s;
}
