// Going backwards for the debugger: step back (by line or instruction), reverse continue, restart a
// frame. Each is a search back through the recording (src/engine/recording.ts) for the latest
// moment before now that a forward run would have stopped at; the session only translates the
// protocol. Searches run the recorded past again, so they never call the host.

import { momentOf, type Execution, type Moment, type Recording } from '../engine/index';

/** What the session tells the search about the program where it is paused. */
export interface PauseView {
  /** For line steps: the top frame's line as `height:function:line`, or null when the instruction starts no line. */
  lineKey(): string | null;
  /** The breakpoints that would stop at the top frame's instruction, going backwards. */
  breakpointsHere(): number[];
  /** Whether any breakpoint is set at all (without one, Reverse Continue goes straight to the start). */
  anyBreakpoints(): boolean;
}

export class TimeTravel {
  constructor(
    readonly recording: Recording,
    private readonly ex: Execution,
  ) {}

  /** Whether the run is at the start of the recording (nothing to go back to). */
  atStart(): boolean {
    return this.recording.isStart(momentOf(this.ex));
  }

  /**
   * The reverse of a step over (line) or of a step by instruction: to the latest line start in this
   * frame or a caller, or the previous instruction anywhere. False when already at the start.
   */
  stepBack(granularity: 'line' | 'instruction', view: PauseView): boolean {
    const now = momentOf(this.ex);
    if (this.recording.isStart(now)) return false;
    if (granularity === 'instruction') {
      return this.recording.searchBack(this.ex, now, { kind: 'instruction', max: Infinity }, () => true) !== null;
    }
    const height = this.ex.store.callStack.height - 1;
    let previous: string | null = null;
    const found = this.recording.searchBack(this.ex, now, { kind: 'over', max: height }, (first) => {
      const key = view.lineKey();
      // Where a pass starts may be the middle of a line: only the recording's start is sure to begin one.
      const starts = key !== null && (first ? this.recording.isStart(momentOf(this.ex)) : key !== previous);
      if (key !== null) previous = key;
      return starts;
    });
    if (found === null) this.recording.goToStart(this.ex);
    return true;
  }

  /** Back to the latest breakpoint a forward run would have stopped at; null when none (then at the start). */
  reverseContinue(view: PauseView): number[] | null {
    const now = momentOf(this.ex);
    const found = view.anyBreakpoints() ? this.recording.searchBack(this.ex, now, null, () => view.breakpointsHere().length > 0) : null;
    if (found === null) {
      this.recording.goToStart(this.ex);
      return null;
    }
    return view.breakpointsHere();
  }

  /** Back to the entry of the frame at `height`: just after its caller called it. */
  restartFrame(height: number): void {
    const now = momentOf(this.ex);
    if (height <= this.ex.base) {
      this.recording.goToStart(this.ex);
      return;
    }
    const caller = this.recording.searchBack(this.ex, now, { kind: 'over', max: height - 1 }, () => this.ex.store.callStack.height - 1 === height - 1);
    if (caller === null) throw new Error('the call of that frame is before the start of the recording');
    this.recording.stepInto(this.ex);
  }
}

export type { Moment };
