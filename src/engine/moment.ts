// Moments of a run, exact and comparable, for going back in time.
//
// The store counts budget points (backward branches, calls, host returns) in `ticks`. Between two
// of them a run only goes forward: straight-line code, forward branches, returns and exceptions
// that unwind to a lower frame. So the count, the height of the top frame and its position name
// one moment: a later moment has more ticks, or as many and a lower top frame (it returned), or
// as many, the same frame and a later position. Counting costs nothing in the run loop, which
// counts its budget anyway.

import type { Execution } from './store';

export interface Moment {
  ticks: number;
  /** Height of the top frame (0 = outermost); -1 once the execution has finished. */
  height: number;
  /** Code index in the top frame's function. */
  pc: number;
}

/** The moment an execution is at (paused, trapped, or finished). */
export function momentOf(ex: Execution): Moment {
  const store = ex.store;
  const cs = store.callStack;
  if (ex.status === 'done' || cs.height <= ex.base) return { ticks: store.ticks, height: -1, pc: 0 };
  return { ticks: store.ticks, height: cs.height - 1, pc: cs.pcs[cs.height - 1] };
}

/** Negative when `a` comes before `b`, 0 when they are the same moment, positive after. */
export function compareMoments(a: Moment, b: Moment): number {
  if (a.ticks !== b.ticks) return a.ticks - b.ticks;
  if (a.height !== b.height) {
    // Same ticks: the lower frame is later (the higher one returned to it); a finished run is last.
    if (a.height === -1) return 1;
    if (b.height === -1) return -1;
    return b.height - a.height;
  }
  return a.pc - b.pc;
}

export function sameMoment(a: Moment, b: Moment): boolean {
  return compareMoments(a, b) === 0;
}
