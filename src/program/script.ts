// Runs `.wast` scripts against the engine: modules are assembled (text) or taken as given (binary),
// loaded (decoded + validated) and instantiated; actions call exports; assertions compare results
// exactly (floats by bits, NaNs by class) and traps by message prefix, as the reference interpreter does.
//
// Parsing (src/text/wast.ts) and executing are separate, and so are the steps of one command, so the
// debugger can run a script's invocations under its own control: `actionCall` gives the function and
// arguments, the debugger runs them, and `judge` decides whether the assertion held. Likewise a
// module's start function (`runStarts: false`, then `startEnded`).

import * as fs from 'fs';
import * as path from 'path';
import {
  DecodeError,
  Instance,
  LinkError,
  Store,
  Trap,
  UncaughtException,
  ValidationError,
  formatConst,
  instantiate,
  invoke,
  loadModule,
  type ExternVal,
  type Edition,
  FuncInst,
  GcArray,
  GcStruct,
  HostAsAny,
  isRefType,
  BranchHints,
  refParts,
  type Import,
  type Module,
  type Value,
} from '../engine/index';
import type { HostModule, OutputSink } from '../host/hostModule';
import { createSpectest } from '../host/spectest';
import { AssembleError } from '../text/assemble';
import { scriptEdition } from './editions';
import { TextValidationError, loadTextModule } from '../text/loadText';
import { checkModulePositions, type PositionTally } from '../text/positionCheck';
import { TextSyntaxError, type Position } from '../text/sexpr';
import { ExternRef, parseScript, shapeInfo, type Action, type Command, type ResultPattern, type Script, type ScriptModule } from '../text/wast';

/** What became of one command. `at` overrides the command's position (e.g. an assembler error inside a module). */
export type CommandOutcome =
  | { status: 'passed' }
  | { status: 'failed'; message: string; at?: Position }
  | { status: 'skipped'; reason: string };

/** The result of running an action: values, or the error it threw (a Trap, normally). */
export type ActionResult = { kind: 'returned'; values: Value[] } | { kind: 'threw'; error: unknown };

export interface ScriptFailure {
  line: number;
  column: number;
  message: string;
}

export interface ScriptReport {
  file: string;
  passed: number;
  failed: number;
  skipped: number;
  failures: ScriptFailure[];
  /** Why commands were skipped, each reason once, in order of appearance. */
  skipReasons: string[];
}

/** A module the script loaded, with where it came from: for breakpoints and the source map. */
export interface LoadedModule {
  source: ScriptModule;
  module: Module;
  instance: Instance;
  /** Its start function when the runner left it to the caller to run (see `runStarts`), else null. */
  start: FuncInst | null;
}

export interface ScriptRunnerOptions {
  /** Where spectest's print functions write; discarded by default. */
  output?: OutputSink;
  /** The store to run in; a fresh one by default. */
  store?: Store;
  /** When set, every text module that loads is checked against its source map (`--check-positions`). */
  positions?: PositionTally;
  /**
   * Whether a `module` command runs its module's start function (true by default). A debugger sets
   * false to run each start itself, then reports how it ended through `startEnded`. Modules of
   * assertions (assert_uninstantiable...) always run theirs: the assertion is about that run.
   */
  runStarts?: boolean;
  /** The rules modules are decoded and validated by; by default the script's own (editions.ts). */
  edition?: Edition;
}

/** An error in running a command that is not an assertion failure (unknown module, missing export...). */
export class ScriptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScriptError';
  }
}

/** Marks the module slot of a script whose module was skipped or failed, so later commands say why. */
interface Unavailable {
  unavailable: CommandOutcome & { status: 'failed' | 'skipped' };
}

type Slot = Instance | Unavailable;

const discard: OutputSink = { stdout: () => {}, stderr: () => {} };

export class ScriptRunner {
  readonly store: Store;
  /** Every module instantiated so far, in order. */
  readonly loaded: LoadedModule[] = [];
  private readonly positions: PositionTally | undefined;
  private readonly runStarts: boolean;
  /** The edition of WebAssembly's rules this script's modules are checked by. */
  readonly edition: Edition;
  private current: Slot | null = null;
  private readonly named = new Map<string, Slot>();
  private readonly registry = new Map<string, Instance | HostModule>();
  /** Modules of `module definition` commands by name (null: the latest one). */
  private readonly definitions = new Map<string | null, { module: Module; source: ScriptModule }>();
  /** Modules of `module` commands loaded ahead of their command (see `preload`). */
  private readonly preloaded = new Map<ScriptModule, Promise<Module>>();

  constructor(
    readonly script: Script,
    options: ScriptRunnerOptions = {},
  ) {
    this.store = options.store ?? new Store();
    this.positions = options.positions;
    this.runStarts = options.runStarts ?? true;
    this.edition = options.edition ?? scriptEdition(script.file);
    const spectest = createSpectest(options.output ?? discard);
    this.registry.set(spectest.name, spectest);
  }

  /** Runs one command of the script. Never throws for problems of the script or the program. */
  async run(command: Command): Promise<CommandOutcome> {
    try {
      return await this.execute(command);
    } catch (err) {
      return failure(err);
    }
  }

  private async execute(command: Command): Promise<CommandOutcome> {
    switch (command.kind) {
      case 'module':
        return command.module.definition ? this.loadDefinition(command.module) : this.defineModule(command.module);
      case 'module_instance':
        return this.instantiateDefinition(command.instance, command.definition);
      case 'register': {
        const slot = this.slot(command.module);
        if ('unavailable' in slot) return slot.unavailable;
        this.registry.set(command.name, slot);
        return { status: 'passed' };
      }
      case 'action':
      case 'assert_return':
      case 'assert_trap':
      case 'assert_exhaustion':
      case 'assert_exception': {
        const unavailable = this.unavailable(command.action);
        if (unavailable) return unavailable;
        return this.judge(command, this.perform(command.action));
      }
      case 'assert_trap_module':
      case 'assert_uninstantiable':
      case 'assert_unlinkable':
        return this.assertInstantiationFails(command);
      case 'assert_invalid':
      case 'assert_malformed':
        return this.assertRejected(command);
      case 'assert_invalid_custom':
        return this.assertInvalidCustom(command);
    }
  }

  /** Assembles (text) or takes (binary) a script module's bytes, then decodes and validates them. */
  async loadModule(source: ScriptModule): Promise<Module> {
    const { file } = this.script;
    const given = source.source;
    const module =
      given.kind === 'binary'
        ? await loadModule(given.bytes, this.edition)
        : given.kind === 'quote'
          ? await this.loadQuoted(given.text, source.start)
          : await loadTextModule(given.text, file, given.start, this.edition);
    if (this.positions && given.kind === 'text') {
      this.positions.add(checkModulePositions(given.text, file, module, given.start));
    } else if (this.positions && given.kind === 'quote') {
      this.positions.addQuoted();
    }
    return module;
  }

  /**
   * Loads the module of a `module` command before the command runs (a debugger shows its code
   * and verifies breakpoints in it before the script starts); the command then uses this load,
   * or fails with its error when it comes to run.
   */
  preload(source: ScriptModule): Promise<Module> {
    let loading = this.preloaded.get(source);
    if (!loading) {
      loading = this.loadModule(source);
      // The command reports a failure when it runs; until then it is nobody's to handle.
      loading.catch(() => {});
      this.preloaded.set(source, loading);
    }
    return loading;
  }

  /** Quoted text has positions of its own: problems point at the quote module, naming the place in its text. */
  private async loadQuoted(text: string, at: Position): Promise<Module> {
    const inQuote = (line: number, column: number, reason: string) => `in the quoted text at ${line}:${column}: ${reason}`;
    try {
      return await loadTextModule(text, this.script.file, undefined, this.edition);
    } catch (err) {
      if (err instanceof AssembleError) {
        throw new AssembleError(err.problems.map((p) => ({ ...p, line: at.line, column: at.column, reason: inQuote(p.line, p.column, p.reason) })));
      }
      if (err instanceof TextValidationError) {
        const others = err.others.map((p) => (p.at ? { ...p, at, reason: inQuote(p.at.line, p.at.column, p.reason) } : p));
        throw new TextValidationError(err.file, at.line, at.column, err.offset, inQuote(err.line, err.column, err.reason), others);
      }
      throw err;
    }
  }

  /**
   * Instantiates a loaded module, resolving imports from spectest and registered instances; with
   * `runStart` false its start function is left in `loaded` for the caller.
   */
  instantiate(module: Module, source: ScriptModule, runStart = true): Instance {
    const name = source.id ? source.id.slice(1) : `${path.basename(this.script.file)}:${source.start.line}`;
    const instance = instantiate(this.store, module, (imp) => this.resolveImport(imp, module), name, { runStart });
    const start = !runStart && module.start !== null ? instance.funcs[module.start] : null;
    this.loaded.push({ source, module, instance, start });
    return instance;
  }

  /**
   * How a `module` command ended whose start function the caller ran (see `runStarts`): as when the
   * runner runs it, a trap fails the command and leaves the module unavailable to later commands.
   */
  startEnded(loaded: LoadedModule, result: ActionResult): CommandOutcome {
    if (result.kind === 'returned') return { status: 'passed' };
    const slot = failedToLoad(loaded.source);
    if (this.current === loaded.instance) this.current = slot;
    if (loaded.source.id && this.named.get(loaded.source.id) === loaded.instance) this.named.set(loaded.source.id, slot);
    return failure(result.error);
  }

  private resolveImport(imp: Import, importer: Module): ExternVal | undefined {
    const provider = this.registry.get(imp.module);
    if (!provider) return undefined;
    if (provider instanceof Instance) return provider.exports.get(imp.name);
    return provider.resolve(imp, importer);
  }

  /** `(module definition ...)`: loads (decodes and validates) the module for later `module instance` commands. */
  private async loadDefinition(source: ScriptModule): Promise<CommandOutcome> {
    try {
      const module = await (this.preloaded.get(source) ?? this.loadModule(source));
      const entry = { module, source };
      this.definitions.set(null, entry);
      if (source.id) this.definitions.set(source.id, entry);
      return { status: 'passed' };
    } catch (err) {
      return failure(err);
    }
  }

  private async instantiateDefinition(id: string | null, definition: string | null): Promise<CommandOutcome> {
    const found = this.definitions.get(definition);
    if (!found) throw new ScriptError(definition ? `unknown module definition ${definition}` : 'no module definition yet');
    return this.defineModule({ ...found.source, id, definition: false }, found.module);
  }

  private async defineModule(source: ScriptModule, loaded?: Module): Promise<CommandOutcome> {
    let outcome: CommandOutcome;
    let slot: Slot;
    try {
      const module = loaded ?? (await (this.preloaded.get(source) ?? this.loadModule(source)));
      slot = this.instantiate(module, source, this.runStarts);
      outcome = { status: 'passed' };
    } catch (err) {
      outcome = failure(err);
      slot = failedToLoad(source);
    }
    this.current = slot;
    if (source.id) this.named.set(source.id, slot);
    return outcome;
  }

  private slot(id: string | null): Slot {
    if (id === null) {
      if (!this.current) throw new ScriptError('no module defined yet');
      return this.current;
    }
    const slot = this.named.get(id);
    if (!slot) throw new ScriptError(`unknown module ${id}`);
    return slot;
  }

  /**
   * Why an action cannot run (its module was skipped or failed to load), as the outcome to report;
   * null when it can. Check before `actionCall`.
   */
  unavailable(action: Action): CommandOutcome | null {
    const slot = this.slot(action.module);
    if ('unavailable' in slot) return slot.unavailable;
    return null;
  }

  /** The function an `invoke` action calls and its arguments, checked against the function's type. */
  actionCall(action: Action & { kind: 'invoke' }): { func: FuncInst; args: Value[] } {
    const func = this.export(action, 'func').func;
    const params = func.type.params;
    const given = action.args.map((a) => a.type);
    // A reference argument goes to any reference parameter: its value is checked by the engine's call.
    if (given.length !== params.length || given.some((t, i) => t !== params[i] && !(isRefType(t) && isRefType(params[i])))) {
      throw new ScriptError(`"${action.name}" takes (${params.join(' ')}), the script passes (${given.join(' ')})`);
    }
    return { func, args: action.args };
  }

  private export<K extends ExternVal['kind']>(action: Action, kind: K): ExternVal & { kind: K } {
    const slot = this.slot(action.module);
    if ('unavailable' in slot) throw new ScriptError(slot.unavailable.status === 'failed' ? slot.unavailable.message : slot.unavailable.reason);
    const found = slot.exports.get(action.name);
    if (!found) throw new ScriptError(`module ${slot.name} has no export "${action.name}"`);
    if (found.kind !== kind) throw new ScriptError(`export "${action.name}" of module ${slot.name} is a ${found.kind}, not a ${kind}`);
    return found as ExternVal & { kind: K };
  }

  /** Runs an action to completion in this runner's store. */
  perform(action: Action): ActionResult {
    if (action.kind === 'get') return { kind: 'returned', values: [this.export(action, 'global').global.get()] };
    const { func, args } = this.actionCall(action);
    try {
      return { kind: 'returned', values: invoke(this.store, func, args) };
    } catch (error) {
      return { kind: 'threw', error };
    }
  }

  /** Decides whether an action command held, given what its action did. */
  judge(command: Command & { action: Action }, result: ActionResult): CommandOutcome {
    switch (command.kind) {
      case 'action':
        return result.kind === 'returned' ? { status: 'passed' } : { status: 'failed', message: describeError(result.error) };
      case 'assert_return': {
        if (result.kind === 'threw') return { status: 'failed', message: `expected ${formatPatterns(command.expected)}, got ${describeError(result.error)}` };
        const ok = result.values.length === command.expected.length && command.expected.every((p, i) => matches(p, result.values[i]));
        return ok ? { status: 'passed' } : { status: 'failed', message: `expected ${formatPatterns(command.expected)}, got ${formatValues(result.values)}` };
      }
      case 'assert_trap':
      case 'assert_exhaustion': {
        if (result.kind === 'returned') return { status: 'failed', message: `expected trap "${command.message}", got ${formatValues(result.values)}` };
        return trapMatches(result.error, command.message);
      }
      case 'assert_exception': {
        if (result.kind === 'returned') return { status: 'failed', message: `expected an exception, got ${formatValues(result.values)}` };
        if (result.error instanceof UncaughtException) return { status: 'passed' };
        return { status: 'failed', message: `expected an exception, got ${describeError(result.error)}` };
      }
      default:
        throw new ScriptError(`${command.kind} has no action to judge`);
    }
  }

  private async assertInstantiationFails(command: Command & { module: ScriptModule; message: string }): Promise<CommandOutcome> {
    const module = await this.loadModule(command.module);
    try {
      this.instantiate(module, command.module);
    } catch (err) {
      if (command.kind === 'assert_unlinkable') {
        return err instanceof LinkError ? { status: 'passed' } : { status: 'failed', message: `expected a link error "${command.message}", got ${describeError(err)}` };
      }
      return trapMatches(err, command.message);
    }
    const expected = command.kind === 'assert_unlinkable' ? `a link error "${command.message}"` : `trap "${command.message}"`;
    return { status: 'failed', message: `expected ${expected}, but the module instantiated` };
  }

  /** The module must load, and its branch hints section must be reported with the expected reason. */
  private async assertInvalidCustom(command: Command & { kind: 'assert_invalid_custom' }): Promise<CommandOutcome> {
    const module = await this.loadModule(command.module);
    const problems = BranchHints.of(module).allProblems();
    // The suite words it as the text annotation's problem: "@metadata.code.branch_hint annotation: invalid target".
    const reason = command.message.replace(/^@\S+ annotation: /, '');
    if (problems.some((p) => p.includes(`: ${reason}`))) return { status: 'passed' };
    const found = problems.length ? `got: ${problems.join('; ')}` : 'but its custom sections were found sound';
    return { status: 'failed', message: `expected an invalid custom section ("${command.message}"), ${found}` };
  }

  private async assertRejected(command: Command & { kind: 'assert_invalid' | 'assert_malformed'; module: ScriptModule }): Promise<CommandOutcome> {
    const what = command.kind === 'assert_invalid' ? 'an invalid' : 'a malformed';
    try {
      await this.loadModule(command.module);
    } catch (err) {
      // A binary module the spec calls malformed must fail decoding, not only validation.
      if (command.kind === 'assert_malformed' && command.module.source.kind === 'binary' && !(err instanceof DecodeError)) {
        return { status: 'failed', message: `expected a malformed module ("${command.message}"), but it decoded and was rejected by validation: ${describeError(err)}` };
      }
      if (command.kind === 'assert_invalid' && err instanceof ValidationError) return invalidMatches(err, command.message);
      if (err instanceof AssembleError || err instanceof DecodeError || err instanceof ValidationError) return { status: 'passed' };
      throw err;
    }
    return { status: 'failed', message: `expected ${what} module ("${command.message}"), but it was accepted` };
  }
}

/** A failed outcome for an error; a problem in a text module keeps its own position inside the module. */
/** The slot of a module that failed to load or to start. */
function failedToLoad(source: ScriptModule): Unavailable {
  return { unavailable: { status: 'failed', message: `the module at line ${source.start.line} failed to load` } };
}

function failure(err: unknown): CommandOutcome {
  const located = err instanceof AssembleError ? err.first : err instanceof TextValidationError ? err : null;
  if (located) return { status: 'failed', message: located.reason, at: { offset: -1, line: located.line, column: located.column } };
  return { status: 'failed', message: describeError(err) };
}

/** Like the reference interpreter, an invalid module's reason must start with the expected text. */
function invalidMatches(err: ValidationError, expected: string): CommandOutcome {
  const reason = err.reason.replace(QUOTED_PLACE, '');
  if (reason.startsWith(expected)) return { status: 'passed' };
  return { status: 'failed', message: `expected an invalid module ("${expected}"), got: ${describeError(err)}` };
}

/** The place a problem in quoted text is prefixed with (see `loadQuoted`). */
const QUOTED_PLACE = /^in the quoted text at \d+:\d+: /;

function trapMatches(error: unknown, expected: string): CommandOutcome {
  if (error instanceof Trap) {
    // The reference interpreter accepts a trap whose message starts with the expected text.
    return error.message.startsWith(expected) ? { status: 'passed' } : { status: 'failed', message: `expected trap "${expected}", got trap "${error.message}"` };
  }
  return { status: 'failed', message: `expected trap "${expected}", got ${describeError(error)}` };
}

function describeError(err: unknown): string {
  if (err instanceof Trap) return `trap "${err.message}"`;
  if (err instanceof LinkError) return `link error: ${err.message}`;
  if (err instanceof DecodeError) return `malformed module: ${err.message}`;
  if (err instanceof ValidationError) return err.message; // "invalid module at byte ..." or "file:line:column: ..."
  if (err instanceof AssembleError) return err.message;
  if (err instanceof ScriptError) return err.message;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

const F32_CANONICAL = 0x7fc00000;
const F64_CANONICAL = 0x7ff8000000000000n;

/** Whether a result value matches an expected pattern: floats by exact bits, NaNs by class. */
export function matches(pattern: ResultPattern, v: Value): boolean {
  const ref = (v as { value?: unknown }).value;
  switch (pattern.kind) {
    case 'value': {
      const p = pattern.value;
      if (p.type !== v.type) return false;
      switch (p.type) {
        case 'i32':
          return (v as { value: number }).value === p.value;
        case 'i64':
          return (v as { value: bigint }).value === p.value;
        case 'f32':
          return (v as { bits: number }).bits >>> 0 === p.bits;
        case 'f64':
          return BigInt.asUintN(64, (v as { bits: bigint }).bits) === p.bits;
        default:
          return false;
      }
    }
    case 'nan':
      if (v.type !== pattern.type) return false;
      return v.type === 'f32' ? f32NanIs(v.bits, pattern.nan) : f64NanIs((v as { bits: bigint }).bits, pattern.nan);
    case 'v128': {
      if (v.type !== 'v128') return false;
      const { bits, float } = shapeInfo(pattern.shape);
      const view = new DataView(v.bytes.buffer, v.bytes.byteOffset, 16);
      return pattern.lanes.every((lane, n) => {
        const actual =
          bits === 8 ? BigInt(view.getUint8(n)) : bits === 16 ? BigInt(view.getUint16(n * 2, true)) : bits === 32 ? BigInt(view.getUint32(n * 4, true)) : view.getBigUint64(n * 8, true);
        if (lane.kind === 'bits') return actual === lane.bits;
        return float && (bits === 32 ? f32NanIs(Number(actual), lane.nan) : f64NanIs(actual, lane.nan));
      });
    }
    case 'ref.null':
      return isRefType(v.type) && ref === null;
    case 'ref.extern':
      return isRefType(v.type) && ref !== null && !(ref instanceof HostAsAny) && (pattern.id === null || ref === ExternRef.of(pattern.id));
    case 'ref.func':
      return ref instanceof FuncInst;
    case 'ref.host':
      return ref instanceof HostAsAny && (pattern.id === null || ref.value === ExternRef.of(pattern.id));
    case 'ref.i31':
      return typeof ref === 'number' && isRefType(v.type) && (pattern.value === null || ((ref ^ pattern.value) & 0x7fffffff) === 0);
    case 'ref.kind':
      return isRefType(v.type) && refKindIs(pattern.which, (v as { value: unknown }).value);
    case 'either':
      return pattern.options.some((p) => matches(p, v));
  }
}

/** Whether a non-null reference is of the kind a `(ref.struct)`-like pattern names. */
function refKindIs(which: 'struct' | 'array' | 'eq' | 'any' | 'exn', value: unknown): boolean {
  if (value === null || value === undefined) return false;
  switch (which) {
    case 'struct': return value instanceof GcStruct;
    case 'array': return value instanceof GcArray;
    case 'eq': return typeof value === 'number' || value instanceof GcStruct || value instanceof GcArray;
    case 'any': return !(value instanceof FuncInst);
    case 'exn': return !(value instanceof FuncInst) && !(value instanceof GcStruct) && !(value instanceof GcArray) && typeof value !== 'number';
  }
}

function f32NanIs(bits: number, nan: 'canonical' | 'arithmetic'): boolean {
  const magnitude = (bits & 0x7fffffff) >>> 0;
  return nan === 'canonical' ? magnitude === F32_CANONICAL : (magnitude & F32_CANONICAL) === F32_CANONICAL && magnitude !== 0x7f800000;
}

function f64NanIs(bits: bigint, nan: 'canonical' | 'arithmetic'): boolean {
  const magnitude = bits & 0x7fffffffffffffffn;
  return nan === 'canonical' ? magnitude === F64_CANONICAL : (magnitude & F64_CANONICAL) === F64_CANONICAL;
}

function formatPattern(p: ResultPattern): string {
  switch (p.kind) {
    case 'value':
      return formatConst(p.value);
    case 'nan':
      return `(${p.type}.const nan:${p.nan})`;
    case 'v128':
      return `(v128.const ${p.shape} ${p.lanes.map((l) => (l.kind === 'nan' ? `nan:${l.nan}` : `0x${l.bits.toString(16)}`)).join(' ')})`;
    case 'ref.null':
      return `(ref.null ${refParts(p.type)!.heap})`;
    case 'ref.host':
      return p.id === null ? '(ref.host)' : `(ref.host ${p.id})`;
    case 'ref.i31':
      return p.value === null ? '(ref.i31)' : `(ref.i31 ${p.value})`;
    case 'ref.kind':
      return `(ref.${p.which})`;
    case 'ref.extern':
      return p.id === null ? '(ref.extern)' : `(ref.extern ${p.id})`;
    case 'ref.func':
      return '(ref.func)';
    case 'either':
      return `(either ${p.options.map(formatPattern).join(' ')})`;
  }
}

const formatValues = (vs: Value[]) => (vs.length ? vs.map(formatConst).join(' ') : 'no results');
const formatPatterns = (ps: ResultPattern[]) => (ps.length ? ps.map(formatPattern).join(' ') : 'no results');

/** Runs a whole script text; parse errors count as one failure at their position. */
export async function runScriptText(text: string, file: string, options: ScriptRunnerOptions = {}): Promise<ScriptReport> {
  const report: ScriptReport = { file, passed: 0, failed: 0, skipped: 0, failures: [], skipReasons: [] };
  let script: Script;
  try {
    script = parseScript(text, file);
  } catch (err) {
    if (!(err instanceof TextSyntaxError)) throw err;
    report.failed = 1;
    report.failures.push({ line: err.position.line, column: err.position.column, message: err.reason });
    return report;
  }
  const runner = new ScriptRunner(script, options);
  for (const command of script.commands) {
    const outcome = await runner.run(command);
    if (outcome.status === 'passed') report.passed++;
    else if (outcome.status === 'skipped') {
      report.skipped++;
      if (!report.skipReasons.includes(outcome.reason)) report.skipReasons.push(outcome.reason);
    } else {
      report.failed++;
      const at = outcome.at ?? command.start;
      report.failures.push({ line: at.line, column: at.column, message: outcome.message });
    }
  }
  return report;
}

/** Reads and runs one `.wast` file. */
export async function runScriptFile(file: string, options: ScriptRunnerOptions = {}): Promise<ScriptReport> {
  return runScriptText(fs.readFileSync(file, 'utf8'), file, options);
}

/** The `.wast` files of the given paths: files as given, directories recursively (proposals/ included), sorted. */
export function collectScripts(paths: string[]): string[] {
  const out: string[] = [];
  const visit = (p: string, explicit: boolean) => {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (!stat) throw new ScriptError(`${p}: no such file or directory`);
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(p).sort()) visit(path.join(p, entry), false);
    } else if (explicit || p.endsWith('.wast')) {
      out.push(p);
    }
  };
  for (const p of paths) visit(p, true);
  return out;
}

/** Where the WebAssembly spec test suite is, or why there is none to run (a message for "skipped"). */
export type SuiteLocation = { dir: string } | { missing: string };

/**
 * The spec test suite's directory: $WASM_TESTSUITE when set, else ../shared/wasm-testsuite next to
 * the project. A WASM_TESTSUITE that names no directory is reported as such, not silently replaced.
 */
export function locateSuite(env: NodeJS.ProcessEnv = process.env): SuiteLocation {
  const given = env.WASM_TESTSUITE;
  const projectRoot = path.resolve(__dirname, '..', '..', '..');
  const candidate = given || path.resolve(projectRoot, '..', 'shared', 'wasm-testsuite');
  const stat = fs.statSync(candidate, { throwIfNoEntry: false });
  if (stat?.isDirectory()) return { dir: candidate };
  if (given) return { missing: `WASM_TESTSUITE is set to ${given}, which ${stat ? 'is not a directory' : 'does not exist'}` };
  return { missing: `no WebAssembly test suite at ${candidate} (set WASM_TESTSUITE to its directory)` };
}
