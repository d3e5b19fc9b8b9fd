// The source map between a text module and its binary: every instruction of every function
// (function index, byte offset) <-> `file:line:column` of its token, as the assembler recorded them
// while emitting the binary. `pairModule` builds the same map independently, by pairing the
// instructions read from the text with the decoded ones, for `--check-positions`.

import { Instr, Module, importCount, instructionNames, opcodeName, transientFuncCode } from '../engine';
import { Position, TEXT_START } from './sexpr';
import type { ScriptModule } from './wast';
import type { TextFunction, TextModule } from './watFunctions';
import { takeAssembly } from './assemble';
import type { Assembled } from './wat';

export interface InstrPosition {
  /** Index in the module's function index space (imports first). */
  funcIndex: number;
  /** Byte offset of the instruction in the module binary. */
  offset: number;
}

export interface MappedInstr extends InstrPosition {
  /** The instruction's name (`i32.add`, `end`, ...). */
  name: string;
  /** Its place in its function's body: `functions[funcIndex].instrs[index]`, and the same index in the decoded body. */
  index: number;
  line: number;
  column: number;
}

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface MappedFunction {
  funcIndex: number;
  /** The `$name` the text gives the function, or null. */
  name: string | null;
  imported: boolean;
  /** The function's `(func` (or `(import`) and its closing parenthesis. */
  start: { line: number; column: number };
  end: { line: number; column: number };
  /** Its instructions in binary order, the final `end` included; empty for imports. */
  instrs: MappedInstr[];
}

/** A place where the text and the binary of one module disagree. */
export interface PositionMismatch {
  file: string;
  position: Position;
  /** The function it concerns, or null for the module as a whole (function counts). */
  funcIndex: number | null;
  /** `file:line:column: ...` */
  message: string;
}

export class SourceMapError extends Error {
  constructor(readonly mismatch: PositionMismatch) {
    super(mismatch.message);
    this.name = 'SourceMapError';
  }
}

export class SourceMap {
  /** `functions[funcIndex]` describes function `funcIndex` (imports first, without instructions). */
  readonly functions: MappedFunction[];
  private readonly byOffset = new Map<number, MappedInstr>();
  private readonly byLine = new Map<number, MappedInstr[]>();
  /** Lines holding at least one instruction, ascending. */
  readonly lines: number[];

  constructor(
    readonly file: string,
    functions: MappedFunction[],
  ) {
    this.functions = functions;
    for (const fn of functions) {
      for (const instr of fn.instrs) {
        this.byOffset.set(instr.offset, instr);
        const onLine = this.byLine.get(instr.line);
        if (onLine) onLine.push(instr);
        else this.byLine.set(instr.line, [instr]);
      }
    }
    this.lines = [...this.byLine.keys()].sort((a, b) => a - b);
  }

  /** The text position of the instruction at `offset` in function `funcIndex`. */
  location(funcIndex: number, offset: number): SourceLocation | undefined {
    const instr = this.byOffset.get(offset);
    if (!instr || instr.funcIndex !== funcIndex) return undefined;
    return { file: this.file, line: instr.line, column: instr.column };
  }

  /** The mapped instruction at `offset` in function `funcIndex`. */
  instructionAt(funcIndex: number, offset: number): MappedInstr | undefined {
    const instr = this.byOffset.get(offset);
    return instr && instr.funcIndex === funcIndex ? instr : undefined;
  }

  /**
   * The instructions whose token starts on `line` (and at `column`, when given), in binary order
   * (by function, then offset). Empty when none does.
   */
  instructionsAt(line: number, column?: number): MappedInstr[] {
    const onLine = this.byLine.get(line) ?? [];
    return column === undefined ? [...onLine] : onLine.filter((i) => i.column === column);
  }

  /** The columns of `line` where an instruction starts, ascending and distinct. */
  columnsWithCode(line: number): number[] {
    const columns = new Set((this.byLine.get(line) ?? []).map((i) => i.column));
    return [...columns].sort((a, b) => a - b);
  }

  /** The first line at or after `line` where an instruction starts (to move a breakpoint there). */
  nearestLineWithCode(line: number): number | undefined {
    let lo = 0;
    let hi = this.lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.lines[mid] < line) lo = mid + 1;
      else hi = mid;
    }
    return this.lines[lo];
  }

  /** The function whose text spans `line` (from its `(func` to its closing parenthesis). */
  functionAtLine(line: number): MappedFunction | undefined {
    return this.functions.find((f) => f.start.line <= line && line <= f.end.line);
  }
}

/** The result of pairing a text module with its decoded binary. */
export interface Pairing {
  functions: MappedFunction[];
  mismatches: PositionMismatch[];
}

/** Pairs every function of `text` with `module`, collecting every disagreement. */
export function pairModule(text: TextModule, module: Module): Pairing {
  const mismatches: PositionMismatch[] = [];
  const report = (position: Position, funcIndex: number | null, reason: string) =>
    mismatches.push({
      file: text.file,
      position,
      funcIndex,
      message: `${text.file}:${position.line}:${position.column}: ${reason}`,
    });

  const binaryImports = importCount(module, 'func');
  const textDefined = text.functions.length - text.importedFuncCount;
  if (text.importedFuncCount !== binaryImports || textDefined !== module.funcs.length) {
    report(
      text.start,
      null,
      `text and binary disagree: the text has ${plural(text.importedFuncCount, 'imported function')} and ` +
        `${plural(textDefined, 'defined function')}, the binary ${binaryImports} and ${module.funcs.length}`,
    );
    return { functions: [], mismatches };
  }

  const functions = text.functions.map((fn): MappedFunction => {
    const mapped: MappedFunction = {
      funcIndex: fn.funcIndex,
      name: fn.name,
      imported: fn.imported,
      start: { line: fn.start.line, column: fn.start.column },
      end: { line: fn.end.line, column: fn.end.column },
      instrs: [],
    };
    if (fn.imported) return mapped;
    // One pass over every body: decoded for it, not kept in the module.
    mapped.instrs = pairFunction(fn, transientFuncCode(module, fn.funcIndex - binaryImports).body, report);
    return mapped;
  });
  return { functions, mismatches };
}

type Report = (position: Position, funcIndex: number | null, reason: string) => void;

/** Pairs one function's text instructions with its decoded body; stops at the first disagreement. */
function pairFunction(fn: TextFunction, body: Instr[], report: Report): MappedInstr[] {
  const what = `function ${fn.funcIndex}${fn.name ? ` (${fn.name})` : ''}`;
  const out: MappedInstr[] = [];
  let t = 0;
  let b = 0;
  while (t < fn.instrs.length && b < body.length) {
    const textInstr = fn.instrs[t];
    const binaryInstr = body[b];
    const binaryName = opcodeName(binaryInstr.op);
    if (textInstr.name === binaryName) {
      out.push({
        funcIndex: fn.funcIndex,
        offset: binaryInstr.offset,
        name: binaryName,
        index: out.length,
        line: textInstr.position.line,
        column: textInstr.position.column,
      });
      t++;
      b++;
    } else if (textInstr.optional) {
      t++;
    } else {
      report(
        textInstr.position,
        fn.funcIndex,
        `text and binary disagree in ${what}: the text has ${textInstr.name} where the binary has ` +
          `${binaryName} (instruction ${b + 1}, byte 0x${binaryInstr.offset.toString(16)})`,
      );
      return out;
    }
  }
  while (t < fn.instrs.length && fn.instrs[t].optional) t++;
  if (t < fn.instrs.length) {
    report(
      fn.instrs[t].position,
      fn.funcIndex,
      `text and binary disagree in ${what}: the binary has ${plural(body.length, 'instruction')}, ` +
        `the text has ${fn.instrs[t].name} after them`,
    );
  } else if (b < body.length) {
    report(
      fn.end,
      fn.funcIndex,
      `text and binary disagree in ${what}: the text ends after ${plural(t, 'instruction')}, ` +
        `the binary has ${body.length} (next: ${opcodeName(body[b].op)} at byte 0x${body[b].offset.toString(16)})`,
    );
  }
  return out;
}

/** `1 function`, `2 functions`; `many` for nouns with another plural (`mismatches`). */
export function plural(n: number, noun: string, many = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : many}`;
}

/** The source map of what the assembler emitted: every instruction's offset beside its token's position. */
export function sourceMapOfAssembly(file: string, assembled: Assembled): SourceMap {
  return new SourceMap(file, mappedFunctions(assembled));
}

/** The assembler's record of a module as the source map's functions. */
export function mappedFunctions(assembled: Assembled): MappedFunction[] {
  return assembled.functions.map((fn) => ({
    funcIndex: fn.funcIndex,
    name: fn.name,
    imported: fn.imported,
    start: { line: fn.start.line, column: fn.start.column },
    end: { line: fn.end.line, column: fn.end.column },
    instrs: fn.instrs.map((instr, index) => ({ funcIndex: fn.funcIndex, offset: instr.offset, name: instr.name, index, line: instr.line, column: instr.column })),
  }));
}

/**
 * The source map of a module's text (one `(module ...)`, or bare module fields) whose binary
 * decoded to `module`: the positions the assembler recorded for each instruction it emitted.
 * `origin` is where `text` starts in `file` when it is a slice of it (a module command of a `.wast`
 * script), so positions are those of the file. Throws AssembleError for text it cannot read,
 * SourceMapError when the text does not assemble to `module`'s functions; both messages start with
 * `file:line:column`.
 */
export function sourceMapForText(text: string, file: string, module: Module, origin: Position = TEXT_START): SourceMap {
  const assembled = takeAssembly(module, text, file, { base: origin });
  const defined = assembled.functions.filter((f) => !f.imported).length;
  if (defined !== module.funcs.length || assembled.functions.length - defined !== importCount(module, 'func')) {
    throw new SourceMapError({
      file,
      position: origin,
      funcIndex: null,
      message: `${file}:${origin.line}:${origin.column}: the text does not assemble to this binary: it has ${plural(defined, 'defined function')}, the binary ${module.funcs.length}`,
    });
  }
  return sourceMapOfAssembly(file, assembled);
}

/**
 * The source map of a module command of a `.wast` script, in the script's positions; null for
 * `(module binary ...)` and `(module quote ...)`, whose instructions have no place in the script
 * (show them as generated text).
 */
export function sourceMapForScriptModule(scriptModule: ScriptModule, file: string, module: Module): SourceMap | null {
  const source = scriptModule.source;
  return source.kind === 'text' ? sourceMapForText(source.text, file, module, source.start) : null;
}
