// The engine side of one JavaScript realm's `WebAssembly`: the store every module of the realm is
// instantiated in, how calls into wasm run (a debugger replaces `invoke` to run them under its
// control), and the caches that give one JavaScript object per engine entity, as the JS API wants.

import { Exception, FuncInst, Module, Store, TagInst, type Instance, type Value } from '../engine/index';

export interface JsApiEngine {
  store: Store;
  /** Runs `func` to completion; throws the engine's Trap (or UncaughtException). */
  invoke(func: FuncInst, args: Value[]): Value[];
  /** Told of each new instance before its start function runs (a debugger names it and resolves breakpoints in it). */
  instantiated?(module: Module, instance: Instance): void;
}

/** The tag of JavaScript exceptions crossing wasm (WebAssembly.JSTag): its one payload is the thrown value. */
export const JS_TAG = new TagInst({ params: ['externref'], results: [] }, 'js!JSTag');

let engine: JsApiEngine = defaultEngine();

function defaultEngine(): JsApiEngine {
  const store = new Store();
  return { store, invoke: (func, args) => store.invoke(func, args) };
}

/** The engine the realm's `WebAssembly` runs on. */
export function jsApiEngine(): JsApiEngine {
  return engine;
}

/** Runs the realm's WebAssembly on `next` (e.g. a debugger's store and run control) from now on. */
export function useJsApiEngine(next: JsApiEngine): void {
  engine = next;
}

/** The wrapper object of each engine entity handed to JavaScript (Memory, Table, Global, Tag, Exception, function). */
export class WrapperCache<K extends object, W extends object> {
  private readonly byEntity = new WeakMap<K, W>();
  private readonly byWrapper = new WeakMap<object, K>();

  get(entity: K, make: () => W): W {
    let w = this.byEntity.get(entity);
    if (w === undefined) {
      w = make();
      this.add(entity, w);
    }
    return w;
  }

  add(entity: K, wrapper: W): void {
    this.byEntity.set(entity, wrapper);
    this.byWrapper.set(wrapper, entity);
  }

  /** The entity behind `wrapper`; otherwise a TypeError with `message` (a brand check). */
  require(wrapper: unknown, message: string): K {
    const e = this.entity(wrapper);
    if (e === undefined) throw new TypeError(message);
    return e;
  }

  /** The entity behind `wrapper`, or undefined when it is not one of these wrappers. */
  entity(wrapper: unknown): K | undefined {
    return typeof wrapper === 'object' || typeof wrapper === 'function' ? this.byWrapper.get(wrapper as object) : undefined;
  }
}

export const exceptionWrappers = new WrapperCache<Exception, object>();

const instanceCounts = new Map<string, number>();
let unnamed = 0;
/** Names given to modules by whoever loaded them (a launcher knows the file the bytes came from). */
export const moduleNames = new WeakMap<Module, string>();

/**
 * An instance's name in stacks and messages: the name section's module name, else the name its
 * loader gave the module, else `module#N`; a second instance of one name gets `#2`.
 */
export function instanceName(module: Module): string {
  const base = module.names?.module ?? moduleNames.get(module) ?? `module#${++unnamed}`;
  const n = (instanceCounts.get(base) ?? 0) + 1;
  instanceCounts.set(base, n);
  return n === 1 ? base : `${base}#${n}`;
}

