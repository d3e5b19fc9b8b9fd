// WebAssembly.CompileError, LinkError and RuntimeError (native errors of the JS API), and the
// translation of the engine's errors into them: decoding and validation failures become
// CompileError, link failures LinkError, traps RuntimeError, each with the engine's message.

import { CompileError as EngineCompileError, DecodeError, LinkError as EngineLinkError, Trap, UncaughtException, ValidationError } from '../engine/index';

function nativeError(name: string): new (message?: string, ...options: ErrorOptions[]) => Error {
  const cls = {
    [name]: class extends Error {
      // A rest parameter keeps `length` at 1, as for the native errors.
      constructor(message?: string, ...options: ErrorOptions[]) {
        super(message, options[0]);
      }
    },
  }[name];
  Object.defineProperty(cls.prototype, 'name', { value: name, writable: true, enumerable: false, configurable: true });
  return cls;
}

export const CompileError = nativeError('CompileError');
export const LinkError = nativeError('LinkError');
export const RuntimeError = nativeError('RuntimeError');

// A trap keeps one RuntimeError however often it crosses JavaScript, and that RuntimeError, thrown
// back into wasm by a JavaScript function, is the same trap again: wasm cannot catch traps.
const errorOfTrap = new WeakMap<Trap, Error>();
const trapOfError = new WeakMap<object, Trap>();

/**
 * The RuntimeError of `trap`. Its stack, as V8's, starts at the wasm function that trapped
 * (`at divide (wasm:0x2a)`, with the byte offset of the instruction) and goes on with the
 * JavaScript frames below `entry` (the exported function JavaScript called), so the program never
 * sees the frames of the engine and of this API.
 */
export function runtimeError(trap: Trap, entry?: Function): Error {
  let e = errorOfTrap.get(trap);
  if (e === undefined) {
    e = new RuntimeError(trap.message);
    if (entry !== undefined) Error.captureStackTrace(e, entry);
    if (trap.funcName !== null) {
      const at = trap.offset === null ? 'wasm' : `wasm:0x${trap.offset.toString(16)}`;
      const stack = e.stack ?? '';
      const firstFrame = stack.indexOf('\n    at ');
      const wasmFrame = `\n    at ${trap.funcName} (${at})`;
      e.stack = firstFrame < 0 ? stack + wasmFrame : stack.slice(0, firstFrame) + wasmFrame + stack.slice(firstFrame);
    }
    errorOfTrap.set(trap, e);
    trapOfError.set(e, trap);
  }
  return e;
}

/** The trap a RuntimeError stands for, if it came from one. */
export function trapOf(e: unknown): Trap | undefined {
  return typeof e === 'object' && e !== null ? trapOfError.get(e) : undefined;
}

/** The JS API error for a failure to compile bytes, or the error itself when it is something else. */
export function compileFailure(e: unknown): unknown {
  if (e instanceof DecodeError || e instanceof ValidationError || e instanceof EngineCompileError) return new CompileError((e as Error).message);
  return e;
}

/** The JS API error for a failure to instantiate (exceptions thrown by the start function are handled by the caller). */
export function linkFailure(e: unknown): unknown {
  if (e instanceof EngineLinkError) return new LinkError(e.message);
  if (e instanceof Trap && !(e instanceof UncaughtException)) return runtimeError(e);
  return e;
}
