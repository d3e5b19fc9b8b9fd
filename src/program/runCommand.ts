// `watdbg run FILE.wat|FILE.wasm|FILE.wast [--invoke NAME] [ARGS...] [--import NAME=FILE]...`:
// runs a program without the debugger. The program's own output (console, WASI) goes to stdout and
// stderr as it happens; then the entry function's results are printed, one per line. A trap prints
// its message and the wasm call stack to stderr and gives status 1; proc_exit's code becomes the
// status; a program that cannot be loaded prints why and gives status 1.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Trap, formatValue } from '../engine/index';
import type { OutputSink } from '../host/hostModule';
import { AssembleError } from '../text/assemble';
import { ProgramError } from './errors';
import { UNRESOLVED_IMPORTS, isScript, loadProgram, type LaunchConfig, type UnresolvedImports } from './launch';
import { formatStackEntry, runProgram, type StackEntry } from './run';
import { runScriptFile } from './script';

export const RUN_USAGE = `usage: watdbg run FILE.wat|FILE.wasm|FILE.wast [--invoke NAME] [ARGS...] [--import NAME=FILE]... [--unresolved-imports=trap]
  --invoke NAME        the export to call (default: _start, else main, else the only exported function)
  --import NAME=FILE   bind import-module NAME to FILE (.wat or .wasm); repeat for each module
  --stdin FILE         what a WASI program reads from standard input
  --env NAME=VALUE     a WASI environment variable; repeat for each
  --max-call-depth N   the call depth at which the program traps with "call stack exhausted"
  --unresolved-imports=trap   a function import nothing provides traps when called, instead of
                       stopping the load (memories, tables and globals must still be provided)
  ARGS                 the function's arguments (42, -1, 0xff, 1.5, nan, inf); for a WASI program
                       whose entry takes none, its command line
  --                   everything after it is an argument, even when it starts with --`;

export interface CommandIO extends OutputSink {
  cwd: string;
}

class UsageError extends Error {}

function parseRunArgs(argv: string[], cwd: string): LaunchConfig {
  let program: string | undefined;
  let invoke: string | undefined;
  let maxCallDepth: number | undefined;
  let stdin: Uint8Array | undefined;
  let unresolvedImports: UnresolvedImports | undefined;
  const imports: Record<string, string> = {};
  const env: Record<string, string> = {};
  const args: string[] = [];
  let onlyArgs = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new UsageError(`${arg} needs a value`);
      return argv[++i];
    };
    const pair = (what: string) => {
      const text = value();
      const eq = text.indexOf('=');
      if (eq <= 0) throw new UsageError(`${arg} expects ${what}, got "${text}"`);
      return [text.slice(0, eq), text.slice(eq + 1)] as const;
    };
    if (onlyArgs || !arg.startsWith('--')) {
      if (program === undefined) program = arg;
      else args.push(arg);
      continue;
    }
    const [option, inline] = arg.startsWith('--unresolved-imports=') ? ['--unresolved-imports', arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    switch (option) {
      case '--unresolved-imports': {
        const mode = inline ?? value();
        if (!UNRESOLVED_IMPORTS.includes(mode as UnresolvedImports)) throw new UsageError(`--unresolved-imports expects ${UNRESOLVED_IMPORTS.join(' or ')}, got "${mode}"`);
        unresolvedImports = mode as UnresolvedImports;
        break;
      }
      case '--':
        onlyArgs = true;
        break;
      case '--invoke':
        invoke = value();
        break;
      case '--import': {
        const [name, file] = pair('NAME=FILE');
        if (name in imports) throw new UsageError(`--import ${name} is given twice`);
        imports[name] = file;
        break;
      }
      case '--env': {
        const [name, v] = pair('NAME=VALUE');
        env[name] = v;
        break;
      }
      case '--stdin': {
        const file = path.resolve(cwd, value());
        try {
          stdin = fs.readFileSync(file);
        } catch (e) {
          throw new UsageError(`--stdin: cannot read ${file}: ${(e as Error).message}`);
        }
        break;
      }
      case '--max-call-depth': {
        const text = value();
        maxCallDepth = Number(text);
        if (!Number.isInteger(maxCallDepth) || maxCallDepth < 1) throw new UsageError(`--max-call-depth expects a positive whole number, got "${text}"`);
        break;
      }
      default:
        throw new UsageError(`unknown option ${arg}`);
    }
  }
  if (program === undefined) throw new UsageError('no program file given');
  return { program, imports, invoke, args, cwd, env, stdin, maxCallDepth, unresolvedImports };
}

/** Runs the `run` subcommand; resolves to the process exit status. */
export async function runCommand(argv: string[], io: CommandIO): Promise<number> {
  let config: LaunchConfig;
  try {
    config = parseRunArgs(argv, io.cwd);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`watdbg run: ${e.message}\n${RUN_USAGE}\n`);
    return 2;
  }
  const file = path.resolve(io.cwd, config.program);
  if (isScript(file)) return runScript(file, config, io);

  const relative = (entry: StackEntry): StackEntry =>
    entry.location ? { ...entry, location: { ...entry.location, file: path.relative(io.cwd, entry.location.file) || entry.location.file } } : entry;
  try {
    const program = await loadProgram({ ...config, output: io });
    const outcome = runProgram(program);
    switch (outcome.kind) {
      case 'returned':
        for (const v of outcome.values) io.stdout(formatValue(v) + '\n');
        return 0;
      case 'exited':
        // Statuses are 0-255; a larger code would wrap to a misleading one (256 -> 0, success).
        return outcome.code <= 255 ? outcome.code : 1;
      case 'trapped':
        io.stderr(`${outcome.heading}\n`);
        for (const line of stackLines(outcome.stack.map((entry) => formatStackEntry(relative(entry))))) io.stderr(`    ${line}\n`);
        return 1;
    }
  } catch (e) {
    if (e instanceof Trap) {
      // Trapped while instantiating: in a start function (or a reactor's _initialize).
      io.stderr(`trap: ${e.message}\n`);
      if (e.funcName) io.stderr(`    in ${e.funcName}, while instantiating\n`);
      return 1;
    }
    if (e instanceof ProgramError || e instanceof AssembleError || isEngineLoadError(e)) {
      io.stderr(`error: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  }
}

/** Identical frames in a row (a recursion) are shown 3 times, then counted; at most 60 lines in all. */
export function stackLines(frames: string[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < frames.length; ) {
    let run = 1;
    while (i + run < frames.length && frames[i + run] === frames[i]) run++;
    for (let k = 0; k < Math.min(run, 3); k++) lines.push(`at ${frames[i]}`);
    if (run > 3) lines.push(`... the frame above ${run - 3} more times`);
    i += run;
  }
  if (lines.length <= 60) return lines;
  return [...lines.slice(0, 40), `... ${lines.length - 50} more lines`, ...lines.slice(-10)];
}

function isEngineLoadError(e: unknown): boolean {
  return e instanceof Error && (e.name === 'LinkError' || e.name === 'DecodeError' || e.name === 'ValidationError');
}

async function runScript(file: string, config: LaunchConfig, io: CommandIO): Promise<number> {
  const extra = [config.invoke !== undefined && '--invoke', Object.keys(config.imports ?? {}).length > 0 && '--import', (config.args ?? []).length > 0 && 'arguments'].filter(Boolean);
  if (extra.length) {
    io.stderr(`watdbg run: a .wast script runs its own commands; remove ${extra.join(', ')}\n`);
    return 2;
  }
  if (!fs.existsSync(file)) {
    io.stderr(`error: cannot read ${file}: no such file\n`);
    return 1;
  }
  const report = await runScriptFile(file, { output: io });
  const shown = path.relative(io.cwd, file) || file;
  for (const f of report.failures) io.stderr(`${shown}:${f.line}:${f.column}: ${f.message}\n`);
  const skipped = report.skipped ? `, ${report.skipped} skipped (${report.skipReasons.join('; ')})` : '';
  io.stdout(`${shown}: ${report.passed} passed, ${report.failed} failed${skipped}\n`);
  return report.failed ? 1 : 0;
}
