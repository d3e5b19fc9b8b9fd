// The one place the printer and the generated names reach a function's body, so a module whose
// bodies are decoded on demand changes only this helper.

import type { FuncBody, Module } from '../../engine/index';

/** The body of defined function `definedIndex` (0 is the first function after the imported ones). */
export function functionBody(module: Module, definedIndex: number): FuncBody {
  return module.codes[definedIndex];
}
