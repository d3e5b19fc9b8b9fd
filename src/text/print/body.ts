// The one place the printer, the generated names, breakpoints and the disassembly reach a function's
// body: its instructions and locals, decoded from the module's bytes on first use (funcCode).

import { expandLocals, funcCode, type Instr, type LocalRun, type Module, type ValType } from '../../engine/index';

/** A defined function's code as the printer reads it: where it lies in the binary, its instructions and locals. */
export interface FunctionBody {
  offset: number;
  endOffset: number;
  body: Instr[];
  locals: ValType[];
}

// Locals one per entry, made once per decoded body (the engine keeps them as runs).
const expanded = new WeakMap<LocalRun[], ValType[]>();

/** The body of defined function `definedIndex` (0 is the first function after the imported ones). */
export function functionBody(module: Module, definedIndex: number): FunctionBody {
  const { offset, endOffset } = module.codes[definedIndex];
  const code = funcCode(module, definedIndex);
  let locals = expanded.get(code.locals);
  if (!locals) expanded.set(code.locals, (locals = expandLocals(code.locals)));
  return { offset, endOffset, body: code.body, locals };
}
