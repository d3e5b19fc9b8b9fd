// The message interface between the DAP session (main thread) and the debugger core (the worker
// thread that runs the program): requests name a method of the core and its arguments, the core
// answers each one, and tells of what happens (stops, output, breakpoints, modules) by events.

import type { DebuggerCore } from './core';
import type { BreakpointView, ModuleView, SourceView } from './views';

/** The core's methods the session may call: everything else in DebuggerCore is its own. */
export const CORE_METHODS = [
  'launch', 'start', 'terminate', 'threadName', 'recordingStats', 'reusable',
  'setSourceBreakpoints', 'setFunctionBreakpoints', 'setInstructionBreakpoints', 'setExceptionFilters', 'breakpointLocations',
  'continue', 'step', 'pause', 'stepBack', 'reverseContinue', 'restartFrame',
  'dataBreakpointInfo', 'setDataBreakpoints',
  'stackTrace', 'scopes', 'variables', 'setVariable', 'evaluate', 'completions', 'setExpression', 'exceptionInfo',
  'sourceText', 'generatedFunctionSource', 'loadedSources', 'modules', 'disassemble', 'readMemory', 'writeMemory',
] as const;

export type CoreMethod = (typeof CORE_METHODS)[number];
export type CoreArgs<M extends CoreMethod> = Parameters<DebuggerCore[M]>;
export type CoreResult<M extends CoreMethod> = Awaited<ReturnType<DebuggerCore[M]>>;

export type CoreEvent =
  | { event: 'output'; category: 'stdout' | 'stderr' | 'console'; text: string }
  | { event: 'stopped'; reason: string; hitBreakpointIds?: number[]; text?: string; description?: string }
  | { event: 'breakpoint'; breakpoint: BreakpointView }
  | { event: 'loadedSource'; source: SourceView }
  | { event: 'module'; module: ModuleView }
  | { event: 'invalidated' }
  | { event: 'exited'; exitCode: number }
  | { event: 'terminated' };

/**
 * Session to core. `newSession` is the thread's own: a new core for the next session in a thread
 * whose last program ended (its code already optimised by V8, so the next run starts warm).
 */
export interface CoreRequest {
  seq: number;
  method: CoreMethod | 'newSession';
  args: unknown[];
}

/**
 * Core to session: the thread is ready (its engine warmed up), the answer to request `seq`
 * (`expected`: an error the user caused, not a bug), or an event.
 */
export type CoreMessage =
  | { ready: true }
  | { seq: number; result: unknown }
  | { seq: number; error: string; expected: boolean; stack?: string }
  | { event: CoreEvent };

/** What the session hands the worker when it starts it. */
export interface CoreWorkerData {
  /** Requests posted and not yet taken, counted in slot 0: the worker waits on it while stopped. */
  signal: SharedArrayBuffer;
}
