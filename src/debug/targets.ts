// What a debug session runs: a module program (an invocation for each start function, then one of
// a reactor's `_initialize`, then one of its entry export) or a .wast script (its commands in order, each `invoke` an invocation the
// debugger runs and the script judges). Both load their modules into units the debugger can set
// breakpoints in.

import * as fs from 'fs';
import * as path from 'path';
import { Store, Trap, type FuncInst, type Instance, type Module, type Value } from '../engine/index';
import type { OutputSink } from '../host/hostModule';
import { loadProgram, type LoadedFile, type LoadingProgram, type Program, type ProgramInstance } from '../program/launch';
import { exitCodeOf } from '../program/run';
import { ScriptRunner, type ActionResult, type CommandOutcome, type LoadedModule } from '../program/script';
import { GeneratedText } from '../text/generatedText';
import { ModuleNames } from '../text/print/names';
import type { SourceMap } from '../text/sourceMap';
import { sourceMapForScriptModule } from '../text/sourceMap';
import { parseScript, type Command, type ScriptModule } from '../text/wast';
import { LaunchArgError, type LaunchConfig } from './launchArgs';
import { ProgramError, type ProgramErrorKind } from '../program/errors';
import type { CodeUnit } from './units';
import { formatValue } from './values';

/** A function call the debugger runs; `finish` hears how it ended. */
export interface Invocation {
  func: FuncInst;
  args: Value[];
  /** `app!main`, or the script command: `assert_return "add_twice"`. */
  label: string;
  /** The script command that makes this call (for the script's own frame), or null. */
  command: { file: string; line: number; column: number; text: string } | null;
  /** Whether a trap or an uncaught exception is what the script expects here (assert_trap / assert_exhaustion / assert_exception). */
  trapExpected: boolean;
  /**
   * The exit code when `error` is the program ending itself (WASI's proc_exit): an exit, not a
   * trap to stop at or report. Null for anything else.
   */
  exitCode(error: unknown): number | null;
  finish(result: ActionResult): void;
}

/** Receives what a target loads, as it loads it. */
export interface TargetHost {
  output: OutputSink;
  /** A module's unit, before any instance of it exists: breakpoints resolve in it, the client hears of its source. */
  addUnit(unit: CodeUnit): void;
  /** A new instance of a unit given to addUnit (the modules event; breakpoints naming the instance). */
  addInstance(unit: CodeUnit, instance: Instance, name: string): void;
  /** A unit with no instance yet (a unit is created before its instance may run a start function). */
  nextUnitId(): number;
  /** Console messages of the debugger itself. */
  console(text: string): void;
}

export interface Target {
  readonly store: Store;
  /** Runs whatever needs no debugging up to the next invocation; null at the end. */
  next(): Promise<Invocation | null>;
  /** The exit code once the target is done (a trap that ended it counts). */
  exitCode(): number;
  /** Why the program ended, for the console (e.g. "example.wast: 14 passed, 1 failed"). */
  summary(): string | null;
}

/** The unit of a module debugged in its own text (`file` with `sourceMap`, or neither). */
export function textUnit(id: number, module: Module, origin: string, label: string, file: string | null, sourceMap: SourceMap | null, span?: { first: number; last: number }): CodeUnit {
  return { id, module, names: ModuleNames.of(module), origin, label, file, sourceMap, instanceNames: [], span };
}

/**
 * The unit of a module without text of its own (a binary): debugged in the documents our printer
 * makes of it on demand, under `base` (`dir/hello.wasm` -> `dir/hello.wasm.wat`, `dir/hello.wasm/NAME.wat`).
 */
export function generatedUnit(id: number, module: Module, origin: string, label: string, base: string): CodeUnit {
  const generated = new GeneratedText(module, base);
  return { id, module, names: generated.names, origin, label, file: generated.overviewFile, sourceMap: null, generated, instanceNames: [] };
}

/** The launch argument to change for each kind of launch failure that one argument can fix. */
const ARGUMENT_AT_FAULT: Partial<Record<ProgramErrorKind, string>> = {
  'no-entry': 'invoke',
  'bad-args': 'args',
  'unbound-import': 'imports',
  'import-cycle': 'imports',
};

/** How far loading a program has got: a start function to run under the debugger, or the end. */
type LoadStep =
  | { kind: 'start'; instance: ProgramInstance; func: FuncInst; settle: (error: unknown | null) => void }
  | { kind: 'loaded'; program: Program }
  | { kind: 'failed'; error: unknown };

/** Ends a load whose start function trapped or exited; the start's invocation has said how. */
class StartEnded extends Error {}

/**
 * A module program: its modules are instantiated in dependency order, each start function an
 * invocation of its own (breakpoints, steps and traps stop in it) that runs before the next module
 * is instantiated, as the spec says; then, for a WASI reactor, one of its `_initialize`; then one
 * invocation of the entry export.
 */
export class ProgramTarget implements Target {
  private done = false;
  /** Whether a reactor's `_initialize` has had its invocation (it runs once, before the entry). */
  private initialized = false;
  private code = 0;
  private ending: string | null = null;
  /** Units by decoded module (instances of one file share one). */
  private readonly units = new Map<Module, CodeUnit>();
  private loading: LoadingProgram | null = null;
  /** The loader's next step; the loader announces it through `announce`. */
  private reached: Promise<LoadStep>;
  private announce: (step: LoadStep) => void = () => {};

  private constructor(private readonly host: TargetHost) {
    this.reached = this.nextStep();
  }

  get store(): Store {
    if (!this.loading) throw new Error('internal: the program has no store before its first instance');
    return this.loading.store;
  }

  /**
   * Loads the program up to its first start function (or to its end): a program that cannot load
   * that far fails the launch; a later failure ends the session when it comes.
   */
  static async load(config: LaunchConfig, host: TargetHost): Promise<ProgramTarget> {
    const target = new ProgramTarget(host);
    const load = loadProgram(
      {
        program: config.program,
        imports: Object.fromEntries(config.imports),
        invoke: config.invoke ?? undefined,
        args: config.args,
        programArgs: config.programArgs,
        cwd: config.cwd,
        env: config.env,
        stdin: config.stdin,
        output: host.output,
        maxCallDepth: config.maxCallDepth,
        unresolvedImports: config.unresolvedImports,
      },
      {
        afterInstance: (instance, start, loading) => target.instantiated(instance, start, loading),
        runInitialize: false,
        // Every file's unit exists before anything runs: breakpoints in them are verified when set.
        afterLoad: async (files) => {
          for (const file of files) await target.addUnit(file);
        },
      },
    );
    load.then(
      (program) => target.announce({ kind: 'loaded', program }),
      (error) => target.announce({ kind: 'failed', error }),
    );
    const first = await target.reached;
    if (first.kind === 'failed') {
      // Name the launch argument that would fix it, as for the arguments checked up front.
      const e = first.error;
      const argument = e instanceof ProgramError ? ARGUMENT_AT_FAULT[e.kind] : undefined;
      if (argument) throw new LaunchArgError(argument, (e as Error).message);
      throw e;
    }
    return target;
  }

  private nextStep(): Promise<LoadStep> {
    return new Promise((resolve) => (this.announce = resolve));
  }

  /** A new instance: register it, then hand its start function to the debugger and wait for it to end. */
  private async instantiated(p: ProgramInstance, start: FuncInst | null, loading: LoadingProgram): Promise<void> {
    this.loading = loading;
    await this.register(p);
    if (!start) return;
    await new Promise<void>((resolve, reject) => {
      this.announce({ kind: 'start', instance: p, func: start, settle: (error) => (error === null ? resolve() : reject(error)) });
    });
  }

  /** Registers an instance of a unit made when the program's files loaded. */
  private async register(p: ProgramInstance): Promise<void> {
    const unit = this.units.get(p.module) ?? this.addUnit(p);
    this.host.addInstance(unit, p.instance, p.name);
  }

  /** The unit of a loaded file: its own text, or the documents generated from a binary. */
  private addUnit(p: LoadedFile): CodeUnit {
    const label = path.basename(p.file);
    let unit: CodeUnit;
    if (p.format === 'wat') {
      let sourceMap: SourceMap | null = null;
      try {
        sourceMap = p.sourceMap();
      } catch (e) {
        this.host.console(`wat-debugger: no source positions for ${p.file}: ${(e as Error).message}\n`);
      }
      unit = textUnit(this.host.nextUnitId(), p.module, p.file, label, p.file, sourceMap);
    } else {
      // A binary: debug it in the documents generated from it.
      unit = generatedUnit(this.host.nextUnitId(), p.module, p.file, label, p.file);
    }
    this.units.set(p.module, unit);
    this.host.addUnit(unit);
    return unit;
  }

  async next(): Promise<Invocation | null> {
    if (this.done) return null;
    const step = await this.reached;
    switch (step.kind) {
      case 'start':
        this.reached = this.nextStep();
        return this.invocation(step.func, [], `${step.instance.name}!${step.func.name}`, (ended) => step.settle(ended ? new StartEnded() : null));
      case 'failed':
        this.done = true;
        if (step.error instanceof StartEnded) return null;
        // A module after the start functions that ran could not be loaded (the session reports why).
        this.code = 1;
        this.ending = null;
        throw step.error;
      case 'loaded': {
        const { entry, main, initialize } = step.program;
        if (initialize && !this.initialized) {
          this.initialized = true;
          // A trap or exit in it ends the program before the entry.
          return this.invocation(initialize, [], `${main.name}!_initialize`, (ended) => (this.done ||= ended));
        }
        this.done = true;
        return this.invocation(entry.func, entry.args, `${main.name}!${entry.exportName}`, () => {});
      }
    }
  }

  /** A call of the program; when it traps or exits, that ends the program. `then` hears whether it did. */
  private invocation(func: FuncInst, args: Value[], label: string, then: (ended: boolean) => void): Invocation {
    const exitCode = (error: unknown) => (error instanceof Trap ? exitCodeOf(this.loading!, error) : null);
    return {
      func,
      args,
      label,
      command: null,
      trapExpected: false,
      exitCode,
      finish: (result) => {
        const code = result.kind === 'threw' ? exitCode(result.error) : null;
        if (result.kind === 'returned') {
          const shown = result.values.map((v) => formatValue(v)).join(' ');
          this.ending = `${label}(${args.map((v) => formatValue(v)).join(', ')}) returned${shown ? ' ' + shown : ' nothing'}`;
          this.code = 0;
        } else if (code !== null) {
          this.code = code;
          this.ending = `${label} exited with code ${this.code}`;
        } else {
          this.code = 1;
          this.ending = `${label} trapped: ${(result.error as Error).message}`;
        }
        then(result.kind === 'threw');
      },
    };
  }

  exitCode(): number {
    return this.code;
  }

  summary(): string | null {
    return this.ending;
  }

}

/**
 * A .wast script: commands in order; modules become units, invocations run under the debugger, and
 * so does the start function of each `module` command (before the next command, as the spec says).
 */
export class ScriptTarget implements Target {
  private index = 0;
  private passed = 0;
  private failed = 0;
  private skipped = 0;
  /** Units by decoded module. */
  private readonly units = new Map<Module, CodeUnit>();

  private constructor(
    private readonly runner: ScriptRunner,
    private readonly host: TargetHost,
  ) {}

  get store(): Store {
    return this.runner.store;
  }

  static async load(config: LaunchConfig, host: TargetHost): Promise<ScriptTarget> {
    const text = fs.readFileSync(config.program, 'utf8');
    const script = parseScript(text, config.program);
    const store = new Store(config.maxCallDepth !== undefined ? { maxCallDepth: config.maxCallDepth } : undefined);
    const target = new ScriptTarget(new ScriptRunner(script, { output: host.output, store, runStarts: false }), host);
    await target.addModuleUnits();
    return target;
  }

  private get file(): string {
    return this.runner.script.file;
  }

  /** The invocation commands, where a breakpoint stops before the script runs them. */
  invocationCommands(): { line: number; column: number; endLine: number }[] {
    return this.runner.script.commands
      .filter((c) => 'action' in c && c.action.kind === 'invoke')
      .map((c) => ({ line: c.start.line, column: c.start.column, endLine: c.end.line }));
  }

  private record(command: Command, outcome: CommandOutcome): void {
    if (outcome.status === 'passed') this.passed++;
    else if (outcome.status === 'skipped') this.skipped++;
    else {
      this.failed++;
      const at = outcome.at ?? command.start;
      this.host.output.stderr(`${this.file}:${at.line}:${at.column}: ${command.kind} failed: ${outcome.message}\n`);
    }
  }

  async next(): Promise<Invocation | null> {
    while (this.index < this.runner.script.commands.length) {
      const command = this.runner.script.commands[this.index++];
      if ((command.kind === 'action' || command.kind === 'assert_return' || command.kind === 'assert_trap' || command.kind === 'assert_exhaustion' || command.kind === 'assert_exception') && command.action.kind === 'invoke') {
        const action = command.action;
        let call: { func: FuncInst; args: Value[] };
        try {
          call = this.runner.actionCall(action);
        } catch (e) {
          this.record(command, { status: 'failed', message: (e as Error).message });
          continue;
        }
        return {
          func: call.func,
          args: call.args,
          label: `${command.kind} "${action.name}"`,
          command: this.scriptFrame(command),
          trapExpected: command.kind === 'assert_trap' || command.kind === 'assert_exhaustion' || command.kind === 'assert_exception',
          // A script has no WASI: nothing in it ends the program.
          exitCode: () => null,
          finish: (result) => this.record(command, this.runner.judge(command, result)),
        };
      }
      const loadedBefore = this.runner.loaded.length;
      const outcome = await this.runner.run(command);
      const loaded = this.runner.loaded.slice(loadedBefore);
      for (const l of loaded) await this.registerModule(l.source, l.module, l.instance);
      const starting = loaded.find((l) => l.start !== null);
      if (starting) return this.startInvocation(command, starting);
      this.record(command, outcome);
    }
    return null;
  }

  /** The script's own frame while `command` runs: the command's text where it stands. */
  private scriptFrame(command: Command): NonNullable<Invocation['command']> {
    const text = this.runner.script.text.slice(command.start.offset, command.end.offset);
    return { file: this.file, line: command.start.line, column: command.start.column, text };
  }

  /** The start function of the module `command` just instantiated; how it ends is the command's outcome. */
  private startInvocation(command: Command, loaded: LoadedModule): Invocation {
    const func = loaded.start!;
    return {
      func,
      args: [],
      label: `${loaded.instance.name}!${func.name}`,
      command: this.scriptFrame(command),
      trapExpected: false,
      exitCode: () => null,
      finish: (result) => this.record(command, this.runner.startEnded(loaded, result)),
    };
  }

  private async registerModule(source: ScriptModule, module: Module, instance: Instance): Promise<void> {
    const unit = this.units.get(module) ?? this.addUnit(source, module);
    this.host.addInstance(unit, instance, instance.name);
  }

  /**
   * Loads the modules of the script's `module` commands and makes their units before the script
   * runs, so breakpoints in them are verified when set. A module that fails to load is left to
   * its command to report.
   */
  private async addModuleUnits(): Promise<void> {
    for (const command of this.runner.script.commands) {
      if (command.kind !== 'module') continue;
      let module: Module;
      try {
        module = await this.runner.preload(command.module);
      } catch {
        continue;
      }
      this.addUnit(command.module, module);
    }
  }

  /** The unit of a script module: its lines of the script, or generated documents (binary and quoted modules). */
  private addUnit(source: ScriptModule, module: Module): CodeUnit {
    const label = `${path.basename(this.file)}:${source.start.line}`;
    let unit: CodeUnit;
    if (source.source.kind === 'text') {
      let sourceMap: SourceMap | null = null;
      try {
        sourceMap = sourceMapForScriptModule(source, this.file, module);
      } catch (e) {
        this.host.console(`wat-debugger: no source positions for the module at ${this.file}:${source.start.line}: ${(e as Error).message}\n`);
      }
      unit = textUnit(this.host.nextUnitId(), module, this.file, label, sourceMap ? this.file : null, sourceMap, { first: source.start.line, last: source.end.line });
    } else {
      // (module binary ...) and (module quote ...) have no place in the script: show generated text.
      unit = generatedUnit(this.host.nextUnitId(), module, this.file, label, `${this.file}.${source.start.line}`);
    }
    this.units.set(module, unit);
    this.host.addUnit(unit);
    return unit;
  }

  exitCode(): number {
    return this.failed > 0 ? 1 : 0;
  }

  summary(): string {
    return `${path.basename(this.file)}: ${this.passed} passed, ${this.failed} failed, ${this.skipped} skipped`;
  }

}
