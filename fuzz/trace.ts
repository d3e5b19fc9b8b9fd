// What one run of a fuzz module did, as lines both sides write the same way. There are two
// formats, one per oracle (`npm run fuzz -- --oracle v8|binaryen`), because the two oracles give
// the imports different semantics.
//
// V8 (fuzz/runV8.ts against fuzz/runOurs.ts): what one run of a fuzz module did: every export
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

// Binaryen (`wasm-opt --fuzz-exec-before`, fuzz/runBinaryen.ts against fuzz/runOursBinaryen.ts)
// follows binaryen's interpreter (src/tools/execution-results.h of binaryen 132), which is not
// JavaScript. Exports run in export order; lines:
//   call NAME                   a function export called with zeros (i64 and v128 too)
//   log V                       a log-* import (binaryen prints an i64 as two i32 halves: joined)
//   result V, ...               its results, when it has any
//   trap                        it trapped; traps are not catchable, not even by call-export-catch:
//                               they end the whole top-level call
//   exception TAG V...          an exception left it: `jstag jserror` is a host error (bad export
//                               index, null reference, i64 or v128 at the boundary...), `wasmtag N`
//                               the `throw` import's, others name the module's tag as binaryen does
//                               (from the name section, else tag$N, N counting defined tags)
//   global NAME = V             an exported global, read when its turn in export order comes
//   instantiation trapped | instantiation threw
//   host limit WHY              binaryen gave up (deeper than 200 calls, a huge allocation): its own
//                               comparisons ignore the run from there, and so do ours
// Imports: call-export(i, flags) calls the i-th export of any kind (not a function: host error),
// flags ignored, an exception propagates; call-export-catch(i) returns 1 when it threw a wasm
// exception (a trap still propagates); call-ref(f, flags) and call-ref-catch(f) the same for a
// reference; the callee gets zeros, and a host error instead when a parameter is i64, v128 or
// exnref or a result v128 or exnref; table-get and table-set reach the table exported as "table"
// only; throw(0) is a host error, throw(n) throws `wasmtag n`; sleep(ms, id) returns id. A host
// error is a wasm exception of the tag `jstag` (import "fuzzing-support" "jstag", payload an
// externref binaryen prints as jserror), `wasmtag` is import "fuzzing-support" "wasmtag" (i32):
// the module's code catches them by tag when it imports them, or with catch_all. An imported
// externref global holds externref(N), N the sum of the characters of its module and name modulo
// 251. No memory checksum: binaryen prints none (the fuzz modules export a hashMemory function).
// Values: integers in decimal; a float with an integral value as that exact integer (binaryen's
// shortest form and JavaScript's disagree beyond 2^53), others in JavaScript's shortest form, NaN
// as `nan` (payloads ignored as in the V8 format), infinities as Infinity and -Infinity; v128 as
// in the V8 format; references as binaryen prints them: null, function, externref(N), jserror,
// i31ref(N), object(...) (a struct, an array or an exception).

import { Trap, UncaughtException } from '../src/engine';

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

/** A float in the binaryen format: an integral value as its exact decimal integer. */
export function showExactFloat(x: number): string {
  return Number.isInteger(x) && !Object.is(x, -0) ? BigInt(x).toString() : showFloat(x);
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

/**
 * Thrown by a host import (bad export index, null reference, v128 at the JS boundary). A Trap to
 * our engine, which passes it through unchanged, so a runner can tell it from a trap of the code.
 * Under binaryen's semantics the runner turns it into a wasm exception of the `jstag` tag.
 */
export class HostThrow extends Trap {}

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

/**
 * The bookkeeping every runner shares for import calls and calls back into wasm. Under V8's
 * semantics an import catches anything (traps are JavaScript exceptions there) and the catches are
 * recorded and limited; under binaryen's it catches wasm exceptions only (host errors are those
 * too), silently, and needs no limits (a trap ends the top-level call, so the module's hang limit
 * bounds the run).
 */
export class HostCalls {
  private calls = 0;
  private depth = 0;
  private catches = 0;
  exhausted = false;

  constructor(private readonly trace: Trace, private readonly semantics: 'v8' | 'binaryen' = 'v8') {}

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

  /** Records a caught exception, or rethrows it when the budget is gone, too many were caught or it is not catchable. */
  catchOrRethrow(e: unknown): void {
    if (this.exhausted) throw e;
    if (this.semantics === 'binaryen') {
      // A wasm exception (a host error is one, of jstag, once it reaches wasm); never a trap.
      if (!(e instanceof HostThrow || e instanceof UncaughtException)) throw e;
      return;
    }
    if (++this.catches > MAX_CATCHES) throw e;
    this.trace.push('caught exception');
  }

  /** A call back into wasm: whether it threw; an exception propagates unless `caught`. */
  callBack(call: () => void, caught: boolean): boolean {
    try {
      if (this.semantics === 'v8' && this.depth >= MAX_REENTRY) throw new HostThrow('calls back into wasm nested too deeply');
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
