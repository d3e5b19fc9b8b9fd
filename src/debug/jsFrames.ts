// The JavaScript frames of a JavaScript program stopped in wasm: read from the thread's own stack
// at the stop (nothing is recorded while the program runs), in groups that wat-debugger's own
// frames separate: the JavaScript a wasm function called (which called wasm again), and at the
// bottom the JavaScript that made the outermost call.

import * as path from 'path';
import { fileURLToPath } from 'url';

export interface JsFrame {
  name: string;
  /** The file, or null for code without one (eval). */
  file: string | null;
  line: number;
  column: number;
}

/**
 * wat-debugger's own code: the compiled tree (`out/src/...`) or the bundle this runs from
 * (`dist/coreWorker.js`). A frame there separates two groups of the program's frames.
 */
const OWN_CODE = path.basename(path.dirname(__filename)) === 'debug' ? path.dirname(path.dirname(__filename)) + path.sep : __filename;

function isOwn(file: string): boolean {
  return file === OWN_CODE || file.startsWith(OWN_CODE);
}

/** Node's own modules and code without a file of the program's: neither the program's frames nor a separator. */
function isNodeInternal(file: string | null): boolean {
  return file === null || file.startsWith('node:') || file.startsWith('internal/');
}

/** The program's JavaScript frames on the stack now, innermost group first; at most `groups` groups are kept apart, the rest join the last. */
export function jsFramesAt(groups: number): JsFrame[][] {
  const sites = callSites();
  const out: JsFrame[][] = [];
  let current: JsFrame[] | null = null;
  for (const site of sites) {
    const raw = site.getFileName() ?? site.getScriptNameOrSourceURL?.() ?? null;
    const file = raw?.startsWith('file://') ? fileURLToPath(raw) : raw;
    if (file !== null && isOwn(file)) {
      current = null;
      continue;
    }
    if (isNodeInternal(file)) continue;
    if (current === null) {
      if (out.length < Math.max(1, groups)) out.push((current = []));
      else current = out[out.length - 1];
    }
    current.push({
      name: site.getFunctionName() ?? site.getMethodName() ?? (site.isToplevel() ? '<module>' : '<anonymous>'),
      file,
      line: site.getLineNumber() ?? 0,
      column: site.getColumnNumber() ?? 0,
    });
  }
  return out;
}

/** The structured call sites of the whole stack (V8's stack trace API). */
function callSites(): NodeJS.CallSite[] {
  const previous = { prepare: Error.prepareStackTrace, limit: Error.stackTraceLimit };
  try {
    Error.stackTraceLimit = Infinity;
    Error.prepareStackTrace = (_error, sites) => sites;
    const holder: { stack?: NodeJS.CallSite[] } = {};
    Error.captureStackTrace(holder, callSites);
    return holder.stack ?? [];
  } finally {
    Error.prepareStackTrace = previous.prepare;
    Error.stackTraceLimit = previous.limit;
  }
}
