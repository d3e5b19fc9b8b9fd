// Helpers for tests that drive the engine directly: assembling text with the project's wabt
// features, and resolving imports from a plain table.

import { ExternVal, Import, Module, WABT_FEATURES, loadModule, loadWabt } from '../src/engine/index';

/** Assembles `.wat` text (with names) and loads it: decoded and validated. */
export async function assemble(text: string): Promise<Module> {
  const wabt = await loadWabt();
  const parsed = wabt.parseWat('test.wat', text, WABT_FEATURES);
  try {
    return await loadModule(parsed.toBinary({ write_debug_names: true }).buffer);
  } finally {
    parsed.destroy();
  }
}

/** Imports resolved from a table of module name -> export name -> value. */
export function imports(map: Record<string, Record<string, ExternVal>>): (imp: Import) => ExternVal | undefined {
  return (imp) => map[imp.module]?.[imp.name];
}
