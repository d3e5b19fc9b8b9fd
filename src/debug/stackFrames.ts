// The frames of the call stack as the user sees them, innermost first, each made when asked for (a
// page of a deep stack costs its own frames only): wasm frames by height, a host frame a trap left
// on top, a .wast command's own frame at the bottom, and for a JavaScript program the JavaScript
// frames where its host frames stand.

import * as path from 'path';
import type { Execution, FrameView } from '../engine/index';
import type { JsFrame } from './jsFrames';
import type { ProgramView } from './stackTrace';
import type { Invocation } from './targets';
import { instructionAddress } from './units';
import type { SourceView, StackFrameView } from './views';

/** Frame id of a .wast script's own frame (the command being run); wasm frames are height + 2. */
export const SCRIPT_FRAME_ID = 1;
/** Frame ids of JavaScript frames (a JavaScript program's): far above any wasm frame's. */
export const JS_FRAME_BASE = 1_500_000_000;

export interface StackEntries {
  total: number;
  at: (i: number) => StackFrameView;
}

/** What frames are shown with: names and positions, and a file's source. */
export interface FrameShown {
  view: ProgramView;
  sourceOf(file: string): SourceView;
}

/** A wasm or host frame of our call stack. */
export function stackFrame(frame: FrameView, shown: FrameShown): StackFrameView {
  const id = frame.height + 2;
  const view = shown.view;
  if (!frame.instance) return { id, name: view.frameName(frame), line: 0, column: 0, presentationHint: 'subtle' };
  const unit = view.unitOf(frame);
  const loc = view.location(frame);
  return {
    id,
    name: view.frameName(frame),
    source: loc ? shown.sourceOf(loc.file) : undefined,
    line: loc ? loc.line : 0,
    column: loc ? loc.column : 0,
    instructionPointerReference: unit ? instructionAddress(unit.id, frame.offset) : undefined,
    moduleId: view.instanceOf(frame.instance)?.id,
  };
}

/**
 * The stack of a .wat, .wasm or .wast program: the wasm frames of `exec` (none when null), with
 * `hostTop` above them (a host function whose trap unwound its frame), and the script's command.
 */
export function programStack(exec: Execution | null, hostTop: { name: string } | null, command: Invocation['command'], shown: FrameShown): StackEntries {
  const base = exec ? exec.base : 0;
  const wasmFrames = exec ? exec.callStack.height - base + (hostTop ? 1 : 0) : 0;
  return {
    total: wasmFrames + (command ? 1 : 0),
    at: (i) => {
      if (hostTop && i === 0) return { id: exec!.callStack.height + 2, name: `[host] ${hostTop.name}`, line: 0, column: 0, presentationHint: 'subtle' };
      if (i < wasmFrames) return stackFrame(exec!.frame(exec!.callStack.height - 1 - i + (hostTop ? 1 : 0)), shown);
      return {
        id: SCRIPT_FRAME_ID,
        name: `${path.basename(command!.file)}: ${shorten(command!.text.split('\n')[0], 120)}`,
        source: shown.sourceOf(command!.file),
        line: command!.line,
        column: command!.column,
        presentationHint: 'label',
      };
    },
  };
}

/**
 * A JavaScript program's stack: its wasm frames, and where wasm called JavaScript that called wasm
 * again, the JavaScript frames in between (in place of the host frame); at the bottom, the
 * JavaScript that made the outermost call. `executions` are the store's, outermost first;
 * `groups[j]` is the JavaScript below the j-th execution from the top.
 */
export function mixedStack(exec: Execution, executions: readonly Execution[], groups: JsFrame[][], shown: FrameShown): StackEntries {
  const n = executions.length;
  const between = new Map<number, JsFrame[]>();
  for (let k = n - 1; k >= 1; k--) between.set(executions[k].base - 1, groups[n - 1 - k] ?? []);
  const frames: StackFrameView[] = [];
  const jsFrame = (f: JsFrame): StackFrameView => ({
    id: JS_FRAME_BASE + frames.length,
    name: `[js] ${f.name}`,
    source: f.file ? { path: f.file, name: path.basename(f.file), generated: false } : undefined,
    line: f.line,
    column: f.column,
  });
  for (let h = exec.callStack.height - 1; h >= 0; h--) {
    const frame = exec.frame(h);
    const js = between.get(h);
    if (js?.length && frame.instance === null) for (const f of js) frames.push(jsFrame(f));
    else frames.push(stackFrame(frame, shown));
  }
  for (const f of groups[n - 1] ?? []) frames.push(jsFrame(f));
  return { total: frames.length, at: (i) => frames[i] };
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}
