// Throwing: where an exception is caught, and unwinding the call stack to that handler. The run
// loop calls these only when an instruction throws, so programs without exceptions never pay.
//
// The search runs before anything is unwound (so a debugger can stop at a throw nobody catches with
// the whole stack still there). It walks the frames of the current execution from the top down; in
// each frame, the handlers (compile.ts's `Handler`) whose code range holds the frame's position,
// innermost first, then the handlers around them (or, for a legacy `delegate`, the handler of the
// block it names). Tags are compared by identity: the frame's instance's tag object.

import type { CompiledFunc, Handler, HandlerCatch } from './compile';
import { Exception, TagInst } from './exception';
import type { Instance } from './runtime';
import type { Execution, Store } from './store';
import type { Value } from './types';

/** Where an exception is caught: the frame, and the clause of one of its handlers. */
export interface CatchSite {
  height: number;
  handler: Handler;
  clause: HandlerCatch;
}

/** The exception `throw` makes: the tag's payload is the top operands, ending at `sp`. */
export function newException(store: Store, tag: TagInst, sp: number): Exception {
  const params = tag.type.params;
  const base = sp - params.length;
  const payload: Value[] = new Array(params.length);
  for (let i = 0; i < params.length; i++) payload[i] = store.readSlot(base + i, params[i]);
  return new Exception(tag, payload);
}

/**
 * The handler that catches `exn` thrown at code index `pc` of the top frame, searching from frame
 * `from` (the top frame, or the one below it) down to the execution's bottom frame; null when none
 * does (the exception is uncaught in this execution).
 */
export function findCatch(store: Store, ex: Execution, exn: Exception, pc: number, from: number): CatchSite | null {
  const cs = store.callStack;
  for (let height = from; height >= ex.base; height--) {
    const cf = cs.funcs[height].compiled as CompiledFunc | null;
    if (cf === null || cf.handlers.length === 0) continue;
    // Below the top, the saved position is the return position: the call is just before it.
    const at = height === cs.height - 1 ? pc : cs.pcs[height] - 1;
    const instance = cs.instanceAt(height) as Instance;
    const site = catchInFrame(cf, at, instance, exn);
    if (site !== null) return { height, handler: site[0], clause: site[1] };
  }
  return null;
}

function catchInFrame(cf: CompiledFunc, pc: number, instance: Instance, exn: Exception): [Handler, HandlerCatch] | null {
  const handlers = cf.handlers;
  // Handlers are listed in the order they open and nest properly: the last that holds pc is the innermost.
  let h = -1;
  for (let i = handlers.length - 1; i >= 0; i--) {
    if (handlers[i].start <= pc && pc < handlers[i].end) {
      h = i;
      break;
    }
  }
  while (h >= 0) {
    const handler = handlers[h];
    for (const clause of handler.catches) {
      if (clause.tag < 0 || instance.tags[clause.tag] === exn.tag) return [handler, clause];
    }
    h = handler.delegate !== NO_DELEGATE ? handler.delegate : handler.parent;
  }
  return null;
}

/** `Handler.delegate` of a handler that is not a legacy `try ... delegate`. */
export const NO_DELEGATE = -2;

/**
 * Unwinds to `site`: drops the frames above it (and exactly their entries of the sparse instance
 * list), puts what the clause passes (payload, exception) where its label expects them, and leaves
 * the frame's saved position at the clause's target and `store.sp` above the values.
 */
export function unwindToCatch(store: Store, site: CatchSite, exn: Exception): void {
  const cs = store.callStack;
  cs.unwindTo(site.height + 1);
  const fp = cs.fps[site.height];
  const { clause, handler } = site;
  const dest = fp + clause.height;
  let n = 0;
  if (clause.kind <= 1) {
    for (const v of exn.payload) store.writeSlot(dest + n++, v);
  }
  if (clause.kind === 1 || clause.kind === 3) store.refs[dest + n++] = exn;
  // A legacy catch keeps the exception where its `rethrow` finds it.
  if (handler.slot >= 0) store.refs[fp + handler.slot] = exn;
  cs.pcs[site.height] = clause.target;
  store.sp = dest + n;
}
