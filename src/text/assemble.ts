// Assembles WebAssembly text into a binary with our own assembler (src/text/wat), keeping names
// (for the debugger's frames and variables) and pointing errors at the file the user wrote, also
// when the module is one of many inside a `.wast` script.

import { TextSyntaxError, type Position } from './sexpr';
import type { Module } from '../engine/index';
import { assembleText, type Assembled } from './wat';

export interface AssembleOptions {
  /**
   * Where the text starts in `file` (1-based line and column), for text cut out of a larger file
   * such as a module inside a `.wast` script. Defaults to the start of the file.
   */
  base?: Pick<Position, 'line' | 'column'>;
}

/** One problem the assembler reported, in the original file. */
export interface AssembleProblem {
  file: string;
  line: number;
  column: number;
  reason: string;
}

/** The text was rejected by the assembler; `message` names `file:line:column` of the first problem. */
export class AssembleError extends Error {
  constructor(readonly problems: AssembleProblem[]) {
    super(problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.reason}`).join('\n'));
    this.name = 'AssembleError';
  }
  get first(): AssembleProblem {
    return this.problems[0];
  }
}

/**
 * Text to binary (with a name section) and the text position and byte offset of every
 * instruction. Throws AssembleError for text that is not a well-formed module.
 */
export function assembleWithPositions(text: string, file: string, options: AssembleOptions = {}): Assembled {
  const base = options.base ?? { line: 1, column: 1 };
  try {
    return assembleText(text, file, { offset: 0, line: base.line, column: base.column });
  } catch (err) {
    if (!(err instanceof TextSyntaxError)) throw err;
    throw new AssembleError([{ file, line: err.position.line, column: err.position.column, reason: err.reason }]);
  }
}

/** Text to binary (with a name section). Throws AssembleError for text that is not a well-formed module. */
export async function assembleWat(text: string, file: string, options: AssembleOptions = {}): Promise<Uint8Array> {
  return assembleWithPositions(text, file, options).bytes;
}

/**
 * The assembly a text module was loaded from, kept until its source map takes it, so loading a
 * `.wat` and mapping its positions assemble the text once.
 */
const assemblies = new WeakMap<Module, { text: string; file: string; base: string; assembled: Assembled }>();

export function rememberAssembly(module: Module, text: string, file: string, options: AssembleOptions, assembled: Assembled): void {
  assemblies.set(module, { text, file, base: baseKey(options), assembled });
}

/** The remembered assembly of `module` when it came from this very text (forgotten once taken), else a new one. */
export function takeAssembly(module: Module, text: string, file: string, options: AssembleOptions = {}): Assembled {
  const kept = assemblies.get(module);
  assemblies.delete(module);
  if (kept && kept.text === text && kept.file === file && kept.base === baseKey(options)) return kept.assembled;
  return assembleWithPositions(text, file, options);
}

function baseKey(options: AssembleOptions): string {
  return `${options.base?.line ?? 1}:${options.base?.column ?? 1}`;
}
