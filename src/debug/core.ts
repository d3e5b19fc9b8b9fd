// The debugger core: runs the program on our engine and controls it (breakpoints, steps, stops,
// going backwards) and answers what the user inspects (frames, values, memory, sources), in the
// program's own words; it knows nothing of DAP (session.ts translates). It lives in the thread
// that runs the program (coreWorker.ts): a stop blocks that thread where it is, even with
// JavaScript frames between wasm frames, and requests are handled through `RequestChannel` while
// it waits.

import * as path from 'path';
import { FuncInst, Recording, Trap, UncaughtException, setDefaultTierMode, type MemoryInst, type ThrownException, type Value, type Execution, type FrameView, type Instance, type RunResult, type StepKind } from '../engine/index';
import { HostTrap } from '../host/unresolved';
import { EXCEPTION_FILTERS, ExceptionFilters, defaultFilters, describeThrow, exceptionInfo, filtersFrom, throwStops } from './exceptions';
import type { ActionResult } from '../program/script';
import { assign, splitAssignment } from './assign';
import { Breakpoints, type FunctionBreakpointRequest, type InstructionBreakpointRequest, type SourceBreakpointRequest } from './breakpoints';
import { completionsAt } from './completions';
import { disassemble, type DisassembleRequest } from './disassembly';
import { emptyContext, evalTypeName, evaluate, formatEvalValue } from './evaluate';
import { DebugInstance, frameContext, loadPlace, type Invoker } from './inspect';
import type { LaunchConfig } from './launchArgs';
import { Invocation, ProgramTarget, ScriptTarget, Target, TargetHost } from './targets';
import { ProgramView } from './stackTrace';
import type { GeneratedText } from '../text/generatedText';
import { CodeUnit, functionMap, hasText, instructionAddress, isBranchSkip, pathKey } from './units';
import { RequestError } from './requestError';
import { Variables, type SetVariableRequest, type VariablesRequest } from './variables';
import { TimeTravel, type PauseView } from './timeTravel';
import { DataBreakpoints, instructionAt, type Access, type DataAccess, type DataTarget } from './dataBreakpoints';
import { dataTargetOf, type DataTargetRequest } from './dataTargets';
import { memoryReference, parseMemoryReference, readMemoryBytes, writeMemoryBytes } from './memoryRefs';
import type { CoreEvent } from './coreProtocol';
import { JsProgram } from './jsProgram';
import { jsFramesAt, type JsFrame } from './jsFrames';
import { JS_FRAME_BASE, SCRIPT_FRAME_ID, mixedStack, programStack, type FrameShown, type StackEntries } from './stackFrames';
import type {
  BreakpointLocationView, BreakpointView, ChangedValueView, CompletionView, DataBreakpointInfoView, EvaluationView,
  ExceptionInfoView, InstructionView, MemoryView, ModuleView, ScopeView, SourceView, StackFrameView, VariableView,
} from './views';

/** Budget units (calls and backward branches) per slice: between slices the core takes requests. */
const SLICE_BUDGET = 200_000;
/** Slices a call made by an expression may run before it is abandoned. */
const CALL_SLICES = 50;

export { EXCEPTION_FILTERS };

/** How the core gets the session's requests while the program runs or is stopped. */
export interface RequestChannel {
  /** Handles the requests that have arrived, without waiting. */
  poll(): void;
  /** Waits for a request and handles it. */
  waitForRequest(): void;
  /** Lets the thread end once nothing but the session's requests would keep it alive. */
  release(): void;
}

type Granularity = 'line' | 'instruction';

/** What a stop says besides its reason: a short text, and the longer description shown with it. */
interface StopText {
  text: string;
  description: string;
}

/** A step in progress: what it started from and what ends it. */
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
  /** The step left wasm called from JavaScript: it ends in the wasm frame the JavaScript returns to. */
  returning?: boolean;
}

type Stop =
  | { kind: 'none' }
  /** Stopped inside a running execution. */
  | { kind: 'frames' }
  /** Stopped at a .wast command, before its invocation starts. */
  | { kind: 'script' };

export class DebuggerCore {
  private config: LaunchConfig | null = null;
  private target: Target | null = null;
  private js: JsProgram | null = null;
  private readonly view = new ProgramView();
  /** The files loadedSources lists: text files, and of a binary its overview and the documents shown so far. */
  private readonly announcedFiles = new Set<string>();
  private readonly breakpoints = new Breakpoints((module, funcIndex, offsets) => this.store()?.setBreakpoints(module, funcIndex, offsets));
  /** Calls made by expressions at a stop (`$fib(5)` in the debug console, a condition calling a function). */
  private readonly invoker: Invoker = {
    instances: () => this.view.instances,
    run: (func, args) => this.callAtStop(func, args),
  };
  private readonly values = new Variables(
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

  /** The .wat/.wasm/.wast invocation running (a JavaScript program has none: it calls wasm itself). */
  private invocation: Invocation | null = null;
  /** The innermost execution the core runs (a JavaScript callback's runs on top of its caller's). */
  private exec: Execution | null = null;
  /** The recording of the running invocation, to go backwards in it; null with `"record": false`. */
  private timeTravel: TimeTravel | null = null;
  private stopState: Stop = { kind: 'none' };
  private trap: Trap | null = null;
  private stepPlan: StepPlan | null = null;
  /** Stop at the next script command (a step that finished an invocation, or pause between invocations). */
  private stopAtNextCommand: 'step' | 'pause' | 'entry' | null = null;
  /** Stop at the first instruction of the next execution (pause or stop-on-entry before any wasm runs). */
  private pausePending = false;
  private entryPending = false;
  private ended = false;
  /** The target's run loop has returned: nothing of the program is on the thread's stack. */
  private finished = false;
  private nextUnit = 1;
  /** The reason to report when the armed first-instruction stop of an execution happens. */
  private firstStop: 'entry' | 'pause' | 'step' | null = null;
  /** Depth of calls made by expressions at a stop: nothing stops inside them. */
  private callingAtStop = 0;
  private callsMade = 0;
  /** The JavaScript frames of the current stop, read once per stop. */
  private jsFrames: JsFrame[][] | null = null;
  /** Events to send once the request being handled has been answered. */
  private readonly afterAnswer: CoreEvent[] = [];

  constructor(
    private readonly emit: (event: CoreEvent) => void,
    private readonly channel: RequestChannel,
  ) {}

  /** Events a request queued for after its answer (the worker sends them). */
  takeAfterAnswer(): CoreEvent[] {
    return this.afterAnswer.splice(0);
  }

  private output(category: 'stdout' | 'stderr' | 'console', text: string): void {
    this.emit({ event: 'output', category, text });
  }

  private store() {
    return this.js?.store ?? this.target?.store ?? null;
  }

  // ---------------------------------------------------------------------------------------------
  // Launch

  /** Loads the program (a JavaScript program loads its modules itself, once it runs). */
  async launch(config: LaunchConfig): Promise<void> {
    this.config = config;
    // Stores made in this thread (it runs one session at a time) get the launch's compiled tier.
    setDefaultTierMode(config.compiledTier);
    const host = this.targetHost();
    if (config.kind === 'js') {
      this.js = new JsProgram(config, {
        ...host,
        invoke: (func, args) => this.invokeFromJs(func, args),
        ended: (exitCode) => this.end(exitCode),
      });
    } else if (config.kind === 'wast') {
      const script = await ScriptTarget.load(config, host);
      this.breakpointsChanged(this.breakpoints.setScriptCommands(config.program, script.invocationCommands()));
      this.target = script;
    } else {
      this.target = await ProgramTarget.load(config, host);
    }
    // Units registered while the target was loading had no store to hand their breakpoints to.
    this.breakpoints.reapply();
    this.breakpoints.programLoaded();
  }

  /** Runs the program (after the client's configuration is done). */
  start(): void {
    const config = this.config;
    if (!config) throw new RequestError('there is no program yet: launch one first');
    // Run Without Debugging (noDebug) runs straight through: no entry stop, breakpoints or trap stops.
    const entry = config.stopOnEntry && !config.noDebug;
    if (this.js) {
      this.entryPending = entry;
      // The thread lives as long as the program has work (its event loop), not for the session's requests.
      this.channel.release();
      void this.js.run().catch((e) => {
        this.output('stderr', `${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.exitCode = 1;
      });
      return;
    }
    if (entry) this.stopAtNextCommand = 'entry';
    void this.runTarget(entry);
  }

  private targetHost(): TargetHost {
    return {
      output: {
        stdout: (text) => this.output('stdout', text),
        stderr: (text) => this.output('stderr', text),
      },
      addUnit: (unit) => this.addUnit(unit),
      addInstance: (unit, instance, name) => this.addInstance(unit, instance, name),
      nextUnitId: () => this.nextUnit++,
      console: (text) => this.output('console', text),
    };
  }

  /** A module's unit (before its instances): breakpoints resolve in it, the client hears of its source. */
  private addUnit(unit: CodeUnit): void {
    if (!this.view.addUnit(unit)) return;
    if (unit.file) this.announce(unit.file);
    this.breakpointsChanged(this.breakpoints.addUnit(unit));
  }

  /** A new instance: the client hears of it; breakpoints naming it (`math!fib`) resolve. */
  private addInstance(unit: CodeUnit, instance: Instance, name: string): void {
    this.addUnit(unit);
    const inst = this.view.add(unit, instance, name);
    this.breakpointsChanged(this.breakpoints.instanceAdded());
    this.emit({ event: 'module', module: this.moduleOf(inst) });
  }

  private breakpointsChanged(changed: BreakpointView[]): void {
    for (const breakpoint of this.withSources(changed)) this.emit({ event: 'breakpoint', breakpoint });
  }

  /** Breakpoints (or instructions) with the files they name as the user sees them. */
  private withSources<T extends { file?: string; source?: SourceView }>(items: T[]): T[] {
    for (const item of items) if (item.file !== undefined) item.source = this.sourceOf(item.file);
    return items;
  }

  private moduleOf(inst: DebugInstance): ModuleView {
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
    this.emit({ event: 'loadedSource', source: this.sourceOf(file) });
  }

  /** The generated text `file` is a document of, or undefined for a file of the user's. */
  private generatedOwner(file: string): GeneratedText | undefined {
    const key = pathKey(file);
    for (const unit of this.view.units) if (unit.generated?.owns(key)) return unit.generated;
    return undefined;
  }

  /** A file as the user sees it; a document generated from a binary is named after the binary (`hello.wasm/_start.wat`). */
  private sourceOf(file: string): SourceView {
    const owner = this.generatedOwner(file);
    if (!owner) return { path: file, name: path.basename(file), generated: false };
    this.announce(file);
    return { path: file, name: owner.displayName(file), generated: true };
  }

  // ---------------------------------------------------------------------------------------------
  // Running: one loop per execution, which blocks in place while stopped

  /** Runs a .wat/.wasm/.wast target's invocations one after the other, then ends. */
  private async runTarget(stopAtEntry: boolean): Promise<void> {
    for (;;) {
      let invocation: Invocation | null;
      try {
        invocation = await this.target!.next();
      } catch (e) {
        this.output('stderr', `wat-debugger: ${(e as Error).message}\n`);
        invocation = null;
      }
      if (!invocation || this.ended) {
        this.end(this.target?.exitCode() ?? 0);
        this.finished = true;
        return;
      }
      this.invocation = invocation;
      let result: ActionResult;
      try {
        result = this.runInvocation(invocation, stopAtEntry);
      } catch (e) {
        result = this.internalError(e);
      }
      stopAtEntry = false;
      this.finishInvocation(result);
    }
  }

  private runInvocation(invocation: Invocation, stopAtEntry: boolean): ActionResult {
    let firstStop: 'entry' | 'pause' | 'step' | null = this.pausePending ? 'pause' : stopAtEntry ? 'entry' : null;
    // A script stops at its command first (its own frame), a program at the entry's first instruction.
    if (invocation.command !== null) {
      const hit = this.commandBreakpoints(invocation);
      const scriptStop = hit.length ? 'breakpoint' : this.pausePending ? 'pause' : this.stopAtNextCommand;
      if (scriptStop) {
        this.stopAtNextCommand = null;
        this.pausePending = false;
        this.stopState = { kind: 'script' };
        this.sendStopped(scriptStop, hit);
        this.blockWhileStopped();
        const stepIn = this.stepPlan?.kind === 'in';
        const stepping = this.stepPlan !== null;
        this.stepPlan = null;
        firstStop = stepIn ? 'step' : null;
        this.begin(invocation.func, invocation.args, firstStop);
        // Stepping over a script command runs its invocation whole, then stops at the next command.
        if (stepping && !stepIn) this.stopAtNextCommand = 'step';
        return this.drive();
      }
    }
    this.begin(invocation.func, invocation.args, firstStop);
    return this.drive();
  }

  /** Starts an execution as the innermost one; `firstStop` stops at its first instruction with that reason. */
  private begin(func: FuncInst, args: Value[], firstStop: 'entry' | 'pause' | 'step' | null): Execution {
    const exec = this.store()!.begin(func, args);
    this.exec = exec;
    if (this.invocation && this.config?.record) {
      this.timeTravel?.recording.dispose();
      const recording = new Recording(this.target!.store, () => this.view.instances.map((i) => i.instance), { budgetBytes: this.config.recordingBudget });
      recording.checkpoint();
      this.timeTravel = new TimeTravel(recording, exec);
    }
    this.applyThrowStops();
    this.pausePending = false;
    this.entryPending = false;
    if (firstStop) {
      this.stopAtNextCommand = null;
      this.stepPlan = { kind: 'in', granularity: 'instruction', height: -1, func: null, line: null, engineKind: 'in', engineMax: exec.step('in') };
      this.firstStop = firstStop;
    }
    return exec;
  }

  /**
   * Runs the innermost execution until it returns or traps, in slices between which requests are
   * handled; every stop on the way blocks here until the user goes on.
   */
  private drive(): ActionResult {
    const exec = this.exec!;
    for (;;) {
      this.channel.poll();
      if (this.ended) this.blockForever();
      const outcome = this.afterSlice(exec, exec.run(SLICE_BUDGET));
      if (outcome) return outcome;
    }
  }

  /** What a slice's end means: null to run on (after any stop it made), or how the execution ended. */
  private afterSlice(exec: Execution, result: RunResult): ActionResult | null {
    switch (result.status) {
      case 'done':
        return { kind: 'returned', values: result.results };
      case 'trapped':
        return this.onTrap(result.trap);
      case 'paused':
        switch (result.reason) {
          case 'budget':
            this.timeTravel?.recording.paused(exec);
            return null;
          case 'pause':
            if (this.hostWrite) {
              // A host function wrote watched memory: the run paused as the call returned.
              const access = this.hostWrite;
              this.hostWrite = null;
              this.stepPlan = null;
              this.stopForData(access.ids, this.dataBreakpoints.describe(access, this.topFrame()));
            } else if (this.stepPlan?.returning) {
              this.stepPlan = null;
              this.stopHere('step');
            } else {
              this.stepPlan = null;
              this.stopHere('pause');
            }
            return null;
          case 'breakpoint':
            this.onBreakpoint(exec);
            return null;
          case 'step':
            this.onStep(exec);
            return null;
          case 'exception':
            this.onThrow(exec);
            return null;
        }
    }
    return null;
  }

  /** Waits, answering requests, until a request leaves the stop (continue, a step, a trap's end). */
  private blockWhileStopped(): void {
    while (this.stopState.kind !== 'none' || this.ended) {
      if (this.ended) this.blockForever();
      this.channel.waitForRequest();
    }
  }

  /** After terminate: nothing runs any more; requests are still answered until the thread is stopped. */
  private blockForever(): never {
    for (;;) this.channel.waitForRequest();
  }

  /**
   * Something failed that should not (an engine or debugger bug): say so and end the invocation
   * as if it had trapped. The adapter never dies.
   */
  private internalError(e: unknown): ActionResult {
    const error = e instanceof Error ? e : new Error(String(e));
    this.output('stderr', `wat-debugger: internal error: ${error.message}\n${error.stack ?? ''}\n`);
    return { kind: 'threw', error };
  }

  /**
   * A call from JavaScript into wasm (a JavaScript program's export call, a callback): it runs
   * under the debugger, on top of any wasm that called the JavaScript, and stops where it should.
   */
  private invokeFromJs(func: FuncInst, args: Value[]): Value[] {
    const store = this.store()!;
    if (this.callingAtStop > 0 || this.config?.noDebug) return store.invoke(func, args);
    const outer = this.exec;
    // Stepping in from a wasm call into JavaScript stops in the first wasm code it reaches.
    const steppingIn = outer !== null && this.stepPlan !== null && this.stepPlan.kind === 'in' && !this.stepPlan.returning;
    const firstStop = this.pausePending ? 'pause' : this.entryPending ? 'entry' : steppingIn ? 'step' : null;
    this.begin(func, args, firstStop);
    let result: ActionResult;
    try {
      result = this.drive();
    } catch (e) {
      result = this.internalError(e);
    }
    const exec = this.exec!;
    if (exec.status !== 'done') exec.unwind();
    this.exec = outer;
    this.trap = null;
    this.thrown = null;
    if (this.stepPlan && this.stepPlan.height >= exec.base) {
      // A step that ran off the end of wasm called from JavaScript ends in the wasm the JavaScript returns to, if any.
      if (outer) {
        this.stepPlan.returning = true;
        outer.requestPause();
      } else this.stepPlan = null;
    }
    if (result.kind === 'threw') throw result.error;
    return result.values;
  }

  /**
   * Runs a call an expression makes, on top of the stopped program, to completion: breakpoints do
   * not stop it, a trap or a call that runs too long is abandoned (its frames unwound).
   */
  private callAtStop(func: FuncInst, args: Value[]): Value[] {
    if (!this.store()) throw new Error('no program is loaded');
    this.callsMade++;
    this.callingAtStop++;
    try {
      const recording = this.timeTravel?.recording;
      if (!recording) return this.runCall(func, args);
      // The call's host calls are not part of the recorded run, and what it changed is an edit.
      try {
        return recording.unrecorded(() => this.runCall(func, args));
      } finally {
        recording.edited(this.exec!);
      }
    } finally {
      this.callingAtStop--;
    }
  }

  private runCall(func: FuncInst, args: Value[]): Value[] {
    const exec = this.store()!.begin(func, args);
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
    this.report(hit);
    return hit.stop ? hit.hitBreakpointIds : [];
  }

  private report(hit: { logs: string[]; errors: string[] }): void {
    for (const log of hit.logs) this.output('console', log + '\n');
    for (const error of hit.errors) this.output('stderr', error + '\n');
  }

  /** Tells the engine which throws to stop at, from the filters and the invocation. */
  private applyThrowStops(): void {
    const store = this.store();
    if (store) store.stopOnThrow = throwStops(this.trapFilters, this.config?.noDebug ?? false, this.invocation?.trapExpected ?? false);
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
    this.report(hit);
    return { stop: hit.stop, ids: hit.hitBreakpointIds };
  }

  private onBreakpoint(exec: Execution): void {
    const access = this.dataBreakpoints.active && !this.config?.noDebug ? this.dataAccessHere() : null;
    if (access && access.ids.length) {
      // Run the writing instruction, then stop after it (see onStep).
      const engineMax = exec.step('instruction');
      this.stepPlan = { kind: 'in', granularity: 'instruction', height: -1, func: null, line: null, engineKind: 'instruction', engineMax, dataAccess: access };
      return;
    }
    const { stop, ids } = this.config?.noDebug ? { stop: false, ids: [] } : this.checkBreakpoints();
    if (stop) {
      this.stepPlan = null;
      return this.stopHere('breakpoint', ids);
    }
    // Not for the user: carry on with whatever was running (a step keeps the limit it started with).
    if (this.stepPlan) exec.step(this.stepPlan.engineKind, this.stepPlan.engineMax);
  }

  private onStep(exec: Execution): void {
    const plan = this.stepPlan;
    if (!plan) {
      // A step that ended elsewhere (in wasm a JavaScript callback ran) left this execution armed.
      exec.stepKind = null;
      exec.stepMax = Infinity;
      return;
    }
    if (plan.dataAccess) {
      this.stepPlan = null;
      const access = plan.dataAccess;
      return this.stopForData(access.ids, this.dataBreakpoints.describe(access, exec.callStack.height > exec.base ? this.topFrame() : null));
    }
    if (this.firstStop) {
      const reason = this.firstStop;
      this.firstStop = null;
      this.stepPlan = null;
      return this.stopHere(reason);
    }
    // A breakpoint where the step pauses counts (hits, log points), ended step or not: the run
    // goes past it afterwards without the engine stopping there again.
    const frame = this.topFrame();
    const hit = frame.instance && this.breakpoints.has(frame.instance.module, frame.offset) ? this.checkBreakpoints() : null;
    if (hit?.stop) {
      this.stepPlan = null;
      return this.stopHere('breakpoint', hit.ids);
    }
    if (plan.returning || this.stepEnds(plan)) {
      this.stepPlan = null;
      return this.stopHere('step');
    }
    exec.step(plan.engineKind, plan.engineMax);
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
  private onThrow(exec: Execution): void {
    this.stepPlan = null;
    this.thrown = exec.thrown;
    const text = describeThrow(this.thrown!);
    this.stopHere('exception', undefined, { text, description: `Paused on ${text[0].toLowerCase()}${text.slice(1)}` });
  }

  /** A trap: stop where it happened (the stack intact) if the filters say so; then the execution ends with it. */
  private onTrap(trap: Trap): ActionResult | null {
    const expected = this.invocation?.trapExpected ?? false;
    const exited = this.invocation?.exitCode(trap) != null;
    // An uncaught exception stopped at its throw already when the exception filters wanted it.
    const stopHere = !this.config?.noDebug && !exited && !(trap instanceof UncaughtException) && (expected ? this.trapFilters.expectedTrap : this.trapFilters.trap);
    if (stopHere) {
      this.stepPlan = null;
      this.trap = trap;
      this.stopHere('exception', undefined, { text: trap.message, description: `Paused on trap: ${trap.message}` });
      // Gone back in time from the trap: the run goes on from that earlier moment.
      if (this.trap === null) return null;
    }
    // Wasm called from JavaScript hands the trap to the JavaScript (a RuntimeError), which reports it if nobody catches it.
    if (!exited && !expected && !this.js) this.output('stderr', this.view.trapReport(trap, this.exec));
    this.trap = null;
    return { kind: 'threw', error: trap };
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
    if (this.stepPlan && invocation?.command) this.stopAtNextCommand = 'step';
    this.stepPlan = null;
  }

  /** Whether the thread can run another session's program: this one ended by itself and nothing of it runs or waits. */
  reusable(): boolean {
    return this.finished && !this.js;
  }

  private end(exitCode: number): void {
    if (this.ended) return;
    this.ended = true;
    this.stopState = { kind: 'none' };
    const summary = this.target?.summary();
    if (summary) this.output('console', summary + '\n');
    this.emit({ event: 'exited', exitCode });
    this.emit({ event: 'terminated' });
  }

  /** Stopped where the run is now: the recording's frontier moves here, the client hears of it, and the thread waits. */
  private stopHere(reason: string, hitBreakpointIds?: number[], said?: StopText): void {
    if (this.exec) this.timeTravel?.recording.paused(this.exec);
    this.stopState = { kind: 'frames' };
    this.sendStopped(reason, hitBreakpointIds, said);
    this.blockWhileStopped();
  }

  private sendStopped(reason: string, hitBreakpointIds?: number[], said?: StopText, after = false): void {
    this.values.reset();
    this.jsFrames = null;
    const event: CoreEvent = { event: 'stopped', reason };
    if (hitBreakpointIds?.length) event.hitBreakpointIds = hitBreakpointIds;
    if (said) {
      event.text = said.text;
      event.description = said.description;
    }
    if (after) this.afterAnswer.push(event);
    else this.emit(event);
  }

  private requireStopped(): void {
    if (this.stopState.kind !== 'none') return;
    if (this.ended) throw new RequestError('the program has ended');
    if (!this.config) throw new RequestError('there is no program yet: launch one first');
    throw new RequestError('the program is running; pause it first');
  }

  /** Leaves the stop; the blocked run goes on with whatever step the request armed. */
  private leaveStop(): void {
    this.stopState = { kind: 'none' };
    this.thrown = null;
    this.values.reset();
    this.jsFrames = null;
  }

  // ---------------------------------------------------------------------------------------------
  // Execution control

  continue(): void {
    this.requireStopped();
    this.stepPlan = null;
    this.leaveStop();
  }

  step(kind: 'in' | 'over' | 'out', granularity: Granularity): void {
    this.requireStopped();
    if (this.stopState.kind === 'script' || this.trap) {
      this.stepPlan = { kind, granularity, height: -1, func: null, line: null, engineKind: 'in', engineMax: Infinity };
      return this.leaveStop();
    }
    const exec = this.exec!;
    const top = exec.callStack.height - 1;
    const frame = this.topFrame();
    const engineKind: StepKind = kind === 'in' ? (granularity === 'instruction' ? 'instruction' : 'in') : kind;
    // Stepping out of the bottom frame of wasm called from JavaScript: the engine finishes the execution.
    const engineMax = exec.step(engineKind);
    this.stepPlan = { kind, granularity, height: top, func: frame.func, line: this.view.location(frame)?.line ?? null, engineKind, engineMax };
    this.leaveStop();
  }

  pause(): void {
    if (this.ended) throw new RequestError('the program has ended');
    if (this.stopState.kind !== 'none') return; // already stopped
    if (this.exec) this.exec.requestPause();
    else this.pausePending = true;
  }

  // ---------------------------------------------------------------------------------------------
  // Going backwards (the recording: src/engine/recording.ts, searched by timeTravel.ts)

  stepBack(granularity: Granularity): void {
    const travel = this.travelling('stepBack');
    const moved = travel.stepBack(granularity, this.pauseView());
    this.arrived(moved ? 'step' : 'entry');
  }

  reverseContinue(): void {
    const ids = this.travelling('reverseContinue').reverseContinue(this.pauseView());
    // Going backwards a data breakpoint stops at the write, before it happens.
    const reason = !ids ? 'entry' : ids.some((id) => this.dataBreakpoints.owns(id)) ? 'data breakpoint' : 'breakpoint';
    this.arrived(reason, ids ?? undefined);
  }

  restartFrame(frameId: number): void {
    const travel = this.travelling('restartFrame');
    const height = frameId - 2; // as stackTrace numbers frames
    if (height < this.exec!.base || height >= this.exec!.callStack.height) throw new RequestError(`restartFrame: unknown frame ${frameId}`);
    if (this.frame(height).instance === null) throw new RequestError(`restartFrame: frame ${frameId} is a host function, which has no code to restart`);
    travel.restartFrame(height);
    this.arrived('restart');
  }

  /** The recording, for a request that goes back in time; the stop is left (its trap or throw belong to a later moment). */
  private travelling(request: string): TimeTravel {
    this.requireStopped();
    if (this.stopState.kind === 'script') throw new RequestError(`${request}: stopped at a script command; going back works inside the invocation of a command`);
    if (this.js) throw new RequestError(`${request}: a JavaScript program's run is not recorded (its JavaScript cannot be replayed)`);
    if (!this.timeTravel) throw new RequestError(`${request}: this run is not recorded ("record": false in the launch configuration)`);
    this.stepPlan = null;
    this.trap = null;
    this.thrown = null;
    return this.timeTravel;
  }

  /** Stopped at an earlier moment: the client hears of it once the request has been answered. */
  private arrived(reason: string, hitBreakpointIds?: number[]): void {
    this.stopState = { kind: 'frames' };
    this.sendStopped(reason, hitBreakpointIds, undefined, true);
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
    this.afterAnswer.push({ event: 'invalidated' });
  }

  /** The running invocation's recording: its checkpoints and the bytes they hold (for `npm run bench`). */
  recordingStats(): { checkpoints: number; bytes: number } | null {
    const r = this.timeTravel?.recording;
    return r ? { checkpoints: r.checkpointCount, bytes: r.checkpointBytes } : null;
  }

  /** Ends the session: the program's summary and exit code are told; nothing runs any more. */
  terminate(): void {
    this.end(this.target?.exitCode() ?? 0);
  }

  threadName(): string {
    return this.config ? path.basename(this.config.program) : 'wasm';
  }

  // ---------------------------------------------------------------------------------------------
  // Data breakpoints (dataBreakpoints.ts)

  dataBreakpointInfo(request: DataTargetRequest): DataBreakpointInfoView {
    this.requireStopped();
    const target = dataTargetOf(request, {
      instances: this.view.instances,
      values: this.values,
      invoker: this.invoker,
      resolveFrame: (frameId) => this.resolveFrame(frameId),
      frame: (height) => this.frame(height),
      framePointer: (height) => this.exec!.callStack.fps[height],
    });
    if (typeof target === 'string') return { dataId: null, description: target };
    const dataId = `${this.dataTargets.size + 1}:${target.label}`;
    this.dataTargets.set(dataId, target);
    const immutable = target.kind === 'global' && !target.global.type.mutable;
    return { dataId, description: target.label, accessTypes: immutable ? ['read'] : ['write', 'read', 'readWrite'], canPersist: false };
  }

  setDataBreakpoints(requested: { dataId: string; accessType: Access }[]): BreakpointView[] {
    const checked = requested.map(({ dataId, accessType }, i) => {
      const target = this.dataTargets.get(dataId);
      if (!target) return `setDataBreakpoints: breakpoints[${i}].dataId "${dataId}" names nothing dataBreakpointInfo gave`;
      if (accessType !== 'read' && target.kind === 'global' && !target.global.type.mutable) return `setDataBreakpoints: breakpoints[${i}]: ${target.label} is immutable, nothing writes it; watch its reads`;
      return { target, access: accessType };
    });
    const answer = this.dataBreakpoints.set(checked);
    // Memory written by host functions (WASI's fd_read) is watched through what they report.
    const store = this.store();
    if (store) store.onHostWrite = this.dataBreakpoints.active ? (memory, address, length) => this.hostWrote(memory, address, length) : null;
    return answer;
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

  // ---------------------------------------------------------------------------------------------
  // Breakpoints

  setSourceBreakpoints(file: string, requested: SourceBreakpointRequest[]): BreakpointView[] {
    return this.withSources(this.breakpoints.setSourceBreakpoints(file, requested));
  }

  setFunctionBreakpoints(requested: FunctionBreakpointRequest[]): BreakpointView[] {
    return this.withSources(this.breakpoints.setFunctionBreakpoints(requested));
  }

  setInstructionBreakpoints(requested: InstructionBreakpointRequest[]): BreakpointView[] {
    return this.withSources(this.breakpoints.setInstructionBreakpoints(requested));
  }

  setExceptionFilters(filters: string[]): void {
    try {
      this.trapFilters = filtersFrom(filters);
    } catch (e) {
      throw new RequestError((e as Error).message);
    }
    this.applyThrowStops();
  }

  breakpointLocations(file: string, line: number, endLine: number, column?: number, endColumn?: number): BreakpointLocationView[] {
    return this.breakpoints.locations(file, line, endLine, column, endColumn);
  }

  // ---------------------------------------------------------------------------------------------
  // Inspection

  private frame(height: number): FrameView {
    const exec = this.exec;
    if (!exec || height < 0 || height >= exec.callStack.height) throw new RequestError(`no frame at height ${height}`);
    return exec.frame(height);
  }

  /**
   * The stack, innermost first: wasm frames of every execution (a JavaScript callback's above the
   * wasm that called the JavaScript), the JavaScript frames between them, a .wast command's frame.
   */
  stackTrace(startFrame: number, levels: number | undefined): { frames: StackFrameView[]; total: number } {
    this.requireStopped();
    const exec = this.stopState.kind === 'frames' ? this.exec : null;
    const all = this.stackEntries(exec);
    const start = Math.max(0, startFrame);
    const count = levels && levels > 0 ? levels : all.total;
    const frames: StackFrameView[] = [];
    for (let i = start; i < Math.min(all.total, start + count); i++) frames.push(all.at(i));
    return { frames, total: all.total };
  }

  /** The stack's frames, each made when asked for (stackFrames.ts). */
  private stackEntries(exec: Execution | null): StackEntries {
    const shown: FrameShown = { view: this.view, sourceOf: (file) => this.sourceOf(file) };
    if (this.js && exec) {
      const executions = this.store()!.executions;
      return mixedStack(exec, executions, (this.jsFrames ??= jsFramesAt(executions.length)), shown);
    }
    // A trap raised in a host function: the engine unwound its frame, the trap remembers it.
    const hostTop = exec && this.trap instanceof HostTrap ? this.trap.func : null;
    return programStack(exec, hostTop, this.invocation?.command ?? null, shown);
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
    if (frameId >= JS_FRAME_BASE) throw new RequestError(`frame ${frameId} is a JavaScript frame: it has no wasm state`);
    const height = frameId - 2;
    const exec = this.stopState.kind === 'frames' ? this.exec : null;
    if (exec && height === exec.callStack.height && this.trap instanceof HostTrap) {
      throw new RequestError(`frame ${frameId} is a host function (${this.trap.func.name}): it has no wasm state`);
    }
    const bottom = exec && this.js ? 0 : exec?.base ?? 0;
    if (!exec || !Number.isInteger(height) || height < bottom || height >= exec.callStack.height) throw new RequestError(`unknown frameId ${frameId}`);
    const frame = exec.frame(height);
    const inst = frame.instance ? this.view.instanceOf(frame.instance) : undefined;
    if (!inst) throw new RequestError(`frame ${frameId} is a host function (${frame.func.name}): it has no wasm state`);
    return { inst, height };
  }

  scopes(frameId: number): ScopeView[] {
    // A JavaScript frame has no wasm state to show (its own values are JavaScript's).
    if (frameId >= JS_FRAME_BASE && this.js) {
      this.requireStopped();
      return [];
    }
    const { inst, height } = this.resolveFrame(frameId);
    return this.values.scopes(inst, height);
  }

  variables(request: VariablesRequest): VariableView[] {
    this.requireStopped();
    return this.values.variables(request);
  }

  setVariable(request: SetVariableRequest): ChangedValueView {
    this.requireStopped();
    const changed = this.values.setVariable(request);
    this.changedByHand();
    return changed;
  }

  evaluate(request: { expression: string; context?: string; frameId?: number; hex?: boolean }): EvaluationView {
    const { expression, context } = request;
    const { inst, height } = this.resolveFrame(request.frameId);
    const frame = height === null ? null : this.frame(height);
    // In the debug console, `target = value` changes a local, a global or memory.
    const assignment = context === 'repl' ? splitAssignment(expression) : null;
    const callsBefore = this.callsMade;
    const value = assignment ? assign(assignment.target, assignment.value, inst, frame, this.invoker) : evaluate(expression, frameContext(inst, frame, this.invoker));
    // What changed the program's state (an assignment, a call) makes the client refresh its views.
    if (assignment) this.changedByHand();
    else if (this.callsMade !== callsBefore) this.afterAnswer.push({ event: 'invalidated' });
    const answer: EvaluationView = {
      result: formatEvalValue(value, { hex: request.hex, reference: (r) => this.view.referenceName(r) }),
      type: evalTypeName(value),
      ...this.values.resultReference(value, inst, height, assignment?.target ?? expression),
    };
    // A value read from memory opens the memory view where it was read.
    const place = assignment ? null : loadPlace(expression, inst, frame, this.invoker);
    if (place) answer.memoryReference = memoryReference(place.instanceId, place.index, place.address);
    return answer;
  }

  /** Completions at `cursor` (0-based) of `text`; without a stop, what needs no frame (instances, loads). */
  completions(text: string, cursor: number, frameId: number | undefined): CompletionView[] {
    let inst: DebugInstance | null = null;
    let frame: FrameView | null = null;
    if (this.stopState.kind !== 'none') {
      const resolved = this.resolveFrame(frameId);
      inst = resolved.inst;
      frame = resolved.height === null ? null : this.frame(resolved.height);
    }
    return completionsAt(text, cursor, inst, frame, this.view.instances);
  }

  setExpression(request: { expression: string; value: string; frameId?: number; hex?: boolean }): ChangedValueView {
    const { inst, height } = this.resolveFrame(request.frameId);
    const value = assign(request.expression, request.value, inst, height === null ? null : this.frame(height), this.invoker);
    this.changedByHand();
    return {
      value: formatEvalValue(value, { hex: request.hex, reference: (r) => this.view.referenceName(r) }),
      type: evalTypeName(value),
      ...this.values.resultReference(value, inst, height, request.expression),
    };
  }

  exceptionInfo(): ExceptionInfoView {
    if (this.thrown) return exceptionInfo(this.thrown, this.view.stackReport(describeThrow(this.thrown), this.exec));
    if (!this.trap) throw new RequestError('not stopped at a trap or an exception');
    return {
      exceptionId: 'trap',
      description: this.trap.message,
      breakMode: this.invocation?.trapExpected ? 'always' : 'unhandled',
      details: { message: this.trap.message, typeName: 'trap', stackTrace: this.view.trapReport(this.trap, this.exec) },
    };
  }

  /** The text of a document generated from a binary. */
  sourceText(file: string): string {
    const text = this.generatedOwner(file)?.document(file)?.text;
    if (text === undefined) throw new RequestError(`unknown source ${file}`);
    return text;
  }

  /** The document of a function listed in the overview of a binary's generated text. */
  generatedFunctionSource(overview: string, name: string): SourceView {
    const owner = this.generatedOwner(overview);
    if (!owner) throw new RequestError(`${overview} is not the generated text of a loaded binary`);
    const file = owner.names.functionsNamed(name).map((i) => owner.functionFile(i)).find((f) => f !== undefined);
    if (!file) throw new RequestError(`${path.basename(overview)} has no function ${name} with code`);
    return this.sourceOf(file);
  }

  loadedSources(): SourceView[] {
    return [...this.announcedFiles].map((f) => this.sourceOf(f));
  }

  modules(start: number, count: number | undefined): { modules: ModuleView[]; total: number } {
    const all = this.view.instances;
    const n = count && count > 0 ? count : all.length;
    return { modules: all.slice(start, start + n).map((i) => this.moduleOf(i)), total: all.length };
  }

  disassemble(request: DisassembleRequest): InstructionView[] {
    return this.withSources(disassemble(this.view.units, request));
  }

  /** The memory a memoryReference names and the place in it; `command` names the request in errors. */
  private memoryAt(command: string, reference: string) {
    const place = parseMemoryReference(reference);
    const inst = place && this.view.instances.find((i) => i.id === place.instanceId);
    const memory = inst && inst.instance.memories[place.index];
    if (!memory) throw new RequestError(`${command}: unknown memoryReference ${reference}`);
    return { memory, place: place! };
  }

  readMemory(reference: string, offset: number, count: number): MemoryView {
    const { memory, place } = this.memoryAt('readMemory', reference);
    return readMemoryBytes(memory, place, offset, count);
  }

  writeMemory(reference: string, offset: number, data: Uint8Array, allowPartial: boolean): number {
    this.requireStopped();
    const { memory, place } = this.memoryAt('writeMemory', reference);
    const count = writeMemoryBytes(memory, place, offset, Buffer.from(data.buffer, data.byteOffset, data.byteLength), allowPartial);
    this.changedByHand();
    return count;
  }
}

