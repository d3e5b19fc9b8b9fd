// The call stack with sparse instance attribution (DESIGN.md, "The core idea").
//
// Frames carry no instance. A short list of (height, instance) entries says "from this height
// upward, frames run in this instance"; it only grows when a call really switches instances, so a
// deep recursion inside one module keeps a single entry. The top entry's instance is kept in
// `current`, which every call and return consults without indexing the list.

/** One entry of the sparse list: frames at `height` and above (up to the next entry) run in `instance`. */
export interface InstanceEntry<I> {
  height: number;
  instance: I;
}

/** The frames and the sparse list of a call stack at one moment. */
export interface CallStackSnapshot<F, I> {
  funcs: F[];
  fps: Int32Array;
  pcs: Int32Array;
  entryHeights: number[];
  entryInstances: I[];
}

/**
 * `F` is whatever identifies a frame's function; `I` is the instance type (the executor uses
 * `Instance | null`, null standing for host code). Push/pop/replaceTop return the instance that is
 * current afterwards when it changed, and `undefined` when it did not (I itself never includes undefined).
 */
export class CallStack<F, I> {
  /** Number of frames. Frame 0 is the outermost. */
  height = 0;
  /** The instance of the top frame; meaningless (undefined) while no entry exists. */
  current: I | undefined = undefined;
  /**
   * Per frame: its function, the base slot of its locals, and its saved position (code index;
   * set by the executor when the frame calls or stops). Entries at `height` and above are stale.
   */
  funcs: F[] = [];
  fps: Int32Array = new Int32Array(256);
  pcs: Int32Array = new Int32Array(256);
  /** The sparse list, as two parallel arrays so switching allocates nothing once they have grown. */
  private entryHeights: number[] = [];
  private entryInstances: I[] = [];

  /** The sparse list of (height, instance) entries, bottom first (a copy, for inspection). */
  get instances(): InstanceEntry<I>[] {
    const out: InstanceEntry<I>[] = [];
    for (let i = 0; i < this.entryHeights.length; i++) out.push({ height: this.entryHeights[i], instance: this.entryInstances[i] });
    return out;
  }

  /** Number of entries in the sparse list. */
  get instanceEntryCount(): number {
    return this.entryHeights.length;
  }

  /**
   * Pushes a frame. `instance` is the callee's instance; omit it for a call within the current
   * instance. Returns the new current instance when it differs from the caller's.
   */
  push(func: F, fp: number, instance?: I): I | undefined {
    const h = this.height;
    if (h === this.fps.length) this.growFrames();
    this.funcs[h] = func;
    this.fps[h] = fp;
    this.height = h + 1;
    if (instance === undefined || (instance === this.current && this.entryHeights.length > 0)) return undefined;
    this.entryHeights.push(h);
    this.entryInstances.push(instance);
    this.current = instance;
    return instance;
  }

  /**
   * Pops the top frame. Returns the instance that is current again when the popped frame had
   * switched. (The popped frame's slots are left as they are: the next push overwrites them.)
   */
  pop(): I | undefined {
    const h = --this.height;
    const n = this.entryHeights.length;
    if (n > 0 && this.entryHeights[n - 1] === h) {
      this.entryHeights.pop();
      this.entryInstances.pop();
      if (n === 1) {
        this.current = undefined;
        return undefined;
      }
      this.current = this.entryInstances[n - 2];
      return this.current;
    }
    return undefined;
  }

  /**
   * A tail call: the top frame is replaced by the callee's frame. The entry the replaced frame
   * introduced (if any) is dropped or re-pointed, so no entry outlives its frame and no entry
   * repeats the instance below it. Returns the new current instance when it changed.
   */
  replaceTop(func: F, fp: number, instance?: I): I | undefined {
    const top = this.height - 1;
    this.funcs[top] = func;
    this.fps[top] = fp;
    if (instance === undefined || instance === this.current) return undefined;
    const n = this.entryHeights.length;
    if (n > 0 && this.entryHeights[n - 1] === top) {
      // The replaced frame had switched instances itself.
      if (n > 1 && this.entryInstances[n - 2] === instance) {
        this.entryHeights.pop();
        this.entryInstances.pop();
      } else {
        this.entryInstances[n - 1] = instance;
      }
    } else {
      this.entryHeights.push(top);
      this.entryInstances.push(instance);
    }
    this.current = instance;
    return instance;
  }

  /** The instance of the frame at `height` (0 = outermost): binary search over the sparse list. */
  instanceAt(height: number): I {
    if (height < 0 || height >= this.height) throw new RangeError(`no frame at height ${height} (stack height ${this.height})`);
    const hs = this.entryHeights;
    let lo = 0;
    let hi = hs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (hs[mid] <= height) lo = mid;
      else hi = mid - 1;
    }
    return this.entryInstances[lo];
  }

  /**
   * Drops every frame at `height` and above (a trap or host error ending an invocation that
   * started at that height). Returns the instance current afterwards when it changed.
   */
  unwindTo(height: number): I | undefined {
    if (height >= this.height) return undefined;
    this.height = height;
    const hs = this.entryHeights;
    const before = this.current;
    while (hs.length > 0 && hs[hs.length - 1] >= height) {
      hs.pop();
      this.entryInstances.pop();
    }
    this.current = hs.length > 0 ? this.entryInstances[hs.length - 1] : undefined;
    return this.current !== before ? this.current : undefined;
  }

  /** A copy of the frames and the sparse list, for a checkpoint (see checkpoint.ts). */
  snapshot(): CallStackSnapshot<F, I> {
    const h = this.height;
    return {
      funcs: this.funcs.slice(0, h),
      fps: this.fps.slice(0, h),
      pcs: this.pcs.slice(0, h),
      entryHeights: this.entryHeights.slice(),
      entryInstances: this.entryInstances.slice(),
    };
  }

  /** Puts back the frames and the sparse list of a snapshot. */
  restore(s: CallStackSnapshot<F, I>): void {
    const h = s.funcs.length;
    while (this.fps.length < h) this.growFrames();
    this.funcs = s.funcs.slice(); // not push(...): a million frames would overflow the JS stack
    this.fps.set(s.fps);
    this.pcs.set(s.pcs);
    this.height = h;
    this.entryHeights = s.entryHeights.slice();
    this.entryInstances = s.entryInstances.slice();
    const n = this.entryHeights.length;
    this.current = n > 0 ? this.entryInstances[n - 1] : undefined;
  }

  private growFrames(): void {
    const fps = new Int32Array(this.fps.length * 2);
    fps.set(this.fps);
    this.fps = fps;
    const pcs = new Int32Array(this.pcs.length * 2);
    pcs.set(this.pcs);
    this.pcs = pcs;
  }
}

/**
 * The naive model: every frame stores its instance. Used by the property test as the reference
 * and by benchmarks to compare memory use against the sparse stack.
 */
export class NaiveCallStack<F, I> {
  frames: { func: F; fp: number; instance: I }[] = [];

  get height(): number {
    return this.frames.length;
  }

  get current(): I | undefined {
    return this.frames.length > 0 ? this.frames[this.frames.length - 1].instance : undefined;
  }

  push(func: F, fp: number, instance?: I): I | undefined {
    const before = this.current;
    const inst = instance === undefined ? (before as I) : instance;
    this.frames.push({ func, fp, instance: inst });
    return this.frames.length === 1 || inst !== before ? inst : undefined;
  }

  pop(): I | undefined {
    const popped = this.frames.pop()!;
    const now = this.current;
    return this.frames.length > 0 && now !== popped.instance ? now : undefined;
  }

  replaceTop(func: F, fp: number, instance?: I): I | undefined {
    const top = this.frames[this.frames.length - 1];
    const inst = instance === undefined ? top.instance : instance;
    const changed = inst !== top.instance;
    this.frames[this.frames.length - 1] = { func, fp, instance: inst };
    return changed ? inst : undefined;
  }

  instanceAt(height: number): I {
    return this.frames[height].instance;
  }

  unwindTo(height: number): I | undefined {
    const before = this.current;
    this.frames.length = Math.min(height, this.frames.length);
    const now = this.current;
    return now !== before ? now : undefined;
  }

  /** Number of heights h >= 1 whose frame runs in another instance than frame h-1. */
  switches(): number {
    let n = 0;
    for (let h = 1; h < this.frames.length; h++) if (this.frames[h].instance !== this.frames[h - 1].instance) n++;
    return n;
  }
}
