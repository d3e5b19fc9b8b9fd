// Functions across the boundary. A wasm function handed to JavaScript is an "exported function": a
// JavaScript function (name = its function index, length = its parameter count), the same object
// every time for the same function. A JavaScript function imported by a module becomes a host
// function of the engine that may call back into wasm to any depth; an exported function imported
// again is its wasm function, not a new host function.
//
// Exceptions: a trap is a RuntimeError in JavaScript and stays the same trap (uncatchable by wasm)
// when JavaScript lets it go back through wasm. Anything else JavaScript throws crosses wasm as an
// exception of WebAssembly.JSTag (catch_all catches it) and comes out as the same value.

import { Exception, FuncInst, FuncType, Module, Trap, UncaughtException, Value, hostFunction } from '../engine/index';
import { JS_TAG, WrapperCache, exceptionWrappers, jsApiEngine } from './realm';
import { runtimeError, trapOf } from './errors';
import { checkJsCompatible, toJsValue, toWasmValue } from './values';
import { exceptionObject } from './tag';
import { isObject } from './webidl';

const functions = new WrapperCache<FuncInst, Function>();
let hostFunctionIndex = 0;

/** The wasm function behind an exported function, or undefined for any other value. */
export function funcOfWrapper(x: unknown): FuncInst | undefined {
  return typeof x === 'function' ? functions.entity(x) : undefined;
}

/** The exported function of `func`; `index` names it (its index in the instance exporting it first). */
export function exportedFunction(func: FuncInst, index: number): Function {
  return functions.get(func, () => {
    const module = func.instance?.module ?? null;
    const f = (...args: unknown[]) => callWasm(func, module, args, f);
    Object.defineProperty(f, 'name', { value: String(index >= 0 ? index : hostFunctionIndex++) });
    Object.defineProperty(f, 'length', { value: func.type.params.length });
    return f;
  });
}

function callWasm(func: FuncInst, module: Module | null, args: unknown[], entry: Function): unknown {
  const type = func.type;
  checkJsCompatible(type, `calling exported function ${func.name}`);
  const wasmArgs = type.params.map((t, i) => toWasmValue(args[i], t, module));
  let results: Value[];
  try {
    results = jsApiEngine().invoke(func, wasmArgs);
  } catch (e) {
    throw toJsError(e, entry);
  }
  if (results.length === 0) return undefined;
  if (results.length === 1) return toJsValue(results[0], module);
  return results.map((r) => toJsValue(r, module));
}

/**
 * What JavaScript sees of an engine failure: a RuntimeError for a trap (its stack from `entry`, the
 * function JavaScript called, down), the thrown value for an exception.
 */
export function toJsError(e: unknown, entry?: Function): unknown {
  if (e instanceof UncaughtException) {
    const exn = e.exception;
    return exn.tag === JS_TAG ? (exn.payload[0] as { value: unknown }).value : exceptionObject(exn);
  }
  if (e instanceof Trap) return runtimeError(e, entry);
  return e;
}

/** What wasm sees of a value JavaScript threw: the trap a RuntimeError came from, else an exception. */
function toWasmError(e: unknown): Trap {
  const trap = trapOf(e);
  if (trap !== undefined) return trap;
  const exn = exceptionWrappers.entity(e) ?? new Exception(JS_TAG, [{ type: 'externref', value: e }]);
  return new UncaughtException(exn);
}

// The JavaScript function behind each host function made for an import (a debugger shows it as a
// `[js]` frame with its own name and source).
const importedCallables = new WeakMap<FuncInst, Function>();

/** The JavaScript function a host function calls, if it was made for a JavaScript import. */
export function importedJsFunction(func: FuncInst): Function | undefined {
  return importedCallables.get(func);
}

/** The host function a module imports as `callable` with type `type` (its name: `module.name` of the import). */
export function hostFunctionOf(callable: Function, type: FuncType, module: Module, name: string): FuncInst {
  const func = hostFunction(type, name, (args) => {
    try {
      checkJsCompatible(type, `calling imported function ${name}`);
      const ret = Reflect.apply(callable, undefined, args.map((a) => toJsValue(a, module)));
      return resultsOf(ret, type, module);
    } catch (e) {
      if (e instanceof Error) void e.stack; // formatted now, while the wasm frames below are there to show
      throw toWasmError(e);
    }
  });
  importedCallables.set(func, callable);
  return func;
}

function resultsOf(ret: unknown, type: FuncType, module: Module): Value[] {
  const n = type.results.length;
  if (n === 0) return [];
  if (n === 1) return [toWasmValue(ret, type.results[0], module)];
  const method = isObject(ret) ? (ret as { [Symbol.iterator]?: unknown })[Symbol.iterator] : undefined; // read once
  if (typeof method !== 'function') throw new TypeError(`a function returning ${n} values must return an iterable`);
  const values = [...{ [Symbol.iterator]: () => method.call(ret) as Iterator<unknown> }];
  if (values.length !== n) throw new TypeError(`expected ${n} results, got ${values.length}`);
  return values.map((v, i) => toWasmValue(v, type.results[i], module));
}
