// The Debug Adapter Protocol session: VS Code (or any DAP client) talks to this class, in process
// (src/extension.ts) or over stdio/TCP (src/debugAdapter.ts). It loads the program, runs it in
// time slices so requests get through while it runs, and answers with module-labelled stacks,
// values, breakpoints and steps across module boundaries.

import * as path from 'path';
import {
  BreakpointEvent,
  ExitedEvent,
  InitializedEvent,
  InvalidatedEvent,
  LoadedSourceEvent,
  LoggingDebugSession,
  ModuleEvent,
  OutputEvent,
  StoppedEvent,
  TerminatedEvent,
  logger,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { FuncInst, Recording, Trap, UncaughtException, type MemoryInst, type ThrownException, type Value, type Execution, type FrameView, type Instance, type RunResult, type StepKind } from '../engine/index';
import { HostTrap } from '../host/unresolved';
import { EXCEPTION_FILTERS, ExceptionFilters, defaultFilters, describeThrow, exceptionInfo, filtersFrom, throwStops } from './exceptions';
import type { ActionResult } from '../program/script';
import { assign, splitAssignment, AssignError } from './assign';
import { Breakpoints, type SourceBreakpointRequest } from './breakpoints';
import { completionsAt } from './completions';
import { disassemble } from './disassembly';
import { EvalError, emptyContext, evalTypeName, evaluate, formatEvalValue } from './evaluate';
import { DebugInstance, frameContext, loadPlace, type Invoker } from './inspect';
import { LaunchArgError, checkLaunchArgs, describeValue, type LaunchConfig, type WatLaunchArguments } from './launchArgs';
import { Invocation, ProgramTarget, ScriptTarget, Target, TargetHost } from './targets';
import { ProgramView } from './stackTrace';
import type { GeneratedText } from '../text/generatedText';
import { CodeUnit, functionMap, hasText, instructionAddress, isBranchSkip, pathKey } from './units';
import { RequestArgs } from './requestArgs';
import { RequestError, Variables } from './variables';
import { TimeTravel, type PauseView } from './timeTravel';
import { DataBreakpoints, instructionAt, type DataAccess, type DataTarget } from './dataBreakpoints';
import { memoryReference, parseMemoryReference, readMemoryBytes, writeMemoryBytes } from './memoryRefs';

const THREAD_ID = 1;
/** Budget units (calls and backward branches) per slice: long enough to run fast, short enough for requests. */
const SLICE_BUDGET = 200_000;
/** How long launch waits for configurationDone before running the program anyway. */
const CONFIGURATION_WAIT_MS = 5000;
/** Slices a call made by an expression may run before it is abandoned. */
const CALL_SLICES = 50;
/** Frame id of a .wast script's own frame (the command being run); wasm frames are height + 2. */
const SCRIPT_FRAME_ID = 1;

type Granularity = 'line' | 'instruction';

/** A step in progress: what it started from and what ends it. */
/** What a stop says besides its reason: a short text, and the longer description shown with it. */
interface StopText {
  text: string;
  description: string;
}

interface StepPlan {
  kind: 'in' | 'over' | 'out';
  granularity: Granularity;
  /** Height of the frame the step started in. */
  height: number;
  func: unknown;
  line: number | null;
  /** The engine's step, re-armed after a pause that did not end the step (with the height limit it started with). */
  engineKind: StepKind;
  engineMax: number;
  /** A data breakpoint's write: the step runs that one instruction, then stops to show the change. */
  dataAccess?: DataAccess;
}

type Stop =
  | { kind: 'none' }
  /** Stopped inside the running invocation. */
  | { kind: 'frames' }
  /** Stopped at a .wast command, before its invocation starts. */
  | { kind: 'script' };

export class WatDebugSession extends LoggingDebugSession {
  private config: LaunchConfig | null = null;
  private launchArgs: WatLaunchArguments | null = null;
  private target: Target | null = null;
  private readonly view = new ProgramView();
  private sourceRefs = new Map<number, string>();
  private sourceRefByFile = new Map<string, number>();
  /** The files loadedSources lists: text files, and of a binary its overview and the documents shown so far. */
  private announcedFiles = new Set<string>();
  private readonly breakpoints = new Breakpoints((module, funcIndex, offsets) => this.target?.store.setBreakpoints(module, funcIndex, offsets));
  /** Calls made by expressions at a stop (`$fib(5)` in the debug console, a condition calling a function). */
  private readonly invoker: Invoker = {
    instances: () => this.view.instances,
    run: (func, args) => this.callAtStop(func, args),
  };
  private readonly variables = new Variables(
    (h) => this.frame(h),
    (ref) => this.view.referenceName(ref),
    this.invoker,
  );
  private readonly dataBreakpoints = new DataBreakpoints(() => this.view.instances, (sites) => this.breakpoints.setWriteSites(sites));
  /** What each dataId handed out by dataBreakpointInfo names. */
  private readonly dataTargets = new Map<string, DataTarget>();
  /** Watched memory a host function wrote in the call now returning (see hostWrote). */
  private hostWrite: DataAccess | null = null;
  private trapFilters: ExceptionFilters = defaultFilters();
  /** Stopped at a throw (before it unwinds): the exception and whether it will be caught. */
  private thrown: ThrownException | null = null;

  private invocation: Invocation | null = null;
  private exec: Execution | null = null;
  /** The recording of the running invocation, to go backwards in it; null with `"record": false`. */
  private timeTravel: TimeTravel | null = null;
  private stopState: Stop = { kind: 'none' };
  private trap: Trap | null = null;
  private step: StepPlan | null = null;
  /** Stop at the next script command (a step that finished an invocation, or pause between invocations). */
  private stopAtNextCommand: 'step' | 'pause' | 'entry' | null = null;
  private pausePending = false;
  /** Bumped whenever a run is abandoned (terminate, restart), so its scheduled slices stop. */
  private generation = 0;
  private ended = false;
  private configurationDone!: Promise<void>;
  private resolveConfigurationDone!: () => void;
  private nextUnit = 1;
  /** The reason to report when the armed first-instruction stop of an invocation happens. */
  private firstStop: 'entry' | 'pause' | 'step' | null = null;

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.resetConfigurationDone();
  }

  private resetConfigurationDone(): void {
    this.configurationDone = new Promise((resolve) => (this.resolveConfigurationDone = resolve));
  }

  // ---------------------------------------------------------------------------------------------
  // Errors never escape a handler: they become error responses (and the adapter keeps running).

  protected dispatchRequest(request: DebugProtocol.Request): void {
    if (this.tracing) this.traceLine(`From client: ${request.command}(${JSON.stringify(request.arguments)})`);
    try {
      super.dispatchRequest(request);
    } catch (e) {
      this.sendErrorResponse(new ResponseFor(request), 1000, '{_message}', { _message: (e as Error).message });
    }
  }

  // `trace: true` logs the protocol to the debug console (the library's own logger would print it
  // as program output).
  private tracing = false;

  private traceLine(text: string): void {
    super.sendEvent(new OutputEvent(text + '\n', 'console'));
  }

  sendResponse(response: DebugProtocol.Response): void {
    if (this.tracing) this.traceLine(`To client: ${JSON.stringify(response)}`);
    super.sendResponse(response);
  }

  sendEvent(event: DebugProtocol.Event): void {
    if (this.tracing) this.traceLine(`To client: ${JSON.stringify(event)}`);
    super.sendEvent(event);
  }

  private async guard<R extends DebugProtocol.Response>(response: R, body: () => void | Promise<void>): Promise<void> {
    try {
      await body();
      this.sendResponse(response);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (!(e instanceof RequestError || e instanceof EvalError || e instanceof LaunchArgError || e instanceof AssignError)) logger.error(`${message}\n${(e as Error).stack ?? ''}`);
      this.sendErrorResponse(response, { id: 1001, format: '{_message}', variables: { _message: message }, showUser: false });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Initialisation and launch

  protected initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsFunctionBreakpoints: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsBreakpointLocationsRequest: true,
      supportsInstructionBreakpoints: true,
      supportsDisassembleRequest: true,
      supportsSteppingGranularity: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
      supportsSetExpression: true,
      supportsCompletionsRequest: true,
      completionTriggerCharacters: ['$', '!'],
      supportsExceptionInfoRequest: true,
      supportsLoadedSourcesRequest: true,
      supportsModulesRequest: true,
      supportsTerminateRequest: true,
      supportsRestartRequest: true,
      supportsReadMemoryRequest: true,
      supportsWriteMemoryRequest: true,
      supportsDelayedStackTraceLoading: true,
      supportsStepBack: true,
      supportsDataBreakpoints: true,
      supportsRestartFrame: true,
      supportsValueFormattingOptions: true,
      exceptionBreakpointFilters: EXCEPTION_FILTERS,
    };
    // The initialized event comes once launch has loaded the program: breakpoints the client then
    // sets are verified (or not) in their responses.
    this.sendResponse(response);
  }

  protected configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.resolveConfigurationDone();
  }

  protected async launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments & WatLaunchArguments): Promise<void> {
    let started = false;
    await this.guard(response, async () => {
      const config = checkLaunchArgs(args ?? {});
      this.tracing = config.trace;
      this.launchArgs = args;
      await this.load(config);
      this.sendEvent(new InitializedEvent());
      // Breakpoints arrive between the initialized event and configurationDone; a client that never
      // sends it (it is optional in the protocol) gets its program started after a while anyway.
      await Promise.race([this.configurationDone, new Promise((resolve) => setTimeout(resolve, CONFIGURATION_WAIT_MS).unref())]);
      started = true;
    });
    if (started) this.startRunning();
  }

  private targetHost(): TargetHost {
    return {
      output: {
        stdout: (text) => this.sendEvent(new OutputEvent(text, 'stdout')),
        stderr: (text) => this.sendEvent(new OutputEvent(text, 'stderr')),
      },
      addUnit: (unit) => this.addUnit(unit),
      addInstance: (unit, instance, name) => this.addInstance(unit, instance, name),
      nextUnitId: () => this.nextUnit++,
      console: (text) => this.sendEvent(new OutputEvent(text, 'console')),
    };
  }

  private async load(config: LaunchConfig): Promise<void> {
    this.config = config;
    this.ended = false;
    const host = this.targetHost();
    if (config.kind === 'wast') {
      const script = await ScriptTarget.load(config, host);
      for (const bp of this.breakpoints.setScriptCommands(config.program, script.invocationCommands())) {
        this.sendEvent(new BreakpointEvent('changed', this.clientBreakpoint(bp)));
      }
      this.target = script;
    } else {
      this.target = await ProgramTarget.load(config, host);
    }
    // Units registered while the target was loading had no store to hand their breakpoints to.
    this.breakpoints.reapply();
    this.breakpoints.programLoaded();
  }

  /** A module's unit (before its instances): breakpoints resolve in it, the client hears of its source. */
  private addUnit(unit: CodeUnit): void {
    if (!this.view.addUnit(unit)) return;
    if (unit.file) this.announce(unit.file);
    this.sendBreakpointChanges(this.breakpoints.addUnit(unit));
  }

  /** A new instance: the client hears of it; breakpoints naming it (`math!fib`) resolve. */
  private addInstance(unit: CodeUnit, instance: Instance, name: string): void {
    this.addUnit(unit);
    const inst = this.view.add(unit, instance, name);
    this.sendBreakpointChanges(this.breakpoints.instanceAdded());
    this.sendEvent(new ModuleEvent('new', this.moduleOf(inst)));
  }

  private sendBreakpointChanges(changed: DebugProtocol.Breakpoint[]): void {
    for (const bp of changed) this.sendEvent(new BreakpointEvent('changed', this.clientBreakpoint(bp)));
  }

  private moduleOf(inst: DebugInstance): DebugProtocol.Module {
    const generated = inst.unit.generated !== undefined;
    return {
      id: inst.id,
      name: inst.name,
      path: inst.unit.origin,
      symbolStatus: hasText(inst.unit) ? (generated ? 'generated text' : 'source positions') : 'no source positions',
      addressRange: instructionAddress(inst.unit.id, 0),
    };
  }

  /** Tells the client of a source the first time it shows up (loadedSources lists it from then on). */
  private announce(file: string): void {
    if (this.announcedFiles.has(file)) return;
    this.announcedFiles.add(file);
    this.sendEvent(new LoadedSourceEvent('new', this.sourceOf(file)));
  }

  /** The generated text `file` is a document of, or undefined for a file of the user's. */
  private generatedOwner(file: string): GeneratedText | undefined {
    const key = pathKey(file);
    for (const unit of this.view.units) if (unit.generated?.owns(key)) return unit.generated;
    return undefined;
  }

  /**
   * A file as a DAP source; a document generated from a binary is fetched by reference and named
   * after the binary (`hello.wasm/_start.wat`, the overview `hello.wasm.wat`).
   */
  private sourceOf(file: string): DebugProtocol.Source {
    const source: DebugProtocol.Source = { name: path.basename(file), path: this.convertDebuggerPathToClient(file) };
    const owner = this.generatedOwner(file);
    if (owner) {
      source.name = owner.displayName(file);
      this.announce(file);
      let ref = this.sourceRefByFile.get(file);
      if (ref === undefined) {
        ref = this.sourceRefs.size + 1;
        this.sourceRefs.set(ref, file);
        this.sourceRefByFile.set(file, ref);
      }
      source.sourceReference = ref;
      // No 'deemphasize' hint: VS Code would then skip these frames when choosing which frame to
      // show on a stop (stop on entry, steps), so a .wasm's generated text would never open.
      source.origin = 'generated from the binary';
    }
    return source;
  }

  // ---------------------------------------------------------------------------------------------
  // Running

  private startRunning(): void {
    // Run Without Debugging (noDebug) runs straight through: no entry stop, breakpoints or trap stops.
    const entry = (this.config?.stopOnEntry ?? false) && !this.config?.noDebug;
    if (entry) this.stopAtNextCommand = 'entry';
    void this.nextInvocation(entry);
  }

  /** Runs the target up to its next invocation and starts it (or ends the session). */
  private async nextInvocation(stopAtEntry: boolean): Promise<void> {
    const generation = this.generation;
    let invocation: Invocation | null;
    try {
      invocation = await this.target!.next();
    } catch (e) {
      this.sendEvent(new OutputEvent(`wat-debugger: ${(e as Error).message}\n`, 'stderr'));
      invocation = null;
    }
    if (generation !== this.generation) return;
    this.invocation = invocation;
    if (!invocation) return this.end();
    try {
      this.startInvocation(invocation, stopAtEntry);
    } catch (e) {
      this.internalError(e);
    }
  }

  private startInvocation(invocation: Invocation, stopAtEntry: boolean): void {
    // A script stops at its command first (its own frame), a program at the entry's first instruction.
    if (invocation.command !== null) {
      const hit = this.commandBreakpoints(invocation);
      const scriptStop = hit.length ? 'breakpoint' : this.pausePending ? 'pause' : this.stopAtNextCommand;
      if (scriptStop) {
        this.stopAtNextCommand = null;
        this.pausePending = false;
        this.stopState = { kind: 'script' };
        this.sendStopped(scriptStop, hit);
        return;
      }
    }
    this.begin(invocation, this.pausePending ? 'pause' : stopAtEntry ? 'entry' : null);
  }

  /**
   * Runs a call an expression makes, on top of the stopped program, to completion: breakpoints do
   * not stop it, a trap or a call that runs too long is abandoned (its frames unwound).
   */
  private callsMade = 0;

  private callAtStop(func: FuncInst, args: Value[]): Value[] {
    if (!this.target) throw new Error('no program is loaded');
    this.callsMade++;
    const recording = this.timeTravel?.recording;
    if (!recording) return this.runCall(func, args);
    // The call's host calls are not part of the recorded run, and what it changed is an edit.
    try {
      return recording.unrecorded(() => this.runCall(func, args));
    } finally {
      recording.edited(this.exec!);
    }
  }

  private runCall(func: FuncInst, args: Value[]): Value[] {
    const exec = this.target!.store.begin(func, args);
    for (let slices = 0; ; slices++) {
      const result = exec.run(SLICE_BUDGET);
      if (result.status === 'done') return result.results;
      if (result.status === 'trapped') {
        exec.unwind();
        throw new Error(`trapped: ${result.trap.message}`);
      }
      if (slices >= CALL_SLICES) {
        exec.unwind();
        throw new Error(`still running after ${CALL_SLICES * SLICE_BUDGET} calls and loop iterations; the call was abandoned`);
      }
    }
  }

  /** Breakpoints on the script command about to run (their conditions see the called instance's globals). */
  private commandBreakpoints(invocation: Invocation): number[] {
    if (this.config?.noDebug || !invocation.command) return [];
    const instance = invocation.func.instance;
    const inst = instance ? this.view.instanceOf(instance) : undefined;
    const hit = this.breakpoints.checkCommand(invocation.command.file, invocation.command.line, inst?.name ?? '', () =>
      inst ? frameContext(inst, null, this.invoker) : emptyContext,
    );
    for (const log of hit.logs) this.sendEvent(new OutputEvent(log + '\n', 'console'));
    for (const error of hit.errors) this.sendEvent(new OutputEvent(error + '\n', 'stderr'));
    return hit.stop ? hit.hitBreakpointIds : [];
  }

  /** Starts an invocation; `firstStop` stops at its first instruction with that reason. */
  private begin(invocation: Invocation, firstStop: 'entry' | 'pause' | 'step' | null): void {
    this.exec = this.target!.store.begin(invocation.func, invocation.args);
    this.timeTravel?.recording.dispose();
    this.timeTravel = null;
    if (this.config?.record) {
      const recording = new Recording(this.target!.store, () => this.view.instances.map((i) => i.instance), { budgetBytes: this.config.recordingBudget });
      recording.checkpoint();
      this.timeTravel = new TimeTravel(recording, this.exec);
    }
    this.applyThrowStops();
    this.step = null;
    this.pausePending = false;
    if (firstStop) {
      this.stopAtNextCommand = null;
      this.step = { kind: 'in', granularity: 'instruction', height: -1, func: null, line: null, engineKind: 'in', engineMax: this.exec.step('in') };
      this.firstStop = firstStop;
    }
    this.resume();
  }

  /** Tells the engine which throws to stop at, from the filters and the invocation. */
  private applyThrowStops(): void {
    if (this.target) this.target.store.stopOnThrow = throwStops(this.trapFilters, this.config?.noDebug ?? false, this.invocation?.trapExpected ?? false);
  }

  private resume(): void {
    this.stopState = { kind: 'none' };
    this.trap = null;
    this.thrown = null;
    this.variables.reset();
    const generation = ++this.generation;
    setImmediate(() => this.slice(generation));
  }

  private slice(generation: number): void {
    if (generation !== this.generation || !this.exec) return;
    try {
      this.runSlice(generation, this.exec.run(SLICE_BUDGET));
    } catch (e) {
      this.internalError(e);
    }
  }

  /**
   * Something failed that should not (an engine or debugger bug): say so, end the invocation as if
   * it had trapped, and carry on; if even that fails, end the session. The adapter never dies.
   */
  private internalError(e: unknown): void {
    const error = e instanceof Error ? e : new Error(String(e));
    this.sendEvent(new OutputEvent(`wat-debugger: internal error: ${error.message}\n`, 'stderr'));
    logger.error(error.stack ?? error.message);
    if (this.failing) return this.end();
    this.failing = true;
    try {
      this.finishInvocation({ kind: 'threw', error });
    } catch {
      this.end();
    } finally {
      this.failing = false;
    }
  }

  private failing = false;

  private runSlice(generation: number, result: RunResult): void {
    switch (result.status) {
      case 'done':
        return this.finishInvocation({ kind: 'returned', values: result.results });
      case 'trapped':
        return this.onTrap(result.trap);
      case 'paused':
        switch (result.reason) {
          case 'budget':
            this.timeTravel?.recording.paused(this.exec!);
            // The engine keeps a step armed across budget pauses.
            setImmediate(() => this.slice(generation));
            return;
          case 'pause':
            this.step = null;
            if (this.hostWrite) {
              // A host function wrote watched memory: the run paused as the call returned.
              const access = this.hostWrite;
              this.hostWrite = null;
              return this.stopForData(access.ids, this.dataBreakpoints.describe(access, this.topFrame()));
            }
            return this.stopHere('pause');
          case 'breakpoint':
            return this.onBreakpoint(generation);
          case 'step':
            return this.onStep(generation);
          case 'exception':
            return this.onThrow();
        }
    }
  }

  private topFrame(): FrameView {
    return this.exec!.frame(this.exec!.callStack.height - 1);
  }

  /** The breakpoints at the top frame's instruction decide: stop, log, or run on. */
  private checkBreakpoints(): { stop: boolean; ids: number[] } {
    const frame = this.topFrame();
    const inst = frame.instance ? this.view.instanceOf(frame.instance) : undefined;
    if (!inst) return { stop: false, ids: [] };
    const hit = this.breakpoints.check(inst.unit.module, frame.offset, inst.name, () => frameContext(inst, frame, this.invoker));
    for (const log of hit.logs) this.sendEvent(new OutputEvent(log + '\n', 'console'));
    for (const error of hit.errors) this.sendEvent(new OutputEvent(error + '\n', 'stderr'));
    return { stop: hit.stop, ids: hit.hitBreakpointIds };
  }

  private onBreakpoint(generation: number): void {
    const access = this.dataBreakpoints.active && !this.config?.noDebug ? this.dataAccessHere() : null;
    if (access && access.ids.length) {
      // Run the writing instruction, then stop after it (see onStep).
      const engineMax = this.exec!.step('instruction');
      this.step = { kind: 'in', granularity: 'instruction', height: -1, func: null, line: null, engineKind: 'instruction', engineMax, dataAccess: access };
      setImmediate(() => this.slice(generation));
      return;
    }
    const { stop, ids } = this.config?.noDebug ? { stop: false, ids: [] } : this.checkBreakpoints();
    if (stop) {
      this.step = null;
      return this.stopHere('breakpoint', ids);
    }
    // Not for the user: carry on with whatever was running (a step keeps the limit it started with).
    if (this.step) this.exec!.step(this.step.engineKind, this.step.engineMax);
    setImmediate(() => this.slice(generation));
  }

  private onStep(generation: number): void {
    const plan = this.step!;
    if (plan.dataAccess) {
      this.step = null;
      const access = plan.dataAccess;
      return this.stopForData(access.ids, this.dataBreakpoints.describe(access, this.exec!.callStack.height > this.exec!.base ? this.topFrame() : null));
    }
    if (this.firstStop) {
      const reason = this.firstStop;
      this.firstStop = null;
      this.step = null;
      return this.stopHere(reason);
    }
    // A breakpoint where the step pauses counts (hits, log points), ended step or not: the run
    // goes past it afterwards without the engine stopping there again.
    const frame = this.topFrame();
    const hit = frame.instance && this.breakpoints.has(frame.instance.module, frame.offset) ? this.checkBreakpoints() : null;
    if (hit?.stop) {
      this.step = null;
      return this.stopHere('breakpoint', hit.ids);
    }
    if (this.stepEnds(plan)) {
      this.step = null;
      return this.stopHere('step');
    }
    this.exec!.step(plan.engineKind, plan.engineMax);
    setImmediate(() => this.slice(generation));
  }

  /** Whether the instruction the step paused at ends it (line granularity: a new line or another frame). */
  private stepEnds(plan: StepPlan): boolean {
    if (plan.kind === 'out' || plan.granularity === 'instruction') return true;
    const top = this.exec!.callStack.height - 1;
    const frame = this.topFrame();
    if (top !== plan.height || frame.func !== plan.func) return true;
    const loc = this.view.location(frame);
    const unit = this.view.unitOf(frame);
    if (!loc) return !unit || !hasText(unit); // unmapped instructions of mapped code are passed over
    // An `else` reached at the end of a `then` branch is a jump past the else branch, not its start.
    if (isBranchSkip(functionMap(unit!, frame.func.index)?.instructionAt(frame.func.index, frame.offset))) return false;
    return loc.line !== plan.line;
  }

  /** Stopped at a throw the exception filters asked for, with the whole stack still there. */
  private onThrow(): void {
    this.step = null;
    this.thrown = this.exec!.thrown;
    const text = describeThrow(this.thrown!);
    this.stopHere('exception', undefined, { text, description: `Paused on ${text[0].toLowerCase()}${text.slice(1)}` });
  }

  private onTrap(trap: Trap): void {
    const expected = this.invocation?.trapExpected ?? false;
    const exited = this.invocation?.exitCode(trap) != null;
    // An uncaught exception stopped at its throw already when the exception filters wanted it.
    const stopHere = !this.config?.noDebug && !exited && !(trap instanceof UncaughtException) && (expected ? this.trapFilters.expectedTrap : this.trapFilters.trap);
    if (stopHere) {
      this.step = null;
      this.trap = trap;
      this.stopHere('exception', undefined, { text: trap.message, description: `Paused on trap: ${trap.message}` });
      return;
    }
    this.finishTrapped(trap);
  }

  private finishTrapped(trap: Trap): void {
    const expected = this.invocation?.trapExpected ?? false;
    const exited = this.invocation?.exitCode(trap) != null;
    if (!exited && !expected) this.sendEvent(new OutputEvent(this.view.trapReport(trap, this.exec), 'stderr'));
    this.finishInvocation({ kind: 'threw', error: trap });
  }

  private finishInvocation(result: ActionResult): void {
    this.timeTravel?.recording.dispose();
    this.timeTravel = null;
    const exec = this.exec;
    if (exec && exec.status !== 'done') exec.unwind();
    this.exec = null;
    this.trap = null;
    this.thrown = null;
    const invocation = this.invocation;
    this.invocation = null;
    invocation?.finish(result);
    // A step that ran off the end of a script invocation stops at the next command.
    if (this.step && invocation?.command) this.stopAtNextCommand = 'step';
    this.step = null;
    void this.nextInvocation(false);
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.stopState = { kind: 'none' };
    const summary = this.target?.summary();
    if (summary) this.sendEvent(new OutputEvent(summary + '\n', 'console'));
    this.sendEvent(new ExitedEvent(this.target?.exitCode() ?? 0));
    this.sendEvent(new TerminatedEvent());
  }

  /** Stopped where the run is now: the recording's frontier moves here, and the client hears of it. */
  private stopHere(reason: string, hitBreakpointIds?: number[], said?: StopText): void {
    if (this.exec) this.timeTravel?.recording.paused(this.exec);
    this.stopState = { kind: 'frames' };
    this.sendStopped(reason, hitBreakpointIds, said);
  }

  private sendStopped(reason: string, hitBreakpointIds?: number[], said?: StopText): void {
    this.variables.reset();
    const event = new StoppedEvent(reason, THREAD_ID, said?.text) as DebugProtocol.StoppedEvent;
    if (hitBreakpointIds?.length) event.body.hitBreakpointIds = hitBreakpointIds;
    if (said) event.body.description = said.description;
    this.sendEvent(event);
  }

  private requireStopped(): void {
    if (this.stopState.kind !== 'none') return;
    if (this.ended) throw new RequestError('the program has ended');
    if (!this.target) throw new RequestError('there is no program yet: launch one first');
    throw new RequestError('the program is running; pause it first');
  }

  /** The `threadId` argument: there is one thread. */
  private checkThread(args: RequestArgs): void {
    const threadId = args.integer('threadId');
    if (threadId !== THREAD_ID) throw new RequestError(`unknown thread ${threadId}`);
  }

  /** The `format` argument of requests that show values. */
  private static valueFormat(args: RequestArgs): { hex?: boolean } {
    return { hex: args.optionalObject('format')?.optionalBoolean('hex') };
  }

  // ---------------------------------------------------------------------------------------------
  // Execution control

  protected continueRequest(response: DebugProtocol.ContinueResponse, args: DebugProtocol.ContinueArguments): void {
    void this.guard(response, () => {
      this.checkThread(new RequestArgs('continue', args));
      this.requireStopped();
      response.body = { allThreadsContinued: true };
      this.step = null;
      this.proceed();
    });
  }

  /** Leaves the current stop: runs on from a trap (ending the invocation), a script command, or a frame. */
  private proceed(): void {
    if (this.trap) {
      this.finishTrapped(this.trap);
      return;
    }
    if (this.stopState.kind === 'script') {
      this.stopState = { kind: 'none' };
      const stepIn = this.step?.kind === 'in';
      const stepping = this.step !== null;
      this.step = null;
      this.begin(this.invocation!, stepIn ? 'step' : null);
      // Stepping over a script command runs its invocation whole, then stops at the next command.
      if (stepping && !stepIn) this.stopAtNextCommand = 'step';
      return;
    }
    this.resume();
  }

  private startStep(kind: 'in' | 'over' | 'out', args: RequestArgs): void {
    this.checkThread(args);
    const granularity = args.optionalChoice('granularity', ['statement', 'line', 'instruction'] as const);
    this.requireStopped();
    const gran: Granularity = granularity === 'instruction' ? 'instruction' : 'line';
    if (this.stopState.kind === 'script' || this.trap) {
      this.step = { kind, granularity: gran, height: -1, func: null, line: null, engineKind: 'in', engineMax: Infinity };
      this.proceed();
      return;
    }
    const exec = this.exec!;
    const top = exec.callStack.height - 1;
    const frame = this.topFrame();
    const engineKind: StepKind = kind === 'in' ? (gran === 'instruction' ? 'instruction' : 'in') : kind;
    const engineMax = exec.step(engineKind);
    this.step = { kind, granularity: gran, height: top, func: frame.func, line: this.view.location(frame)?.line ?? null, engineKind, engineMax };
    this.resume();
  }

  protected nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    void this.guard(response, () => this.startStep('over', new RequestArgs('next', args)));
  }

  protected stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    void this.guard(response, () => this.startStep('in', new RequestArgs('stepIn', args)));
  }

  protected stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    void this.guard(response, () => this.startStep('out', new RequestArgs('stepOut', args)));
  }

  protected pauseRequest(response: DebugProtocol.PauseResponse, args: DebugProtocol.PauseArguments): void {
    void this.guard(response, () => {
      this.checkThread(new RequestArgs('pause', args));
      if (this.ended) throw new RequestError('the program has ended');
      if (this.stopState.kind !== 'none') return; // already stopped
      if (this.exec) this.exec.requestPause();
      else this.pausePending = true;
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Going backwards (the recording: src/engine/recording.ts, searched by timeTravel.ts)

  protected stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
    void this.guard(response, () => {
      const a = new RequestArgs('stepBack', args);
      this.checkThread(a);
      const granularity = a.optionalChoice('granularity', ['statement', 'line', 'instruction'] as const);
      const travel = this.travelling('stepBack');
      const moved = travel.stepBack(granularity === 'instruction' ? 'instruction' : 'line', this.pauseView());
      this.arrived(moved ? 'step' : 'entry');
    });
  }

  protected reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse, args: DebugProtocol.ReverseContinueArguments): void {
    void this.guard(response, () => {
      this.checkThread(new RequestArgs('reverseContinue', args));
      const ids = this.travelling('reverseContinue').reverseContinue(this.pauseView());
      // Going backwards a data breakpoint stops at the write, before it happens.
      const reason = !ids ? 'entry' : ids.some((id) => this.dataBreakpoints.owns(id)) ? 'data breakpoint' : 'breakpoint';
      this.arrived(reason, ids ?? undefined);
    });
  }

  protected restartFrameRequest(response: DebugProtocol.RestartFrameResponse, args: DebugProtocol.RestartFrameArguments): void {
    void this.guard(response, () => {
      const frameId = new RequestArgs('restartFrame', args).integer('frameId');
      const travel = this.travelling('restartFrame');
      const height = frameId - 2; // as stackTrace numbers frames
      if (height < this.exec!.base || height >= this.exec!.callStack.height) throw new RequestError(`restartFrame: unknown frame ${frameId}`);
      if (this.frame(height).instance === null) throw new RequestError(`restartFrame: frame ${frameId} is a host function, which has no code to restart`);
      travel.restartFrame(height);
      this.arrived('restart');
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Data breakpoints (dataBreakpoints.ts)

  protected dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    void this.guard(response, () => {
      const a = new RequestArgs('dataBreakpointInfo', args);
      const name = a.string('name');
      const reference = a.optionalInteger('variablesReference');
      const frameId = a.optionalInteger('frameId');
      this.requireStopped();
      const asAddress = a.optionalBoolean('asAddress') ?? false;
      const target = asAddress
        ? this.watchedAddress(name, a.optionalInteger('bytes') ?? 1, frameId)
        : reference !== undefined
          ? this.watchedVariable(reference, name)
          : this.watchedMemory(name, frameId);
      if (typeof target === 'string') {
        response.body = { dataId: null, description: target };
        return;
      }
      const dataId = `${this.dataTargets.size + 1}:${target.label}`;
      this.dataTargets.set(dataId, target);
      const immutable = target.kind === 'global' && !target.global.type.mutable;
      response.body = { dataId, description: target.label, accessTypes: immutable ? ['read'] : ['write', 'read', 'readWrite'], canPersist: false };
    });
  }

  protected setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    void this.guard(response, () => {
      const a = new RequestArgs('setDataBreakpoints', args);
      const requested = a.objects('breakpoints').map((bp, i) => {
        const dataId = bp.string('dataId');
        const access = bp.optionalChoice('accessType', ['read', 'write', 'readWrite'] as const) ?? 'write';
        const target = this.dataTargets.get(dataId);
        if (!target) return `setDataBreakpoints: breakpoints[${i}].dataId "${dataId}" names nothing dataBreakpointInfo gave`;
        if (access !== 'read' && target.kind === 'global' && !target.global.type.mutable) return `setDataBreakpoints: breakpoints[${i}]: ${target.label} is immutable, nothing writes it; watch its reads`;
        return { target, access };
      });
      response.body = { breakpoints: this.dataBreakpoints.set(requested) };
      // Memory written by host functions (WASI's fd_read) is watched through what they report.
      if (this.target) this.target.store.onHostWrite = this.dataBreakpoints.active ? (memory, address, length) => this.hostWrote(memory, address, length) : null;
    });
  }

  /** A local of a frame or a global, from the Variables view. */
  private watchedVariable(reference: number, name: string): DataTarget | string {
    const v = this.variables.watchable(reference, name);
    if (!v) return `${name} cannot be watched: only locals, globals and memory (an expression such as i32[$p]) can`;
    if (v.kind === 'global') {
      const global = v.inst.instance.globals[v.index];
      return { kind: 'global', global, label: `${v.inst.name}!${name}` };
    }
    const frame = this.frame(v.height);
    return {
      kind: 'local',
      height: v.height,
      fp: this.exec!.callStack.fps[v.height],
      funcIndex: frame.func.index,
      module: v.inst.unit.module,
      index: v.index,
      label: `${name} of ${v.inst.name}!${frame.func.name}`,
    };
  }

  /**
   * Bytes at an address, from the memory view (`asAddress`): `name` is one of our memory references
   * (`memory/<instance>/<memory>/0x<address>`), or an address, decimal or 0x-hex, in memory 0 of the
   * frame's instance.
   */
  private watchedAddress(name: string, bytes: number, frameId: number | undefined): DataTarget | string {
    if (bytes < 1) return `dataBreakpointInfo: argument 'bytes' must be at least 1, got ${bytes}`;
    let place = parseMemoryReference(name);
    if (!place) {
      if (!/^(0x[0-9a-f]+|\d+)$/i.test(name.trim())) return `${name} is neither a memory reference nor an address (decimal, or hex after 0x)`;
      const { inst } = this.resolveFrame(frameId);
      place = { instanceId: inst.id, index: 0, address: BigInt(name.trim()) };
    }
    const target = this.view.instances.find((i) => i.id === place!.instanceId);
    const memory = target?.instance.memories[place.index];
    if (!target || !memory) return `${name}: no such memory`;
    return { kind: 'memory', memory, address: place.address, size: bytes, label: `${bytes} bytes at 0x${place.address.toString(16)} (${target.name} memory ${place.index})` };
  }

  /** A host function is about to write watched memory: stop when it returns, with the value before. */
  private hostWrote(memory: MemoryInst, address: number, length: number): void {
    const hits = this.dataBreakpoints.hostWriteHits(memory, address, length);
    if (hits.ids.length === 0 || !this.exec) return;
    if (this.hostWrite) {
      // Several writes by one call: the first value before each watch is the one to show.
      for (let i = 0; i < hits.ids.length; i++) {
        if (this.hostWrite.ids.includes(hits.ids[i])) continue;
        this.hostWrite.ids.push(hits.ids[i]);
        this.hostWrite.writes.push(true);
        this.hostWrite.before.push(hits.before[i]);
      }
    } else this.hostWrite = hits;
    this.exec.requestPause();
  }

  /** A range of memory, from an expression that reads it (`i32[$p]`, `u8[16]`, `$heap.i64[$q]`). */
  private watchedMemory(expression: string, frameId: number | undefined): DataTarget | string {
    const { inst, height } = this.resolveFrame(frameId);
    const place = loadPlace(expression, inst, height === null ? null : this.frame(height), this.invoker);
    if (!place) return `${expression} cannot be watched: it is not a read of memory such as i32[$p]`;
    const target = this.view.instances.find((i) => i.id === place.instanceId)!;
    const memory = target.instance.memories[place.index];
    return { kind: 'memory', memory, address: place.address, size: place.size, label: `${expression} (${target.name} memory ${place.index}, ${place.size} bytes at 0x${place.address.toString(16)})` };
  }

  /** The data breakpoints the instruction the run paused at is about to write or read. */
  private dataAccessHere(): DataAccess {
    const frame = this.topFrame();
    const instance = frame.instance;
    if (!instance) return { ids: [], writes: [], before: [] };
    const height = this.exec!.callStack.height - 1;
    return this.dataBreakpoints.accessesAt(frame, this.exec!.callStack.fps[height], instructionAt(instance.module, frame.func.index, frame.offset));
  }

  private stopForData(ids: number[], change: string): void {
    this.stopHere('data breakpoint', ids, { text: change, description: `Paused on data breakpoint: ${change}` });
  }

  /** The running invocation's recording: its checkpoints and the bytes they hold (for `npm run bench`). */
  recordingStats(): { checkpoints: number; bytes: number } | null {
    const r = this.timeTravel?.recording;
    return r ? { checkpoints: r.checkpointCount, bytes: r.checkpointBytes } : null;
  }

  /** The recording, for a request that goes back in time; the stop is left (its trap or throw belong to a later moment). */
  private travelling(request: string): TimeTravel {
    this.requireStopped();
    if (this.stopState.kind === 'script') throw new RequestError(`${request}: stopped at a script command; going back works inside the invocation of a command`);
    if (!this.timeTravel) throw new RequestError(`${request}: this run is not recorded ("record": false in the launch configuration)`);
    this.step = null;
    this.trap = null;
    this.thrown = null;
    return this.timeTravel;
  }

  /** Stopped at an earlier moment: the client hears of it once the request has been answered. */
  private arrived(reason: string, hitBreakpointIds?: number[]): void {
    this.stopState = { kind: 'frames' };
    this.variables.reset();
    setImmediate(() => this.sendStopped(reason, hitBreakpointIds));
  }

  /** What the searches back in time look at where they pause: lines, as steps see them, and breakpoints. */
  private pauseView(): PauseView {
    return {
      lineKey: () => {
        const frame = this.topFrame();
        const where = `${frame.height}|${frame.func.name}`;
        const loc = this.view.location(frame);
        const unit = this.view.unitOf(frame);
        if (!loc) return !unit || !hasText(unit) ? `${where}|@${frame.offset}` : null; // as stepEnds: each instruction of code without text
        if (isBranchSkip(functionMap(unit!, frame.func.index)?.instructionAt(frame.func.index, frame.offset))) return null;
        return `${where}|${loc.line}`;
      },
      anyBreakpoints: () => this.breakpoints.any() || this.dataBreakpoints.active,
      breakpointsHere: () => {
        const frame = this.topFrame();
        const inst = frame.instance ? this.view.instanceOf(frame.instance) : undefined;
        if (!inst) return [];
        const data = this.dataBreakpoints.active ? this.dataAccessHere().ids : [];
        return [...this.breakpoints.stopsGoingBack(inst.unit.module, frame.offset, inst.name, () => frameContext(inst, frame, this.invoker)), ...data];
      },
    };
  }

  /** The program's state was changed from the debugger: views refresh, and the recording's future is dropped. */
  private changedByHand(): void {
    if (this.exec && this.stopState.kind === 'frames') this.timeTravel?.recording.edited(this.exec);
    this.sendEvent(new InvalidatedEvent(['variables']));
  }

  protected terminateRequest(response: DebugProtocol.TerminateResponse): void {
    void this.guard(response, () => {
      this.abandon();
      this.end();
    });
  }

  protected disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.abandon();
    this.ended = true;
    this.sendResponse(response);
  }

  /** Stops whatever runs, dropping its frames. */
  private abandon(): void {
    this.generation++;
    if (this.exec && this.exec.status !== 'done') this.exec.unwind();
    this.exec = null;
    this.invocation = null;
    this.trap = null;
    this.thrown = null;
    this.step = null;
    this.stopState = { kind: 'none' };
  }

  protected async restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments): Promise<void> {
    let restarted = false;
    await this.guard(response, async () => {
      const given = new RequestArgs('restart', args);
      given.optionalObject('arguments');
      const launchArgs = (given.raw('arguments') as WatLaunchArguments | undefined) ?? this.launchArgs;
      if (!launchArgs) throw new RequestError('nothing to restart: the program was never launched');
      const config = checkLaunchArgs(launchArgs);
      this.abandon();
      for (const inst of this.view.instances) this.sendEvent(new ModuleEvent('removed', this.moduleOf(inst)));
      this.view.clear();
      this.announcedFiles.clear();
      this.breakpoints.reset();
      this.launchArgs = launchArgs;
      await this.load(config);
      restarted = true;
    });
    if (restarted) this.startRunning();
  }

  // ---------------------------------------------------------------------------------------------
  // Breakpoints

  private clientBreakpoint(bp: DebugProtocol.Breakpoint): DebugProtocol.Breakpoint {
    const out = { ...bp };
    if (out.line !== undefined) out.line = this.convertDebuggerLineToClient(out.line);
    if (out.column !== undefined) out.column = this.convertDebuggerColumnToClient(out.column);
    if (out.source?.path) out.source = this.sourceOf(out.source.path);
    return out;
  }

  private sourcePath(source: RequestArgs): string {
    const ref = source.optionalInteger('sourceReference');
    if (ref) {
      const file = this.sourceRefs.get(ref);
      if (file) return file;
    }
    const file = source.optionalString('path');
    if (!file) throw new RequestError('the source has no path');
    return this.convertClientPathToDebugger(file);
  }

  /**
   * A source breakpoint's line as the client wrote it; a line that is none (`"abc"`, `-5`) leaves
   * the breakpoint unverified with a message saying so, rather than moving it somewhere.
   */
  private breakpointLine(value: unknown): { line?: number; problem?: string } {
    const first = this.convertDebuggerLineToClient(1);
    if (value === undefined) return { problem: 'the breakpoint has no line' };
    if (typeof value !== 'number' || !Number.isInteger(value) || value < first) {
      const shown = typeof value === 'number' ? String(value) : describeValue(value);
      return { problem: `line ${shown} is not a line number (lines are whole numbers from ${first})` };
    }
    return { line: this.convertClientLineToDebugger(value) };
  }

  /** A breakpoint's `condition` and `hitCondition`. */
  private static conditions(bp: RequestArgs): { condition?: string; hitCondition?: string } {
    return { condition: bp.optionalString('condition'), hitCondition: bp.optionalString('hitCondition') };
  }

  protected setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    void this.guard(response, () => {
      const a = new RequestArgs('setBreakpoints', args);
      const file = this.sourcePath(a.object('source'));
      const given = a.optionalObjects('breakpoints');
      const requested: SourceBreakpointRequest[] = given
        ? given.map((bp) => {
            const column = bp.optionalInteger('column');
            return {
              ...this.breakpointLine(bp.raw('line')),
              column: column !== undefined ? this.convertClientColumnToDebugger(column) : undefined,
              ...WatDebugSession.conditions(bp),
              logMessage: bp.optionalString('logMessage'),
            };
          })
        : (a.optionalArray('lines') ?? []).map((line) => this.breakpointLine(line));
      const result = this.breakpoints.setSourceBreakpoints(file, requested);
      response.body = { breakpoints: result.map((bp) => this.clientBreakpoint(bp)) };
    });
  }

  protected setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    void this.guard(response, () => {
      const requested = new RequestArgs('setFunctionBreakpoints', args).objects('breakpoints').map((bp) => ({ name: bp.string('name'), ...WatDebugSession.conditions(bp) }));
      response.body = { breakpoints: this.breakpoints.setFunctionBreakpoints(requested).map((bp) => this.clientBreakpoint(bp)) };
    });
  }

  protected setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    void this.guard(response, () => {
      const requested = new RequestArgs('setInstructionBreakpoints', args).objects('breakpoints').map((bp) => ({
        instructionReference: bp.string('instructionReference'),
        offset: bp.optionalInteger('offset'),
        ...WatDebugSession.conditions(bp),
      }));
      response.body = { breakpoints: this.breakpoints.setInstructionBreakpoints(requested).map((bp) => this.clientBreakpoint(bp)) };
    });
  }

  protected setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    void this.guard(response, () => {
      const filters = new RequestArgs('setExceptionBreakpoints', args).strings('filters');
      try {
        this.trapFilters = filtersFrom(filters);
      } catch (e) {
        throw new RequestError((e as Error).message);
      }
      this.applyThrowStops();
    });
  }

  protected breakpointLocationsRequest(response: DebugProtocol.BreakpointLocationsResponse, args: DebugProtocol.BreakpointLocationsArguments): void {
    void this.guard(response, () => {
      const a = new RequestArgs('breakpointLocations', args);
      const file = this.sourcePath(a.object('source'));
      const line = this.convertClientLineToDebugger(a.integer('line'));
      const given = { endLine: a.optionalInteger('endLine'), column: a.optionalInteger('column'), endColumn: a.optionalInteger('endColumn') };
      const endLine = given.endLine !== undefined ? this.convertClientLineToDebugger(given.endLine) : line;
      const column = given.column !== undefined ? this.convertClientColumnToDebugger(given.column) : undefined;
      const endColumn = given.endColumn !== undefined ? this.convertClientColumnToDebugger(given.endColumn) : undefined;
      response.body = {
        breakpoints: this.breakpoints.locations(file, line, endLine, column, endColumn).map((l) => ({
          line: this.convertDebuggerLineToClient(l.line),
          column: l.column !== undefined ? this.convertDebuggerColumnToClient(l.column) : undefined,
        })),
      };
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Inspection

  protected threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const name = this.config ? path.basename(this.config.program) : 'wasm';
    response.body = { threads: [{ id: THREAD_ID, name }] };
    this.sendResponse(response);
  }

  private frame(height: number): FrameView {
    const exec = this.exec;
    if (!exec || height < 0 || height >= exec.callStack.height) throw new RequestError(`no frame at height ${height}`);
    return exec.frame(height);
  }

  protected stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    void this.guard(response, () => {
      const a = new RequestArgs('stackTrace', args);
      this.checkThread(a);
      const startFrame = a.optionalInteger('startFrame');
      const requestedLevels = a.optionalInteger('levels');
      this.requireStopped();
      const exec = this.stopState.kind === 'frames' ? this.exec : null;
      // Frames of this invocation only (a script's invocation starts at the bottom, a program's too).
      const base = exec ? exec.base : 0;
      // A trap raised in a host function: the engine unwound its frame, the trap remembers it.
      const hostTop = exec && this.trap instanceof HostTrap ? this.trap.func : null;
      const wasmFrames = exec ? exec.callStack.height - base + (hostTop ? 1 : 0) : 0;
      const command = this.invocation?.command ?? null;
      const total = wasmFrames + (command ? 1 : 0);
      const start = Math.max(0, startFrame ?? 0);
      const levels = requestedLevels && requestedLevels > 0 ? requestedLevels : total;
      const frames: DebugProtocol.StackFrame[] = [];
      for (let i = start; i < Math.min(total, start + levels); i++) {
        if (hostTop && i === 0) {
          frames.push({ id: exec!.callStack.height + 2, name: `[host] ${hostTop.name}`, line: 0, column: 0, presentationHint: 'subtle' });
        } else if (i < wasmFrames) {
          // Each requested frame is looked up by height: its instance by binary search in the sparse list.
          const h = exec!.callStack.height - 1 - i + (hostTop ? 1 : 0);
          frames.push(this.stackFrame(exec!.frame(h)));
        } else {
          frames.push({
            id: SCRIPT_FRAME_ID,
            name: `${path.basename(command!.file)}: ${shorten(command!.text.split('\n')[0], 120)}`,
            source: this.sourceOf(command!.file),
            line: this.convertDebuggerLineToClient(command!.line),
            column: this.convertDebuggerColumnToClient(command!.column),
            presentationHint: 'label',
          });
        }
      }
      response.body = { stackFrames: frames, totalFrames: total };
    });
  }

  private stackFrame(frame: FrameView): DebugProtocol.StackFrame {
    const id = frame.height + 2;
    if (!frame.instance) {
      return { id, name: this.view.frameName(frame), line: 0, column: 0, presentationHint: 'subtle' };
    }
    const unit = this.view.unitOf(frame);
    const loc = this.view.location(frame);
    const out: DebugProtocol.StackFrame = {
      id,
      name: this.view.frameName(frame),
      line: loc ? this.convertDebuggerLineToClient(loc.line) : 0,
      column: loc ? this.convertDebuggerColumnToClient(loc.column) : 0,
      instructionPointerReference: unit ? instructionAddress(unit.id, frame.offset) : undefined,
      moduleId: this.view.instanceOf(frame.instance)?.id,
    };
    if (loc) out.source = this.sourceOf(loc.file);
    return out;
  }

  /** The instance and frame height a frame id stands for. */
  private resolveFrame(frameId: number | undefined): { inst: DebugInstance; height: number | null } {
    this.requireStopped();
    if (frameId === undefined) {
      if (this.stopState.kind === 'frames' && this.exec && this.exec.callStack.height > this.exec.base) frameId = this.exec.callStack.height + 1;
      else frameId = SCRIPT_FRAME_ID;
    }
    if (frameId === SCRIPT_FRAME_ID && this.invocation?.command) {
      const instance = this.invocation.func.instance;
      const inst = instance ? this.view.instanceOf(instance) : undefined;
      if (!inst) throw new RequestError('the script command calls a host function: no instance to inspect');
      return { inst, height: null };
    }
    const height = frameId - 2;
    const exec = this.stopState.kind === 'frames' ? this.exec : null;
    if (exec && height === exec.callStack.height && this.trap instanceof HostTrap) {
      throw new RequestError(`frame ${frameId} is a host function (${this.trap.func.name}): it has no wasm state`);
    }
    if (!exec || !Number.isInteger(height) || height < exec.base || height >= exec.callStack.height) throw new RequestError(`unknown frameId ${frameId}`);
    const frame = exec.frame(height);
    const inst = frame.instance ? this.view.instanceOf(frame.instance) : undefined;
    if (!inst) throw new RequestError(`frame ${frameId} is a host function (${frame.func.name}): it has no wasm state`);
    return { inst, height };
  }

  protected scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    void this.guard(response, () => {
      const { inst, height } = this.resolveFrame(new RequestArgs('scopes', args).integer('frameId'));
      response.body = { scopes: this.variables.scopes(inst, height) };
    });
  }

  protected variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    void this.guard(response, () => {
      const a = new RequestArgs('variables', args);
      const request = {
        variablesReference: a.integer('variablesReference'),
        filter: a.optionalChoice('filter', ['indexed', 'named'] as const),
        start: a.optionalInteger('start'),
        count: a.optionalInteger('count'),
        format: WatDebugSession.valueFormat(a),
      };
      this.requireStopped();
      response.body = { variables: this.variables.variables(request) };
    });
  }

  protected setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    void this.guard(response, () => {
      const a = new RequestArgs('setVariable', args);
      const request = { variablesReference: a.integer('variablesReference'), name: a.string('name'), value: a.string('value'), format: WatDebugSession.valueFormat(a) };
      this.requireStopped();
      response.body = this.variables.setVariable(request);
      this.changedByHand();
    });
  }

  protected evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    void this.guard(response, () => {
      const a = new RequestArgs('evaluate', args);
      const expression = a.string('expression');
      const context = a.optionalString('context');
      const format = WatDebugSession.valueFormat(a);
      const { inst, height } = this.resolveFrame(a.optionalInteger('frameId'));
      const frame = height === null ? null : this.frame(height);
      // In the debug console, `target = value` changes a local, a global or memory.
      const assignment = context === 'repl' ? splitAssignment(expression) : null;
      const callsBefore = this.callsMade;
      const value = assignment ? assign(assignment.target, assignment.value, inst, frame, this.invoker) : evaluate(expression, frameContext(inst, frame, this.invoker));
      // What changed the program's state (an assignment, a call) makes the client refresh its views.
      if (assignment) this.changedByHand();
      else if (this.callsMade !== callsBefore) this.sendEvent(new InvalidatedEvent(['variables']));
      response.body = { result: formatEvalValue(value, { hex: format.hex, reference: (r) => this.view.referenceName(r) }), type: evalTypeName(value), ...this.variables.resultReference(value, inst, height, assignment?.target ?? expression) };
      // A value read from memory opens the memory view where it was read.
      const place = assignment ? null : loadPlace(expression, inst, frame, this.invoker);
      if (place) response.body.memoryReference = memoryReference(place.instanceId, place.index, place.address);
    });
  }

  protected completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
    void this.guard(response, () => {
      const a = new RequestArgs('completions', args);
      const text = a.string('text');
      const column = a.integer('column');
      const frameId = a.optionalInteger('frameId');
      // Without a stop there is no frame: offer what needs none (instances, loads).
      let inst: DebugInstance | null = null;
      let frame: FrameView | null = null;
      if (this.stopState.kind !== 'none') {
        const resolved = this.resolveFrame(frameId);
        inst = resolved.inst;
        frame = resolved.height === null ? null : this.frame(resolved.height);
      }
      const cursor = this.convertClientColumnToDebugger(column) - 1;
      const items = completionsAt(text, cursor, inst, frame, this.view.instances);
      // `start` is in the client's column base (columnsStartAt1), as the protocol says.
      const first = this.convertDebuggerColumnToClient(1);
      response.body = { targets: items.map((i) => ({ ...i, start: i.start! + first })) };
    });
  }

  protected setExpressionRequest(response: DebugProtocol.SetExpressionResponse, args: DebugProtocol.SetExpressionArguments): void {
    void this.guard(response, () => {
      const a = new RequestArgs('setExpression', args);
      const expression = a.string('expression');
      const given = a.string('value');
      const format = WatDebugSession.valueFormat(a);
      const { inst, height } = this.resolveFrame(a.optionalInteger('frameId'));
      const value = assign(expression, given, inst, height === null ? null : this.frame(height), this.invoker);
      response.body = { value: formatEvalValue(value, { hex: format.hex, reference: (r) => this.view.referenceName(r) }), type: evalTypeName(value), ...this.variables.resultReference(value, inst, height, expression) };
      this.changedByHand();
    });
  }

  protected exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse, args: DebugProtocol.ExceptionInfoArguments): void {
    void this.guard(response, () => {
      this.checkThread(new RequestArgs('exceptionInfo', args));
      if (this.thrown) {
        response.body = exceptionInfo(this.thrown, this.view.stackReport(describeThrow(this.thrown), this.exec));
        return;
      }
      if (!this.trap) throw new RequestError('not stopped at a trap or an exception');
      response.body = {
        exceptionId: 'trap',
        description: this.trap.message,
        breakMode: this.invocation?.trapExpected ? 'always' : 'unhandled',
        details: { message: this.trap.message, typeName: 'trap', stackTrace: this.view.trapReport(this.trap, this.exec) },
      };
    });
  }

  protected sourceRequest(response: DebugProtocol.SourceResponse, args: DebugProtocol.SourceArguments): void {
    void this.guard(response, () => {
      const a = new RequestArgs('source', args);
      const source = a.optionalObject('source');
      const ref = source?.optionalInteger('sourceReference') ?? a.optionalInteger('sourceReference');
      const file = ref ? this.sourceRefs.get(ref) : source?.optionalString('path');
      const text = file ? this.generatedOwner(file)?.document(file)?.text : undefined;
      if (text === undefined) throw new RequestError(`unknown source${ref ? ` reference ${ref}` : file ? ` ${file}` : ''}`);
      response.body = { content: text, mimeType: 'text/x-wat' };
    });
  }

  /**
   * `generatedFunctionSource` {overview, function}: the document of a function listed in the
   * overview of a binary's generated text (the editor's links in the overview ask for it).
   */
  private generatedFunctionSource(response: DebugProtocol.Response, args: unknown): void {
    void this.guard(response, () => {
      const a = new RequestArgs('generatedFunctionSource', args);
      const overview = this.convertClientPathToDebugger(a.string('overview'));
      const name = a.string('function');
      const owner = this.generatedOwner(overview);
      if (!owner) throw new RequestError(`${overview} is not the generated text of a loaded binary`);
      const file = owner.names.functionsNamed(name).map((i) => owner.functionFile(i)).find((f) => f !== undefined);
      if (!file) throw new RequestError(`${path.basename(overview)} has no function ${name} with code`);
      response.body = { source: this.sourceOf(file) };
    });
  }

  protected loadedSourcesRequest(response: DebugProtocol.LoadedSourcesResponse): void {
    void this.guard(response, () => {
      response.body = { sources: [...this.announcedFiles].map((f) => this.sourceOf(f)) };
    });
  }

  /** Requests the base class does not route: `modules`, and `generatedFunctionSource` of the overview links. */
  protected customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    if (command === 'modules') return this.modulesRequest(response as DebugProtocol.ModulesResponse, args as DebugProtocol.ModulesArguments);
    if (command === 'generatedFunctionSource') return this.generatedFunctionSource(response, args);
    this.sendErrorResponse(response, { id: 1002, format: '{_message}', variables: { _message: `unknown request "${command}"` }, showUser: false });
  }

  protected modulesRequest(response: DebugProtocol.ModulesResponse, args: DebugProtocol.ModulesArguments): void {
    void this.guard(response, () => {
      const a = new RequestArgs('modules', args);
      const start = Math.max(0, a.optionalInteger('startModule') ?? 0);
      const moduleCount = a.optionalInteger('moduleCount');
      const count = moduleCount && moduleCount > 0 ? moduleCount : this.view.instances.length;
      response.body = { modules: this.view.instances.slice(start, start + count).map((i) => this.moduleOf(i)), totalModules: this.view.instances.length };
    });
  }

  protected disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    void this.guard(response, () => {
      const a = new RequestArgs('disassemble', args);
      const request = {
        memoryReference: a.string('memoryReference'),
        offset: a.optionalInteger('offset'),
        instructionOffset: a.optionalInteger('instructionOffset'),
        instructionCount: a.integer('instructionCount'),
        resolveSymbols: a.optionalBoolean('resolveSymbols'),
      };
      const instructions = disassemble(this.view.units, request).map((i) => ({
        ...i,
        location: i.location?.path ? this.sourceOf(i.location.path) : i.location,
        line: i.line !== undefined ? this.convertDebuggerLineToClient(i.line) : undefined,
        column: i.column !== undefined ? this.convertDebuggerColumnToClient(i.column) : undefined,
      }));
      response.body = { instructions };
    });
  }

  /** The memory a memoryReference names and the place in it; `command` names the request in errors. */
  private memoryAt(command: string, reference: string) {
    const place = parseMemoryReference(reference);
    const inst = place && this.view.instances.find((i) => i.id === place.instanceId);
    const memory = inst && inst.instance.memories[place.index];
    if (!memory) throw new RequestError(`${command}: unknown memoryReference ${reference}`);
    return { memory, place: place! };
  }

  protected readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    void this.guard(response, () => {
      const a = new RequestArgs('readMemory', args);
      const { memory, place } = this.memoryAt('readMemory', a.string('memoryReference'));
      const count = a.integer('count');
      if (count < 0) throw new RequestError(`readMemory: argument 'count' must be a whole number of bytes, got ${count}`);
      response.body = readMemoryBytes(memory, place, a.optionalInteger('offset') ?? 0, count);
    });
  }

  protected writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): void {
    void this.guard(response, () => {
      const a = new RequestArgs('writeMemory', args);
      const reference = a.string('memoryReference');
      const data = Buffer.from(a.string('data'), 'base64');
      const offset = a.optionalInteger('offset') ?? 0;
      const allowPartial = a.optionalBoolean('allowPartial') ?? false;
      this.requireStopped();
      const { memory, place } = this.memoryAt('writeMemory', reference);
      const count = writeMemoryBytes(memory, place, offset, data, allowPartial);
      response.body = { offset, bytesWritten: count };
      this.changedByHand();
    });
  }
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

/** A response object for a request whose handler threw before making one. */
class ResponseFor implements DebugProtocol.Response {
  seq = 0;
  type = 'response' as const;
  request_seq: number;
  success = true;
  command: string;
  constructor(request: DebugProtocol.Request) {
    this.request_seq = request.seq;
    this.command = request.command;
  }
}
