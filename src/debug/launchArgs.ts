// The launch configuration a user writes in launch.json, checked before anything runs: every
// problem names the argument (`imports.math`, `args[1]`, ...) so the user knows what to fix.

import * as fs from 'fs';
import * as path from 'path';
import { UNRESOLVED_IMPORTS, type UnresolvedImports } from '../program/unresolvedImports';
import { TIER_MODES, type TierMode } from '../engine/tier/modes';

/** What launch.json may hold (as VS Code sends it, before checking). */
export interface WatLaunchArguments {
  program?: unknown;
  imports?: unknown;
  invoke?: unknown;
  args?: unknown;
  stopOnEntry?: unknown;
  cwd?: unknown;
  env?: unknown;
  programArgs?: unknown;
  stdin?: unknown;
  maxCallDepth?: unknown;
  unresolvedImports?: unknown;
  record?: unknown;
  recordingBudget?: unknown;
  compiledTier?: unknown;
  trace?: unknown;
  noDebug?: unknown;
}

export type ProgramKind = 'wat' | 'wasm' | 'wast' | 'js';

/** A checked launch configuration; all paths absolute. */
export interface LaunchConfig {
  program: string;
  kind: ProgramKind;
  /** Import-module name -> absolute file path, in the order written. */
  imports: Map<string, string>;
  /** The export to call (.wat/.wasm); null: let the program decide (`_start`, or the only export). */
  invoke: string | null;
  /** Arguments for the invoked function, as written (numbers, or strings such as "0x10", "nan:0x1", "-1"). */
  args: (number | string | boolean)[];
  stopOnEntry: boolean;
  cwd: string;
  env: Record<string, string>;
  /**
   * The WASI command line after the program name; undefined when not given (then `args` of an
   * entry without parameters, such as `_start`, are the command line).
   */
  programArgs: string[] | undefined;
  /** What the program reads from standard input (WASI); empty when not given. */
  stdin: string;
  maxCallDepth: number | undefined;
  /** What a function import nothing provides becomes: a launch error, or a stub that traps when called. */
  unresolvedImports: UnresolvedImports;
  /** Record the run so it can go backwards (on unless turned off; never without debugging). */
  record: boolean;
  /** Most memory the recording's checkpoints may hold, in bytes. */
  recordingBudget: number;
  /** The compiled tier: off, hot functions, or every function; null: the WAT_TIER environment variable, else hot functions. */
  compiledTier: TierMode | null;
  trace: boolean;
  noDebug: boolean;
}

/** Megabytes the checkpoints of a recording may hold unless `recordingBudget` says otherwise. */
export const DEFAULT_RECORDING_BUDGET_MB = 256;


export class LaunchArgError extends Error {
  constructor(
    /** The argument at fault, e.g. `program`, `imports.math`, `args[1]`. */
    readonly argument: string,
    reason: string,
  ) {
    super(`launch argument '${argument}': ${reason}`);
    this.name = 'LaunchArgError';
  }
}

const KINDS: Record<string, ProgramKind> = { '.wat': 'wat', '.wasm': 'wasm', '.wast': 'wast', '.js': 'js', '.mjs': 'js', '.cjs': 'js' };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value as an error message quotes it: `"x"`, `number 42`, `an object`, `null`. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

function existingFile(argument: string, value: string, base: string): string {
  const file = path.resolve(base, value);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new LaunchArgError(argument, `file not found: ${file}`);
  }
  if (!stat.isFile()) throw new LaunchArgError(argument, `not a file: ${file}`);
  return file;
}

/** Checks the arguments of a `launch` request; throws LaunchArgError naming the first bad one. */
export function checkLaunchArgs(raw: WatLaunchArguments): LaunchConfig {
  const optionalBoolean = (name: keyof WatLaunchArguments, fallback = false): boolean => {
    const v = raw[name];
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') throw new LaunchArgError(name, `expected true or false, got ${describeValue(v)}`);
    return v;
  };
  /** A whole number from 1 to `max`, or undefined when not given; `what` words it in the error (`a whole number of megabytes`). */
  const optionalCount = (name: keyof WatLaunchArguments, max: number, what = 'a whole number'): number | undefined => {
    const v = raw[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) throw new LaunchArgError(name, `expected ${what} from 1 to ${max}, got ${describeValue(v)}`);
    return v;
  };

  // cwd first: relative paths are resolved against it.
  let cwd: string;
  if (raw.cwd === undefined) {
    cwd = '';
  } else {
    if (typeof raw.cwd !== 'string' || raw.cwd === '') throw new LaunchArgError('cwd', `expected a directory path, got ${describeValue(raw.cwd)}`);
    cwd = path.resolve(raw.cwd);
    if (!fs.existsSync(cwd) || !fs.statSync(cwd).isDirectory()) throw new LaunchArgError('cwd', `directory not found: ${cwd}`);
  }

  if (raw.program === undefined) throw new LaunchArgError('program', 'missing: give the .wat, .wasm or .wast file to run');
  if (typeof raw.program !== 'string' || raw.program === '') throw new LaunchArgError('program', `expected a file path, got ${describeValue(raw.program)}`);
  const program = existingFile('program', raw.program, cwd || process.cwd());
  const kind = KINDS[path.extname(program).toLowerCase()];
  if (!kind) throw new LaunchArgError('program', `expected a .wat, .wasm, .wast or JavaScript (.js, .mjs, .cjs) file, got ${path.basename(program)}`);
  if (!cwd) cwd = path.dirname(program);

  const imports = new Map<string, string>();
  if (raw.imports !== undefined) {
    if (!isPlainObject(raw.imports)) throw new LaunchArgError('imports', `expected an object mapping import-module names to files, got ${describeValue(raw.imports)}`);
    for (const [name, file] of Object.entries(raw.imports)) {
      const argument = `imports.${name}`;
      if (typeof file !== 'string' || file === '') throw new LaunchArgError(argument, `expected a file path, got ${describeValue(file)}`);
      const resolved = existingFile(argument, file, cwd);
      const importKind = KINDS[path.extname(resolved).toLowerCase()];
      if (importKind !== 'wat' && importKind !== 'wasm') {
        throw new LaunchArgError(argument, `expected a .wat or .wasm module, got ${path.basename(resolved)}`);
      }
      imports.set(name, resolved);
    }
  }
  if (kind === 'js' && imports.size > 0) throw new LaunchArgError('imports', 'a JavaScript program loads its own modules; remove imports');
  if (kind === 'wast' && imports.size > 0) {
    throw new LaunchArgError('imports', 'a .wast script makes its own modules; use (register ...) in the script instead');
  }

  let invoke: string | null = null;
  if (raw.invoke !== undefined) {
    if (typeof raw.invoke !== 'string' || raw.invoke === '') throw new LaunchArgError('invoke', `expected the name of an exported function, got ${describeValue(raw.invoke)}`);
    if (kind === 'wast') throw new LaunchArgError('invoke', 'a .wast script runs its own commands; remove invoke');
    if (kind === 'js') throw new LaunchArgError('invoke', 'a JavaScript program calls its wasm itself; remove invoke');
    invoke = raw.invoke;
  }

  let args: (number | string | boolean)[] = [];
  if (raw.args !== undefined) {
    if (!Array.isArray(raw.args)) throw new LaunchArgError('args', `expected an array of arguments, got ${describeValue(raw.args)}`);
    raw.args.forEach((a, i) => {
      if (typeof a !== 'number' && typeof a !== 'string' && typeof a !== 'boolean') {
        throw new LaunchArgError(`args[${i}]`, `expected a number or a string such as "0x10" or "9223372036854775807", got ${describeValue(a)}`);
      }
    });
    if (kind === 'wast' && raw.args.length > 0) throw new LaunchArgError('args', 'a .wast script gives its own arguments; remove args');
    if (kind === 'js') raw.args.forEach((a, i) => {
      if (typeof a !== 'string') throw new LaunchArgError(`args[${i}]`, `a JavaScript program's command-line arguments are strings, got ${describeValue(a)}`);
    });
    args = raw.args as (number | string | boolean)[];
  }

  const env: Record<string, string> = {};
  if (raw.env !== undefined) {
    if (!isPlainObject(raw.env)) throw new LaunchArgError('env', `expected an object of environment variables, got ${describeValue(raw.env)}`);
    for (const [name, value] of Object.entries(raw.env)) {
      if (typeof value !== 'string') throw new LaunchArgError(`env.${name}`, `expected a string, got ${describeValue(value)}`);
      if (name === '' || name.includes('=')) throw new LaunchArgError(`env.${name}`, 'an environment variable name must be non-empty and without "="');
      env[name] = value;
    }
  }

  let programArgs: string[] | undefined;
  if (raw.programArgs !== undefined) {
    if (!Array.isArray(raw.programArgs)) throw new LaunchArgError('programArgs', `expected an array of strings, got ${describeValue(raw.programArgs)}`);
    raw.programArgs.forEach((a, i) => {
      if (typeof a !== 'string') throw new LaunchArgError(`programArgs[${i}]`, `expected a string, got ${describeValue(a)}`);
    });
    programArgs = raw.programArgs as string[];
    if (programArgs.length > 0 && kind === 'wast') throw new LaunchArgError('programArgs', 'a .wast script has no command line; remove programArgs');
    if (kind === 'js') throw new LaunchArgError('programArgs', 'a JavaScript program takes its command line from args; remove programArgs');
  }

  if (raw.stdin !== undefined && typeof raw.stdin !== 'string') throw new LaunchArgError('stdin', `expected a string, got ${describeValue(raw.stdin)}`);
  if (raw.stdin !== undefined && kind === 'wast') throw new LaunchArgError('stdin', 'a .wast script reads no standard input; remove stdin');
  if (raw.stdin !== undefined && kind === 'js') throw new LaunchArgError('stdin', 'a JavaScript program reads no standard input under the debugger; remove stdin');

  const maxCallDepth = optionalCount('maxCallDepth', 100_000_000);

  let unresolvedImports: UnresolvedImports = 'error';
  if (raw.unresolvedImports !== undefined) {
    const u = raw.unresolvedImports;
    if (!UNRESOLVED_IMPORTS.includes(u as UnresolvedImports)) {
      throw new LaunchArgError('unresolvedImports', `expected ${UNRESOLVED_IMPORTS.map((v) => `"${v}"`).join(' or ')}, got ${describeValue(u)}`);
    }
    if (kind === 'wast' || kind === 'js') throw new LaunchArgError('unresolvedImports', `a ${kind === 'js' ? 'JavaScript program' : '.wast script'} links its own modules; remove unresolvedImports`);
    unresolvedImports = u as UnresolvedImports;
  }

  let compiledTier: TierMode | null = null;
  if (raw.compiledTier !== undefined) {
    if (!TIER_MODES.includes(raw.compiledTier as TierMode)) {
      throw new LaunchArgError('compiledTier', `expected ${TIER_MODES.map((v) => `"${v}"`).join(', ')}, got ${describeValue(raw.compiledTier)}`);
    }
    compiledTier = raw.compiledTier as TierMode;
  }

  if (kind === 'js' && raw.record === true) throw new LaunchArgError('record', "a JavaScript program's run cannot be recorded (its JavaScript cannot be replayed); remove record");
  const recordingBudget = optionalCount('recordingBudget', 65536, 'a whole number of megabytes') ?? DEFAULT_RECORDING_BUDGET_MB;

  return {
    program,
    kind,
    imports,
    invoke,
    args,
    stopOnEntry: optionalBoolean('stopOnEntry'),
    cwd,
    env,
    programArgs,
    stdin: (raw.stdin as string | undefined) ?? '',
    maxCallDepth,
    unresolvedImports,
    // A JavaScript program's run cannot be replayed: its JavaScript would run again.
    record: optionalBoolean('record', kind !== 'js') && !optionalBoolean('noDebug') && kind !== 'js',
    recordingBudget: recordingBudget * 1024 * 1024,
    compiledTier,
    trace: optionalBoolean('trace'),
    noDebug: optionalBoolean('noDebug'),
  };
}
