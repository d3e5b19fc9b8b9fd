// What "Debug This File" needs to know about a .wat/.wasm file that has no launch configuration:
// the functions it exports (to pick the one to invoke) and the modules it imports from files beside
// it (so a program of several modules runs without a launch.json).

import * as fs from 'fs';
import * as path from 'path';
import { formatFuncType, funcTypeOf, type Module, type ValType } from '../engine/index';
import { DEFAULT_ENTRY_NAMES, HOST_MODULE_NAMES, defaultEntry, loadModuleFile } from './launch';

export interface ExportedFunction {
  name: string;
  params: ValType[];
  /** e.g. `(func (param i32) (result i32))` */
  signature: string;
}

/** Loads a .wat or .wasm file as a launch does (validated); errors name the file and the place in it. */
export async function readModule(file: string): Promise<Module> {
  return (await loadModuleFile(file)).module;
}

export function exportedFunctions(module: Module): ExportedFunction[] {
  return module.exports
    .filter((e) => e.kind === 'func')
    .map((e) => {
      const type = funcTypeOf(module, e.index);
      return { name: e.name, params: type.params, signature: formatFuncType(type) };
    });
}

/**
 * How to pick the function to invoke: leave it to the debugger when the module exports `_start` or
 * `main` without parameters (or exports nothing), take that entry when it needs arguments, take the
 * only exported function, or ask the user to choose among several. The launch's own choice
 * (`defaultEntry`) decides which function that is.
 */
export type EntryChoice = { kind: 'debugger-default' } | { kind: 'only'; func: ExportedFunction } | { kind: 'ask'; funcs: ExportedFunction[] };

export function chooseEntry(funcs: ExportedFunction[]): EntryChoice {
  const name = defaultEntry(funcs.map((f) => f.name));
  const entry = funcs.find((f) => f.name === name);
  if (!entry) return funcs.length === 0 ? { kind: 'debugger-default' } : { kind: 'ask', funcs };
  // The launch picks a default entry itself, but must be told the arguments it takes.
  if (DEFAULT_ENTRY_NAMES.includes(entry.name) && entry.params.length === 0) return { kind: 'debugger-default' };
  return { kind: 'only', func: entry };
}

/**
 * Binds each module the program imports, directly or through the modules found, to the file beside
 * it named after it (`math` -> `math.wat`, else `math.wasm`). Host modules and names without such a
 * file are left out: the debugger provides the former and reports the latter when it links.
 */
export async function siblingImports(program: string, programModule: Module): Promise<Record<string, string>> {
  const dir = path.dirname(program);
  const imports: Record<string, string> = {};
  const pending: Module[] = [programModule];
  while (pending.length > 0) {
    const module = pending.pop()!;
    for (const name of new Set(module.imports.map((i) => i.module))) {
      if (HOST_MODULE_NAMES.includes(name) || name in imports) continue;
      const file = ['.wat', '.wasm'].map((ext) => path.join(dir, name + ext)).find((f) => fs.existsSync(f));
      if (!file || path.resolve(file) === path.resolve(program)) continue;
      imports[name] = file;
      pending.push(await readModule(file));
    }
  }
  return imports;
}

/**
 * Splits what the user typed as arguments ("10, 0x20 -1.5") into the literals the launch takes;
 * returns a message when the count does not match the parameters.
 */
export function parseArguments(text: string, func: ExportedFunction): { args: string[] } | { error: string } {
  const args = text.split(/[\s,]+/).filter((a) => a !== '');
  if (args.length !== func.params.length) {
    const wanted = func.params.length === 1 ? '1 argument' : `${func.params.length} arguments`;
    return { error: `${func.name} takes ${wanted} (${func.params.join(' ')}), got ${args.length}` };
  }
  return { args };
}
