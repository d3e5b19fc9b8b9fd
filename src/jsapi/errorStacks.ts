// Stacks of JavaScript errors in a program whose WebAssembly is ours. V8 shows the wasm frames
// between JavaScript frames (`at middle (wasm://...:0x2b)`); without help a program on our engine
// would show the interpreter's own frames there (callHost, execute, Store.invoke, ...). Installed
// in the program's realm, `Error.prepareStackTrace` replaces each run of our frames by the wasm
// frames of the engine execution it stands for, as long as that execution is still running (an
// error crossing from JavaScript into wasm is formatted then, in functions.ts); the frames of an
// execution that has ended are left out.

import * as path from 'path';
import type { Execution } from '../engine/index';
import { jsApiEngine } from './realm';

/** The folders of this API and of the engine (one folder, the bundle's, when bundled). */
const OUR_DIRS = [__dirname, path.join(path.dirname(__dirname), 'engine')].map((d) => d + path.sep);

function isOurs(site: NodeJS.CallSite): boolean {
  const file = site.getFileName();
  return file !== undefined && file !== null && OUR_DIRS.some((d) => file.startsWith(d));
}

/** The wasm frames of `executions[i]`, innermost first, as stack lines. */
function wasmFrames(executions: Execution[], i: number): string[] {
  const ex = executions[i];
  const top = i + 1 < executions.length ? executions[i + 1].base : ex.store.callStack.height;
  const lines: string[] = [];
  for (let h = top - 1; h >= ex.base; h--) {
    const f = ex.frame(h);
    if (f.func.instance !== null) lines.push(`    at ${f.func.name} (wasm:0x${f.offset.toString(16)})`);
  }
  return lines;
}

function header(error: unknown): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return '<error>';
  }
}

export function formatStack(error: unknown, sites: NodeJS.CallSite[]): string {
  // Our frames come in runs, one per execution; the bottom run belongs to the outermost one.
  // A builtin called by our code (the Array.prototype.map that converts arguments) is ours too.
  const parts: (string | 'ours')[] = [];
  sites.forEach((site, i) => {
    const builtinOfOurs = !site.getFileName() && i + 1 < sites.length && isOurs(sites[i + 1]);
    if (!isOurs(site) && !builtinOfOurs) parts.push(`    at ${site.toString()}`);
    else if (parts[parts.length - 1] !== 'ours') parts.push('ours');
  });
  const executions = jsApiEngine().store.executions;
  let run = parts.filter((p) => p === 'ours').length;
  const lines: string[] = [];
  for (const p of parts) {
    if (p !== 'ours') lines.push(p);
    else if (--run < executions.length) lines.push(...wasmFrames(executions, run));
  }
  return [header(error), ...lines.slice(0, visibleFrames())].join('\n');
}

// V8 collects Error.stackTraceLimit frames, ours included, so more are collected than the program
// asked for and the stack is cut to its number after ours are replaced.
const ROOM_FOR_OURS = 100;
let programLimit = 10;
let collectedLimit = 10 + ROOM_FOR_OURS;

/** The number of frames the program asked for (its own Error.stackTraceLimit, if it set one since). */
function visibleFrames(): number {
  const limit = Error.stackTraceLimit;
  return limit === collectedLimit ? programLimit : limit;
}

/** Makes this realm's error stacks show wasm frames instead of the engine's own. */
export function installWasmErrorStacks(): void {
  programLimit = Error.stackTraceLimit;
  collectedLimit = programLimit + ROOM_FOR_OURS;
  Error.stackTraceLimit = collectedLimit;
  Error.prepareStackTrace = formatStack;
}
