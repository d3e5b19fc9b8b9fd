// What one run of a fuzz module did, as lines both engines write the same way: every export
// called (in export order, with zero arguments), each value a `fuzzing-support` logging import
// received, each result or exception, then the exported globals and a checksum of the memory.
//
// The imports binaryen's fuzz modules expect, and what both runners make them do:
//   log-i32/i64/f32/f64/v128(x)   record `log <x>`
//   call-export(i, flags)         call the i-th exported function (JS arguments: zeros by type);
//                                 an exception propagates unless flags & 1, then it is recorded
//   call-export-catch(i)          the same, caught: returns 1 when it threw, else 0
//   call-ref(f, flags), call-ref-catch(f)   the same for a function reference, called as
//                                 JavaScript calls a function with no arguments
//   table-get(i), table-set(i, f) the exported table; out of bounds throws
//   sleep(ms, id)                 returns id
// A call from JavaScript of a function with v128 (or, with no arguments, i64 or funcref) in its
// signature throws a TypeError in V8, and so in ours. The top-level calls of v128 exports go
// through a wasm wrapper in V8 (the JS API cannot pass v128), so their results are compared too.

export type Trace = string[];

export const IMPORT_MODULE = 'fuzzing-support';

/** Lanes of a v128 as four u32 hex words, lane 0 first. */
export function showLanes(lanes: ArrayLike<number>): string {
  return 'v128 ' + Array.from(lanes, (x) => (x >>> 0).toString(16).padStart(8, '0')).join(' ');
}

/** A float as both engines see it through JavaScript: NaN without payload, -0 kept. */
export function showFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  return Object.is(x, -0) ? '-0' : String(x);
}

export function showRef(ref: unknown): string {
  return ref === null ? 'null' : ref === undefined ? 'undefined' : 'ref';
}

/** FNV-1a of a memory's bytes, with its length: equal memories, equal checksums. */
export function checksum(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return `${bytes.length} bytes, fnv ${(h >>> 0).toString(16)}`;
}

/** Thrown by a host import (bad export index, null reference, v128 at the JS boundary). */
export class HostThrow extends Error {}

/** Most import calls in one module's run: re-entry that catches traps can otherwise run for ever. */
export const MAX_HOST_CALLS = 20_000;
/** Most nested calls back into wasm from imports (V8's native stack and ours differ in depth). */
export const MAX_REENTRY = 20;
/**
 * Most exceptions imports catch in one top-level call. A fuzz module's hang limit resets when it
 * traps, so every caught trap lets the stack grow by another hundred frames; past this many the
 * exception propagates, which keeps stacks far below where V8 overflows (ours goes deeper).
 */
export const MAX_CATCHES = 30;

/** The bookkeeping both runners share for import calls and calls back into wasm. */
export class HostCalls {
  private calls = 0;
  private depth = 0;
  private catches = 0;
  exhausted = false;

  constructor(private readonly trace: Trace) {}

  /** Every import call starts here; past the budget the run ends (no catch stops it). */
  enter(): void {
    if (++this.calls > MAX_HOST_CALLS) this.exhausted = true;
    if (this.exhausted) throw new HostThrow('host call budget exhausted');
  }

  /** Imports that reach the exports throw while the start function runs (there are none yet). */
  needExports(ready: boolean): void {
    if (!ready) throw new HostThrow('exports are not available while the module instantiates');
  }

  /** A call of an export from the top level starts with no exceptions caught. */
  topLevelCall(): void {
    this.catches = 0;
  }

  /** Records a caught exception, or rethrows it when the budget is gone or too many were caught. */
  catchOrRethrow(e: unknown): void {
    if (this.exhausted || ++this.catches > MAX_CATCHES) throw e;
    this.trace.push('caught exception');
  }

  /** A call back into wasm: whether it threw; an exception propagates unless `caught`. */
  callBack(call: () => void, caught: boolean): boolean {
    try {
      if (this.depth >= MAX_REENTRY) throw new HostThrow('calls back into wasm nested too deeply');
      this.depth++;
      try {
        call();
      } finally {
        this.depth--;
      }
      return false;
    } catch (e) {
      if (!caught) throw e;
      this.catchOrRethrow(e);
      return true;
    }
  }
}
