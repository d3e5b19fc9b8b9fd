// Running a loaded program to its end without a debugger attached (the CLI's `run`, tests):
// the entry function returns values, the program exits through WASI's proc_exit, or it traps —
// and then the wasm call stack at the trap is reported, innermost frame first, with each frame's
// instance name and, for text modules, the file:line:column of the instruction.

import { UncaughtException, type FuncInst, type Trap, type Value } from '../engine/index';
import { HostTrap } from '../host/unresolved';
import { ProcExit } from '../host/wasi';
import type { Program } from './launch';

export interface StackEntry {
  /** The instance's human name, or null for host code. */
  instance: string | null;
  /** The function's name as the engine reports it. */
  func: string;
  /** Byte offset of the current instruction in its module's binary. */
  offset: number;
  /** Where that instruction is in the text, when the module came from text. */
  location: { file: string; line: number; column: number } | null;
}

export type Outcome =
  | { kind: 'returned'; values: Value[] }
  | { kind: 'exited'; code: number }
  /** `heading` says what ended the run: `trap: <message>`, or `uncaught exception <tag>(<payload>)`. */
  | { kind: 'trapped'; message: string; heading: string; stack: StackEntry[] };

/** Instructions run between checks of the execution's state; any positive number works. */
const SLICE = 10_000_000;

export function runProgram(program: Program): Outcome {
  const { store, entry } = program;
  const execution = store.begin(entry.func, entry.args);
  for (;;) {
    const result = execution.run(SLICE);
    if (result.status === 'done') return { kind: 'returned', values: result.results };
    if (result.status === 'paused') continue;
    const exit = exitCodeOf(program, result.trap);
    if (exit !== null) {
      execution.unwind();
      return { kind: 'exited', code: exit };
    }
    // A trap raised in a host function: the engine unwound its frame, the trap remembers it.
    const stack: StackEntry[] = result.trap instanceof HostTrap ? [{ instance: null, func: result.trap.func.name, offset: -1, location: null }] : [];
    for (let h = execution.callStack.height - 1; h >= 0; h--) {
      const frame = execution.frame(h);
      stack.push(stackEntry(program, frame.func, frame.offset));
    }
    execution.unwind();
    const heading = result.trap instanceof UncaughtException ? result.trap.message : `trap: ${result.trap.message}`;
    return { kind: 'trapped', message: result.trap.message, heading, stack };
  }
}

/** The exit code when the trap is WASI's proc_exit ending the program, else null. */
export function exitCodeOf(program: Pick<Program, 'wasi'>, trap: Trap): number | null {
  if (trap instanceof ProcExit) return trap.code;
  return program.wasi.exitCode;
}

export function stackEntry(program: Program, func: FuncInst, offset: number): StackEntry {
  const owner = program.instanceOf(func);
  let location: StackEntry['location'] = null;
  if (owner) {
    try {
      location = owner.sourceMap()?.location(func.index, offset) ?? null;
    } catch {
      // A module whose text the source map cannot pair is still reported, by byte offset.
      location = null;
    }
  }
  return { instance: owner?.name ?? null, func: func.name, offset, location };
}

/** `app!main at /path/app.wat:12:5`, `math!divide at offset 0x4a` for a binary module, `[host] console.log_i32`. */
export function formatStackEntry(entry: StackEntry): string {
  if (entry.instance === null) return `[host] ${entry.func}`;
  const where = entry.location
    ? `${entry.location.file}:${entry.location.line}:${entry.location.column}`
    : `offset 0x${entry.offset.toString(16)}`;
  return `${entry.instance ?? 'host'}!${entry.func} at ${where}`;
}
