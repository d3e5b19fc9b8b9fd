// The Debug Adapter Protocol session: VS Code (or any DAP client) talks to this class, in process
// (src/extension.ts) or over stdio/TCP (src/debugAdapter.ts). It only translates: requests are
// checked and turned into calls of the debugger core, which runs the program in a worker thread
// (core.ts, coreWorker.ts); the core's answers and events become the protocol's shapes (sources
// by reference, the client's line and column base, breakpoint ids that survive a restart).

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
import { EXCEPTION_FILTERS } from './exceptions';
import { LaunchArgError, checkLaunchArgs, describeValue, type LaunchConfig, type WatLaunchArguments } from './launchArgs';
import { RequestArgs } from './requestArgs';
import { RequestError } from './requestError';
import { CoreClient, CoreError } from './coreClient';
import type { CoreArgs, CoreEvent, CoreMethod, CoreResult } from './coreProtocol';
import type { SourceBreakpointRequest } from './breakpoints';
import type { BreakpointView, ModuleView, SourceView, StackFrameView } from './views';

const THREAD_ID = 1;
/** How long launch waits for configurationDone before running the program anyway. */
const CONFIGURATION_WAIT_MS = 5000;
/** How long terminate waits for the core to say goodbye before stopping its thread anyway. */
const TERMINATE_WAIT_MS = 2000;

/** A set of breakpoints as the client last sent it, with the ids it was answered with (replayed on restart). */
interface SentBreakpoints<R> {
  requested: R;
  ids: (number | undefined)[];
}

export class WatDebugSession extends LoggingDebugSession {
  private config: LaunchConfig | null = null;
  private launchArgs: WatLaunchArguments | null = null;
  private core: CoreClient | null = null;
  private sourceRefs = new Map<number, string>();
  private sourceRefByFile = new Map<string, number>();
  /** The modules the client was told of (removed again on restart). */
  private readonly modulesShown = new Map<number, DebugProtocol.Module>();
  private ended = false;
  private configurationDone!: Promise<void>;
  private resolveConfigurationDone!: () => void;
  /** The client's id of each core breakpoint id: the same breakpoint keeps its id across a restart (a new core). */
  private clientIds = new Map<number, number>();
  private nextClientId = 1;
  private readonly sourceBreakpoints = new Map<string, SentBreakpoints<SourceBreakpointRequest[]>>();
  private functionBreakpoints: SentBreakpoints<CoreArgs<'setFunctionBreakpoints'>[0]> | null = null;
  private instructionBreakpoints: SentBreakpoints<CoreArgs<'setInstructionBreakpoints'>[0]> | null = null;
  private exceptionFilters: string[] | null = null;

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
      const expected = e instanceof RequestError || e instanceof LaunchArgError || (e instanceof CoreError && e.expected);
      if (!expected) logger.error(`${message}\n${(e instanceof CoreError ? e.coreStack : (e as Error).stack) ?? ''}`);
      this.sendErrorResponse(response, { id: 1001, format: '{_message}', variables: { _message: message }, showUser: false });
    }
  }

  /** Calls the core; before launch there is none. */
  private call<M extends CoreMethod>(method: M, ...args: CoreArgs<M>): Promise<CoreResult<M>> {
    if (!this.core) return Promise.reject(new RequestError('there is no program yet: launch one first'));
    return this.core.call(method, ...args);
  }

  // ---------------------------------------------------------------------------------------------
  // Initialisation and launch

  protected initializeRequest(response: DebugProtocol.InitializeResponse): void {
    // The program's thread starts now, so it has loaded the debugger by the time launch comes.
    this.core ??= this.newCore();
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
    if (started) void this.startProgram();
  }

  /** A core in its own thread (a kept one when there is one); only its events count while it is the session's. */
  private newCore(): CoreClient {
    const core: CoreClient = new CoreClient(
      (event) => this.core === core && this.onCoreEvent(event),
      (exitCode) => this.core === core && this.threadEnded(exitCode),
    );
    return core;
  }

  /** Loads the program in the session's core (started at initialize, or now). */
  private async load(config: LaunchConfig): Promise<void> {
    this.config = config;
    this.ended = false;
    this.core ??= this.newCore();
    await this.core.call('launch', config);
  }

  private async startProgram(): Promise<void> {
    try {
      await this.call('start');
    } catch (e) {
      this.sendEvent(new OutputEvent(`wat-debugger: ${(e as Error).message}\n`, 'stderr'));
    }
  }

  /** The core's thread ended (a JavaScript program that finished, or a crash): the session ends with it. */
  private threadEnded(exitCode: number): void {
    if (this.ended) return;
    this.ended = true;
    this.sendEvent(new ExitedEvent(exitCode));
    this.sendEvent(new TerminatedEvent());
  }

  private onCoreEvent(event: CoreEvent): void {
    switch (event.event) {
      case 'output':
        return this.sendEvent(new OutputEvent(event.text, event.category));
      case 'stopped': {
        const stopped = new StoppedEvent(event.reason, THREAD_ID, event.text) as DebugProtocol.StoppedEvent;
        if (event.hitBreakpointIds?.length) stopped.body.hitBreakpointIds = event.hitBreakpointIds.map((id) => this.clientId(id)!);
        if (event.description) stopped.body.description = event.description;
        return this.sendEvent(stopped);
      }
      case 'breakpoint':
        return this.sendEvent(new BreakpointEvent('changed', this.clientBreakpoint(event.breakpoint)));
      case 'loadedSource':
        return this.sendEvent(new LoadedSourceEvent('new', this.source(event.source)));
      case 'module': {
        const module = this.module(event.module);
        this.modulesShown.set(module.id as number, module);
        return this.sendEvent(new ModuleEvent('new', module));
      }
      case 'invalidated':
        return this.sendEvent(new InvalidatedEvent(['variables']));
      case 'exited':
        this.ended = true;
        return this.sendEvent(new ExitedEvent(event.exitCode));
      case 'terminated':
        this.ended = true;
        return this.sendEvent(new TerminatedEvent());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Translation of the core's words: sources, lines and columns, breakpoint ids

  /** A file as a DAP source: a document generated from a binary is fetched by reference. */
  private source(view: SourceView): DebugProtocol.Source {
    const source: DebugProtocol.Source = { name: view.name, path: this.convertDebuggerPathToClient(view.path) };
    if (!view.generated) return source;
    let ref = this.sourceRefByFile.get(view.path);
    if (ref === undefined) {
      ref = this.sourceRefs.size + 1;
      this.sourceRefs.set(ref, view.path);
      this.sourceRefByFile.set(view.path, ref);
    }
    source.sourceReference = ref;
    // No 'deemphasize' hint: VS Code would then skip these frames when choosing which frame to
    // show on a stop (stop on entry, steps), so a .wasm's generated text would never open.
    source.origin = 'generated from the binary';
    return source;
  }

  private line(line: number): number {
    return this.convertDebuggerLineToClient(line);
  }

  private column(column: number): number {
    return this.convertDebuggerColumnToClient(column);
  }

  /** The client's id of a core breakpoint id (a new one the first time). */
  private clientId(coreId: number | undefined): number | undefined {
    if (coreId === undefined) return undefined;
    let id = this.clientIds.get(coreId);
    if (id === undefined) {
      id = this.nextClientId++;
      this.clientIds.set(coreId, id);
    }
    return id;
  }

  private clientBreakpoint(bp: BreakpointView): DebugProtocol.Breakpoint {
    const out: DebugProtocol.Breakpoint = { id: this.clientId(bp.id), verified: bp.verified };
    if (bp.message !== undefined) out.message = bp.message;
    if (bp.source) out.source = this.source(bp.source);
    if (bp.line !== undefined) out.line = this.line(bp.line);
    if (bp.column !== undefined) out.column = this.column(bp.column);
    if (bp.instructionReference !== undefined) out.instructionReference = bp.instructionReference;
    return out;
  }

  private module(view: ModuleView): DebugProtocol.Module {
    return { id: view.id, name: view.name, path: view.path, symbolStatus: view.symbolStatus, addressRange: view.addressRange };
  }

  private stackFrame(frame: StackFrameView): DebugProtocol.StackFrame {
    const out: DebugProtocol.StackFrame = { id: frame.id, name: frame.name, line: frame.line ? this.line(frame.line) : 0, column: frame.column ? this.column(frame.column) : 0 };
    if (frame.source) out.source = this.source(frame.source);
    if (frame.instructionPointerReference !== undefined) out.instructionPointerReference = frame.instructionPointerReference;
    if (frame.moduleId !== undefined) out.moduleId = frame.moduleId;
    if (frame.presentationHint) out.presentationHint = frame.presentationHint;
    return out;
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

  private static granularity(args: RequestArgs): 'line' | 'instruction' {
    return args.optionalChoice('granularity', ['statement', 'line', 'instruction'] as const) === 'instruction' ? 'instruction' : 'line';
  }

  // ---------------------------------------------------------------------------------------------
  // Execution control

  protected continueRequest(response: DebugProtocol.ContinueResponse, args: DebugProtocol.ContinueArguments): void {
    void this.guard(response, async () => {
      this.checkThread(new RequestArgs('continue', args));
      await this.call('continue');
      response.body = { allThreadsContinued: true };
    });
  }

  private stepRequest(response: DebugProtocol.Response, command: string, kind: 'in' | 'over' | 'out', args: unknown): void {
    void this.guard(response, async () => {
      const a = new RequestArgs(command, args);
      this.checkThread(a);
      await this.call('step', kind, WatDebugSession.granularity(a));
    });
  }

  protected nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.stepRequest(response, 'next', 'over', args);
  }

  protected stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.stepRequest(response, 'stepIn', 'in', args);
  }

  protected stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.stepRequest(response, 'stepOut', 'out', args);
  }

  protected pauseRequest(response: DebugProtocol.PauseResponse, args: DebugProtocol.PauseArguments): void {
    void this.guard(response, async () => {
      this.checkThread(new RequestArgs('pause', args));
      await this.call('pause');
    });
  }

  protected stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
    void this.guard(response, async () => {
      const a = new RequestArgs('stepBack', args);
      this.checkThread(a);
      await this.call('stepBack', WatDebugSession.granularity(a));
    });
  }

  protected reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse, args: DebugProtocol.ReverseContinueArguments): void {
    void this.guard(response, async () => {
      this.checkThread(new RequestArgs('reverseContinue', args));
      await this.call('reverseContinue');
    });
  }

  protected restartFrameRequest(response: DebugProtocol.RestartFrameResponse, args: DebugProtocol.RestartFrameArguments): void {
    void this.guard(response, async () => {
      await this.call('restartFrame', new RequestArgs('restartFrame', args).integer('frameId'));
    });
  }

  protected terminateRequest(response: DebugProtocol.TerminateResponse): void {
    void this.guard(response, async () => {
      const core = this.core;
      if (!core || this.ended) return;
      // The core tells the program's summary and exit code; a thread busy in JavaScript is stopped after a while.
      await Promise.race([core.call('terminate').catch(() => {}), new Promise((resolve) => setTimeout(resolve, TERMINATE_WAIT_MS).unref())]);
      await core.stop();
      this.threadEnded(0);
    });
  }

  protected disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    const core = this.core;
    this.core = null;
    this.ended = true;
    void (core?.release() ?? Promise.resolve()).finally(() => this.sendResponse(response));
  }

  /** Ends the session when the adapter process is told to stop. */
  shutdown(): void {
    void this.core?.stop();
    super.shutdown();
  }

  protected async restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments): Promise<void> {
    let restarted = false;
    await this.guard(response, async () => {
      const given = new RequestArgs('restart', args);
      given.optionalObject('arguments');
      const launchArgs = (given.raw('arguments') as WatLaunchArguments | undefined) ?? this.launchArgs;
      if (!launchArgs) throw new RequestError('nothing to restart: the program was never launched');
      const config = checkLaunchArgs(launchArgs);
      // A new thread runs the program from the start, with the breakpoints the client has set.
      const old = this.core;
      this.core = null;
      await old?.stop();
      for (const module of this.modulesShown.values()) this.sendEvent(new ModuleEvent('removed', module));
      this.modulesShown.clear();
      this.launchArgs = launchArgs;
      await this.load(config);
      await this.replayBreakpoints();
      restarted = true;
    });
    if (restarted) void this.startProgram();
  }

  /** Sets the client's breakpoints in a new core; each keeps the id the client knows it by. */
  private async replayBreakpoints(): Promise<void> {
    this.clientIds = new Map();
    const keep = (answer: BreakpointView[], ids: (number | undefined)[]) =>
      answer.forEach((bp, i) => bp.id !== undefined && ids[i] !== undefined && this.clientIds.set(bp.id, ids[i]!));
    for (const [file, sent] of this.sourceBreakpoints) keep(await this.call('setSourceBreakpoints', file, sent.requested), sent.ids);
    if (this.functionBreakpoints) keep(await this.call('setFunctionBreakpoints', this.functionBreakpoints.requested), this.functionBreakpoints.ids);
    if (this.instructionBreakpoints) keep(await this.call('setInstructionBreakpoints', this.instructionBreakpoints.requested), this.instructionBreakpoints.ids);
    if (this.exceptionFilters) await this.call('setExceptionFilters', this.exceptionFilters);
  }

  // ---------------------------------------------------------------------------------------------
  // Data breakpoints

  protected dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    void this.guard(response, async () => {
      const a = new RequestArgs('dataBreakpointInfo', args);
      const request = {
        name: a.string('name'),
        variablesReference: a.optionalInteger('variablesReference'),
        frameId: a.optionalInteger('frameId'),
        asAddress: a.optionalBoolean('asAddress') ?? false,
        bytes: a.optionalInteger('bytes'),
      };
      response.body = await this.call('dataBreakpointInfo', request);
    });
  }

  protected setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    void this.guard(response, async () => {
      const requested = new RequestArgs('setDataBreakpoints', args).objects('breakpoints').map((bp) => ({
        dataId: bp.string('dataId'),
        accessType: bp.optionalChoice('accessType', ['read', 'write', 'readWrite'] as const) ?? 'write',
      }));
      response.body = { breakpoints: (await this.call('setDataBreakpoints', requested)).map((bp) => this.clientBreakpoint(bp)) };
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Breakpoints

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
    void this.guard(response, async () => {
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
      const breakpoints = (await this.call('setSourceBreakpoints', file, requested)).map((bp) => this.clientBreakpoint(bp));
      this.sourceBreakpoints.set(file, { requested, ids: breakpoints.map((bp) => bp.id) });
      response.body = { breakpoints };
    });
  }

  protected setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    void this.guard(response, async () => {
      const requested = new RequestArgs('setFunctionBreakpoints', args).objects('breakpoints').map((bp) => ({ name: bp.string('name'), ...WatDebugSession.conditions(bp) }));
      const breakpoints = (await this.call('setFunctionBreakpoints', requested)).map((bp) => this.clientBreakpoint(bp));
      this.functionBreakpoints = { requested, ids: breakpoints.map((bp) => bp.id) };
      response.body = { breakpoints };
    });
  }

  protected setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    void this.guard(response, async () => {
      const requested = new RequestArgs('setInstructionBreakpoints', args).objects('breakpoints').map((bp) => ({
        instructionReference: bp.string('instructionReference'),
        offset: bp.optionalInteger('offset'),
        ...WatDebugSession.conditions(bp),
      }));
      const breakpoints = (await this.call('setInstructionBreakpoints', requested)).map((bp) => this.clientBreakpoint(bp));
      this.instructionBreakpoints = { requested, ids: breakpoints.map((bp) => bp.id) };
      response.body = { breakpoints };
    });
  }

  protected setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    void this.guard(response, async () => {
      const filters = new RequestArgs('setExceptionBreakpoints', args).strings('filters');
      await this.call('setExceptionFilters', filters);
      this.exceptionFilters = filters;
    });
  }

  protected breakpointLocationsRequest(response: DebugProtocol.BreakpointLocationsResponse, args: DebugProtocol.BreakpointLocationsArguments): void {
    void this.guard(response, async () => {
      const a = new RequestArgs('breakpointLocations', args);
      const file = this.sourcePath(a.object('source'));
      const line = this.convertClientLineToDebugger(a.integer('line'));
      const given = { endLine: a.optionalInteger('endLine'), column: a.optionalInteger('column'), endColumn: a.optionalInteger('endColumn') };
      const endLine = given.endLine !== undefined ? this.convertClientLineToDebugger(given.endLine) : line;
      const column = given.column !== undefined ? this.convertClientColumnToDebugger(given.column) : undefined;
      const endColumn = given.endColumn !== undefined ? this.convertClientColumnToDebugger(given.endColumn) : undefined;
      const locations = await this.call('breakpointLocations', file, line, endLine, column, endColumn);
      response.body = { breakpoints: locations.map((l) => ({ line: this.line(l.line), column: l.column !== undefined ? this.column(l.column) : undefined })) };
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Inspection

  protected threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const name = this.config ? path.basename(this.config.program) : 'wasm';
    response.body = { threads: [{ id: THREAD_ID, name }] };
    this.sendResponse(response);
  }

  protected stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    void this.guard(response, async () => {
      const a = new RequestArgs('stackTrace', args);
      this.checkThread(a);
      const { frames, total } = await this.call('stackTrace', a.optionalInteger('startFrame') ?? 0, a.optionalInteger('levels'));
      response.body = { stackFrames: frames.map((f) => this.stackFrame(f)), totalFrames: total };
    });
  }

  protected scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    void this.guard(response, async () => {
      response.body = { scopes: await this.call('scopes', new RequestArgs('scopes', args).integer('frameId')) };
    });
  }

  protected variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    void this.guard(response, async () => {
      const a = new RequestArgs('variables', args);
      const request = {
        variablesReference: a.integer('variablesReference'),
        filter: a.optionalChoice('filter', ['indexed', 'named'] as const),
        start: a.optionalInteger('start'),
        count: a.optionalInteger('count'),
        format: WatDebugSession.valueFormat(a),
      };
      response.body = { variables: await this.call('variables', request) };
    });
  }

  protected setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    void this.guard(response, async () => {
      const a = new RequestArgs('setVariable', args);
      const request = { variablesReference: a.integer('variablesReference'), name: a.string('name'), value: a.string('value'), format: WatDebugSession.valueFormat(a) };
      response.body = await this.call('setVariable', request);
    });
  }

  protected evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    void this.guard(response, async () => {
      const a = new RequestArgs('evaluate', args);
      const request = { expression: a.string('expression'), context: a.optionalString('context'), hex: WatDebugSession.valueFormat(a).hex, frameId: a.optionalInteger('frameId') };
      response.body = await this.call('evaluate', request);
    });
  }

  protected completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
    void this.guard(response, async () => {
      const a = new RequestArgs('completions', args);
      const text = a.string('text');
      const column = a.integer('column');
      const frameId = a.optionalInteger('frameId');
      const items = await this.call('completions', text, this.convertClientColumnToDebugger(column) - 1, frameId);
      // `start` is in the client's column base (columnsStartAt1), as the protocol says.
      const first = this.convertDebuggerColumnToClient(1);
      response.body = { targets: items.map((i) => ({ ...i, start: i.start! + first })) };
    });
  }

  protected setExpressionRequest(response: DebugProtocol.SetExpressionResponse, args: DebugProtocol.SetExpressionArguments): void {
    void this.guard(response, async () => {
      const a = new RequestArgs('setExpression', args);
      const request = { expression: a.string('expression'), value: a.string('value'), hex: WatDebugSession.valueFormat(a).hex, frameId: a.optionalInteger('frameId') };
      response.body = await this.call('setExpression', request);
    });
  }

  protected exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse, args: DebugProtocol.ExceptionInfoArguments): void {
    void this.guard(response, async () => {
      this.checkThread(new RequestArgs('exceptionInfo', args));
      response.body = await this.call('exceptionInfo');
    });
  }

  protected sourceRequest(response: DebugProtocol.SourceResponse, args: DebugProtocol.SourceArguments): void {
    void this.guard(response, async () => {
      const a = new RequestArgs('source', args);
      const source = a.optionalObject('source');
      const ref = source?.optionalInteger('sourceReference') ?? a.optionalInteger('sourceReference');
      const file = ref ? this.sourceRefs.get(ref) : source?.optionalString('path');
      if (!file) throw new RequestError(`unknown source${ref ? ` reference ${ref}` : ''}`);
      response.body = { content: await this.call('sourceText', file), mimeType: 'text/x-wat' };
    });
  }

  /**
   * `generatedFunctionSource` {overview, function}: the document of a function listed in the
   * overview of a binary's generated text (the editor's links in the overview ask for it).
   */
  private generatedFunctionSource(response: DebugProtocol.Response, args: unknown): void {
    void this.guard(response, async () => {
      const a = new RequestArgs('generatedFunctionSource', args);
      const overview = this.convertClientPathToDebugger(a.string('overview'));
      response.body = { source: this.source(await this.call('generatedFunctionSource', overview, a.string('function'))) };
    });
  }

  protected loadedSourcesRequest(response: DebugProtocol.LoadedSourcesResponse): void {
    void this.guard(response, async () => {
      response.body = { sources: this.core ? (await this.call('loadedSources')).map((s) => this.source(s)) : [] };
    });
  }

  /** Requests the base class does not route: `modules`, and `generatedFunctionSource` of the overview links. */
  protected customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    if (command === 'modules') return this.modulesRequest(response as DebugProtocol.ModulesResponse, args as DebugProtocol.ModulesArguments);
    if (command === 'generatedFunctionSource') return this.generatedFunctionSource(response, args);
    this.sendErrorResponse(response, { id: 1002, format: '{_message}', variables: { _message: `unknown request "${command}"` }, showUser: false });
  }

  protected modulesRequest(response: DebugProtocol.ModulesResponse, args: DebugProtocol.ModulesArguments): void {
    void this.guard(response, async () => {
      const a = new RequestArgs('modules', args);
      const { modules, total } = await this.call('modules', Math.max(0, a.optionalInteger('startModule') ?? 0), a.optionalInteger('moduleCount'));
      response.body = { modules: modules.map((m) => this.module(m)), totalModules: total };
    });
  }

  protected disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    void this.guard(response, async () => {
      const a = new RequestArgs('disassemble', args);
      const request = {
        memoryReference: a.string('memoryReference'),
        offset: a.optionalInteger('offset'),
        instructionOffset: a.optionalInteger('instructionOffset'),
        instructionCount: a.integer('instructionCount'),
        resolveSymbols: a.optionalBoolean('resolveSymbols'),
      };
      const instructions = await this.call('disassemble', request);
      response.body = {
        instructions: instructions.map(({ file, source, line, column, ...i }) => ({
          ...i,
          location: source ? this.source(source) : undefined,
          line: line !== undefined ? this.line(line) : undefined,
          column: column !== undefined ? this.column(column) : undefined,
        })),
      };
    });
  }

  protected readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    void this.guard(response, async () => {
      const a = new RequestArgs('readMemory', args);
      const reference = a.string('memoryReference');
      const count = a.integer('count');
      if (count < 0) throw new RequestError(`readMemory: argument 'count' must be a whole number of bytes, got ${count}`);
      response.body = await this.call('readMemory', reference, a.optionalInteger('offset') ?? 0, count);
    });
  }

  protected writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): void {
    void this.guard(response, async () => {
      const a = new RequestArgs('writeMemory', args);
      const reference = a.string('memoryReference');
      const data = Buffer.from(a.string('data'), 'base64');
      const offset = a.optionalInteger('offset') ?? 0;
      const allowPartial = a.optionalBoolean('allowPartial') ?? false;
      const bytesWritten = await this.call('writeMemory', reference, offset, new Uint8Array(data), allowPartial);
      response.body = { offset, bytesWritten };
    });
  }

  /** The running invocation's recording: its checkpoints and the bytes they hold (for `npm run bench`). */
  recordingStats(): Promise<{ checkpoints: number; bytes: number } | null> {
    return this.call('recordingStats');
  }
}

/** A response object for a request whose handler threw before making one. */
class ResponseFor implements DebugProtocol.Response {
  seq = 0;
  type = 'response' as const;
  request_seq: number;
  command: string;
  success = true;
  constructor(request: DebugProtocol.Request) {
    this.request_seq = request.seq;
    this.command = request.command;
  }
}
