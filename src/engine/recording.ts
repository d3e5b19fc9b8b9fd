// Recording a run so that it can go back in time. A WebAssembly program is deterministic apart
// from its host calls, so the recording keeps what each host call returned and the memory bytes it
// wrote; checkpoints (checkpoint.ts) are taken as the run goes. Going back to a moment restores
// the last checkpoint before it and runs forward again to that exact moment, answering host calls
// from the recording: nothing is printed or read twice. Only calls beyond the furthest point
// reached so far (the frontier) reach the host.

import { performance } from 'node:perf_hooks';
import { checkpointWork, checkpointsBytes, restoreCheckpoint, takeCheckpoint, type Checkpoint } from './checkpoint';
import { compareMoments, momentOf, sameMoment, type Moment } from './moment';
import type { FuncInst, HostCallHook, HostContext, Instance, MemoryInst } from './runtime';
import type { Execution, StepKind, Store } from './store';
import type { Value } from './types';

interface HostCallRecord {
  callee: FuncInst;
  results: Value[] | null;
  /** What the call threw (a trap, the program's exit), thrown again on replay. */
  error: unknown;
  writes: { memory: MemoryInst; address: number; bytes: Uint8Array }[];
  /** The host called back into wasm: replaying the call alone would miss what that code did. */
  reentered: boolean;
}

interface Kept {
  checkpoint: Checkpoint;
  /** Host calls made before it. */
  hostCalls: number;
}

export interface RecordingOptions {
  /** Most bytes the checkpoints may hold; older ones are thinned to stay within it. Default 256 MB. */
  budgetBytes?: number;
  /** Budget points between checkpoints at first; the interval doubles whenever thinning was needed. */
  interval?: number;
  /**
   * Most of the run's time checkpoints may take (default 0.03): a checkpoint expected to take t ms
   * waits until the run has gone on for t / overhead ms since the last one. Its time is expected
   * from the bytes it would copy or compare, at the speed the previous checkpoints went. 0 takes
   * them by `interval` alone.
   */
  overhead?: number;
}

export class Recording implements HostCallHook {
  private readonly calls: HostCallRecord[] = [];
  /** Index of the next host call: below `calls.length` while replaying. */
  private nextCall = 0;
  private live: HostCallRecord | null = null;
  private readonly kept: Kept[] = [];
  private readonly budgetBytes: number;
  private interval: number;
  private readonly overhead: number;
  /** When (performance.now()) the last checkpoint ended. */
  private lastCheckpointAt = performance.now();
  /** How long a checkpoint takes per byte it copies or compares, as measured so far (1 ms per MB at first). */
  private msPerByte = 1 / (1024 * 1024);
  /** The furthest moment the run has reached. */
  frontier: Moment;

  constructor(
    private readonly store: Store,
    /** Every instance of the program (their memories, tables and globals are checkpointed). */
    private readonly instances: () => readonly Instance[],
    options: RecordingOptions = {},
  ) {
    this.budgetBytes = options.budgetBytes ?? 256 * 1024 * 1024;
    this.interval = options.interval ?? 10_000;
    this.overhead = options.overhead ?? 0.03;
    this.frontier = { ticks: store.ticks, height: -1, pc: 0 };
    store.hostCalls = this;
  }

  /** While set, a host call beyond the recording fails instead of reaching the host (a search must not run the future). */
  private searching = false;

  /** Stops recording: host calls go straight to the host again. */
  dispose(): void {
    if (this.store.hostCalls === this) this.store.hostCalls = null;
  }

  /** Bytes the checkpoints hold. */
  get checkpointBytes(): number {
    return checkpointsBytes(this.kept.map((k) => k.checkpoint));
  }

  get checkpointCount(): number {
    return this.kept.length;
  }

  /**
   * Called whenever `ex` pauses (a slice's budget, a breakpoint, a step): takes a checkpoint when
   * enough has run since the last one, and moves the frontier.
   */
  paused(ex: Execution): void {
    const now = momentOf(ex);
    if (compareMoments(now, this.frontier) > 0) this.frontier = now;
    const last = this.kept[this.kept.length - 1];
    if (last && now.ticks - last.checkpoint.moment.ticks < this.interval) return;
    if (last && compareMoments(now, last.checkpoint.moment) <= 0) return;
    if (ex.status !== 'paused') return; // a trap or the end: the frontier moved, nothing to resume from
    const started = performance.now();
    const bytes = checkpointWork(this.store, this.instances());
    if (this.overhead > 0 && started - this.lastCheckpointAt < (bytes * this.msPerByte) / this.overhead) return;
    this.checkpoint();
    this.lastCheckpointAt = performance.now();
    this.msPerByte = Math.max(1e-9, (this.lastCheckpointAt - started) / Math.max(bytes, 1));
  }

  /** Takes a checkpoint now (the run must be paused between instructions). */
  checkpoint(): void {
    const previous = this.kept[this.kept.length - 1]?.checkpoint ?? null;
    this.kept.push({ checkpoint: takeCheckpoint(this.store, this.instances(), previous), hostCalls: this.nextCall });
    this.thin();
  }

  /**
   * Puts `ex` at moment `target`, which must lie between the first checkpoint and the frontier:
   * restores the last checkpoint before it and runs forward to it, breakpoints ignored.
   */
  goTo(ex: Execution, target: Moment): void {
    if (compareMoments(target, this.frontier) > 0) throw new Error('that moment has not been reached yet');
    const k = this.lastKeptBefore(target, true);
    if (k < 0) throw new Error('that moment is before the first checkpoint');
    this.restore(k);
    this.runTo(ex, target);
  }

  /**
   * The latest moment before `now` at which `accept` holds. The recording is searched backwards,
   * one checkpoint's stretch at a time (each stretch is run once, so a search costs at most one
   * replay of the recording): the run goes forward from the checkpoint to the end of its stretch,
   * pausing where `step` says (an engine step kind and frame limit; null: only at breakpoints), and
   * `accept` looks at each pause (`first`: where the scan starts, which may be the middle of a
   * line). A step scan pauses at every instruction, which is slow, so it first scans only the last
   * few budget points of a stretch, reached at full speed, and widens the tail until it finds a
   * moment or covers the stretch. Leaves the run at the moment found (or at `now` when there is
   * none) and returns it, or null.
   */
  searchBack(ex: Execution, now: Moment, step: { kind: StepKind; max: number } | null, accept: (first: boolean) => boolean): Moment | null {
    let k = this.lastKeptBefore(now, false);
    this.searching = true;
    let found: Moment | null = null;
    try {
      for (let end = now; k >= 0 && found === null; end = this.kept[k].checkpoint.moment, k--) {
        const start = this.kept[k].checkpoint.moment.ticks;
        for (let tail = step ? 2 : Infinity; found === null; tail *= 8) {
          this.restore(k);
          const from = Math.max(start, end.ticks - tail);
          if (from > this.store.ticks && !this.runToTick(ex, from)) break;
          found = this.scan(ex, end, step, accept);
          if (from <= start) break;
        }
      }
    } finally {
      this.searching = false;
    }
    this.goTo(ex, found ?? now);
    return found;
  }

  /** The index of the last checkpoint before `moment` (or at it, when `atToo`); -1 when there is none. */
  private lastKeptBefore(moment: Moment, atToo: boolean): number {
    let k = this.kept.length - 1;
    while (k >= 0 && compareMoments(this.kept[k].checkpoint.moment, moment) >= (atToo ? 1 : 0)) k--;
    return k;
  }

  /** Puts the program back at checkpoint `k`, replaying host calls from there. */
  private restore(k: number): void {
    restoreCheckpoint(this.store, this.kept[k].checkpoint);
    this.nextCall = this.kept[k].hostCalls;
  }

  /** Runs at full speed (breakpoints passed over) to the budget point `ticks`; false when the run ended first. */
  private runToTick(ex: Execution, ticks: number): boolean {
    while (this.store.ticks < ticks) {
      const r = ex.run(ticks - this.store.ticks);
      if (r.status !== 'paused') return false;
    }
    return true;
  }

  /** The last moment before `end`, from where the run is, at which `accept` holds (see searchBack). */
  private scan(ex: Execution, end: Moment, step: { kind: StepKind; max: number } | null, accept: (first: boolean) => boolean): Moment | null {
    let found: Moment | null = null;
    // Pauses that only end a slice of budget are not places the search asked for; `first` is the
    // first pause the search looks at, whose past (the instruction before it) the scan has not seen.
    for (let first = true, looked = true; ; ) {
      const m = momentOf(ex);
      if (compareMoments(m, end) >= 0) break;
      const inScope = step === null || this.store.callStack.height - 1 <= step.max;
      if (looked && inScope) {
        if (accept(first)) found = m;
        first = false;
      }
      if (step) ex.step(step.kind, step.max);
      else if (ex.status === 'paused') ex.resumeSkip = true;
      const r = ex.run(Math.max(1, end.ticks - this.store.ticks));
      if (r.status !== 'paused') break;
      looked = r.reason !== 'budget';
    }
    return found;
  }

  /** Whether `moment` is where the recording starts. */
  isStart(moment: Moment): boolean {
    return this.kept.length > 0 && compareMoments(moment, this.kept[0].checkpoint.moment) <= 0;
  }

  /** Back to where the recording starts. */
  goToStart(ex: Execution): void {
    this.goTo(ex, this.kept[0].checkpoint.moment);
  }

  /** Runs one instruction from a call, into the callee's first instruction (replaying, never past the frontier). */
  stepInto(ex: Execution): void {
    ex.step('in');
    const r = ex.run(1);
    if (r.status !== 'paused') throw new Error(`the replay ended (${r.status}) instead of entering the call`);
  }

  /**
   * The program's state was changed by hand (a variable, memory, a call made by the debugger):
   * what was recorded after this moment no longer follows from it, so it is dropped, and a
   * checkpoint of the changed state is taken, which replays start from.
   */
  edited(ex: Execution): void {
    const now = momentOf(ex);
    while (this.kept.length > 0 && compareMoments(this.kept[this.kept.length - 1].checkpoint.moment, now) >= 0) this.kept.pop();
    this.calls.length = this.nextCall;
    this.frontier = now;
    this.checkpoint();
  }

  /** Runs `action` (the debugger calling a function) with host calls going straight to the host, unrecorded. */
  unrecorded<T>(action: () => T): T {
    this.store.hostCalls = null;
    try {
      return action();
    } finally {
      this.store.hostCalls = this;
    }
  }

  /** Runs forward from a restored checkpoint to `target`: whole slices up to its tick, then instruction by instruction. */
  private runTo(ex: Execution, target: Moment): void {
    if (!this.runToTick(ex, target.ticks)) throw new Error(`the replay ended (${ex.status}) before the moment it was going to`);
    while (!sameMoment(momentOf(ex), target)) {
      if (compareMoments(momentOf(ex), target) > 0) throw new Error('the replay went past the moment it was going to');
      ex.step('instruction');
      const r = ex.run(1);
      if (r.status !== 'paused') throw new Error(`the replay ended (${r.status}) before the moment it was going to`);
    }
  }

  /** Keeps the checkpoints within the budget: drops every other one of the older half, and checkpoints less often. */
  private thin(): void {
    while (this.kept.length > 2 && this.checkpointBytes > this.budgetBytes) {
      const count = this.kept.length;
      const older = Math.floor(count / 2);
      for (let i = older - 1; i >= 1; i -= 2) this.kept.splice(i, 1);
      if (this.kept.length === count) this.kept.splice(1, 1); // the first (the start) and the last stay
      this.interval *= 2;
    }
  }

  // HostCallHook: live calls are recorded, replayed ones answered from the recording.

  call(callee: FuncInst, args: Value[], _ctx: HostContext, live: () => Value[]): Value[] {
    if (this.nextCall < this.calls.length) {
      const record = this.calls[this.nextCall++];
      if (record.callee !== callee) throw new Error(`the replay diverged: it called ${callee.name} where the recording has ${record.callee.name}`);
      if (record.reentered) throw new Error(`cannot replay ${callee.name}: the host function called back into wasm`);
      for (const w of record.writes) w.memory.u8.set(w.bytes, w.address);
      if (record.error !== null) throw record.error;
      return record.results!;
    }
    if (this.searching) throw new BeyondRecording();
    const record: HostCallRecord = { callee, results: null, error: null, writes: [], reentered: false };
    const outer = this.live;
    this.live = record;
    try {
      record.results = live();
      return record.results;
    } catch (e) {
      record.error = e;
      throw e;
    } finally {
      this.live = outer;
      // The bytes as the call left them (a range written twice is read once, at the end).
      for (const w of record.writes) w.bytes = w.memory.u8.slice(w.address, w.address + w.bytes.length);
      this.calls.push(record);
      this.nextCall = this.calls.length;
    }
  }

  wrote(memory: MemoryInst, address: number, length: number): void {
    // A view for the range; its bytes are copied when the call returns.
    this.live?.writes.push({ memory, address, bytes: memory.u8.subarray(address, address + length) });
  }

  invoked(): void {
    if (this.live) this.live.reentered = true;
  }
}

/** A search back in time reached the end of the recording (it never calls the host). */
class BeyondRecording extends Error {
  constructor() {
    super('the search reached the end of the recording');
  }
}
