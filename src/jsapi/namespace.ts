// The `WebAssembly` namespace object: the interfaces, validate, compile, instantiate (bytes or a
// Module), and the streaming forms, which take a fetch Response or a promise of one.

import { fileURLToPath } from 'url';
import { compileBytes, isModuleObject, moduleObject, moduleOf, Module, stringConstantsOption } from './module';
import { Instance, instanceObject, instantiateWithImports, readImports } from './instance';
import { Memory } from './memory';
import { Table } from './table';
import { Global } from './global';
import { Exception, Tag, tagObject } from './tag';
import { CompileError, LinkError, RuntimeError } from './errors';
import { JS_TAG } from './realm';
import { bufferSourceBytes } from './webidl';
import { noteBytesOrigin } from './bytesOrigin';

/** A promise of `f()`'s result, run after the current job (a throw rejects it). */
function later<T>(f: () => T): Promise<T> {
  return Promise.resolve().then(f);
}

function compileLater(bytes: Uint8Array, options: unknown = undefined): Promise<object> {
  try {
    const stringConstants = stringConstantsOption(options);
    return later(() => moduleObject(compileBytes(bytes, stringConstants)));
  } catch (e) {
    return Promise.reject(e);
  }
}

/** Instantiates a Module object: imports are read now, the instance is made after the current job. */
function instantiateModuleObject(moduleObj: object, importObject: unknown): Promise<object> {
  try {
    const module = moduleOf(moduleObj, 'WebAssembly.instantiate: the module');
    const imports = readImports(module, importObject);
    return later(() => instanceObject(instantiateWithImports(module, imports)));
  } catch (e) {
    return Promise.reject(e);
  }
}

function instantiateBytes(bytes: Uint8Array, importObject: unknown, options: unknown = undefined): Promise<{ module: object; instance: object }> {
  return compileLater(bytes, options).then((module) => instantiateModuleObject(module, importObject).then((instance) => ({ module, instance })));
}

/** The bytes of a Response for the streaming forms (which need fetch's Response, as Node has it). */
async function responseBytes(source: unknown, what: string): Promise<Uint8Array> {
  const response = await source;
  const ResponseClass = (globalThis as { Response?: Function }).Response;
  if (ResponseClass === undefined || !(response instanceof ResponseClass)) throw new TypeError(`${what}: the argument must be a Response or a promise of one`);
  const r = response as Response;
  const mime = (r.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (mime !== 'application/wasm') throw new TypeError(`${what}: the response's Content-Type must be application/wasm, got "${mime}"`);
  if (!r.ok) throw new TypeError(`${what}: the response's status is ${r.status}`);
  if (r.bodyUsed) throw new TypeError(`${what}: the response's body was already used`);
  const bytes = new Uint8Array(await r.arrayBuffer());
  if (r.url !== '') noteBytesOrigin(bytes, r.url.startsWith('file:') ? fileURLToPath(r.url) : r.url);
  return bytes;
}

const operations = {
  validate(bytes: unknown, options: unknown = undefined): boolean {
    const b = bufferSourceBytes(bytes, 'WebAssembly.validate: the argument');
    const stringConstants = stringConstantsOption(options);
    try {
      compileBytes(b, stringConstants);
      return true;
    } catch (e) {
      if (e instanceof CompileError) return false;
      throw e;
    }
  },

  compile(bytes: unknown, options: unknown = undefined): Promise<object> {
    try {
      return compileLater(bufferSourceBytes(bytes, 'WebAssembly.compile: the argument'), options);
    } catch (e) {
      return Promise.reject(e);
    }
  },

  instantiate(source: unknown, importObject: unknown = undefined, options: unknown = undefined): Promise<unknown> {
    if (isModuleObject(source)) return instantiateModuleObject(source as object, importObject);
    try {
      return instantiateBytes(bufferSourceBytes(source, 'WebAssembly.instantiate: the first argument'), importObject, options);
    } catch (e) {
      return Promise.reject(e);
    }
  },

  compileStreaming(source: unknown, options: unknown = undefined): Promise<object> {
    return responseBytes(source, 'WebAssembly.compileStreaming').then((bytes) => compileLater(bytes, options));
  },

  instantiateStreaming(source: unknown, importObject: unknown = undefined, options: unknown = undefined): Promise<{ module: object; instance: object }> {
    return responseBytes(source, 'WebAssembly.instantiateStreaming').then((bytes) => instantiateBytes(bytes, importObject, options));
  },
};

const interfaces: Record<string, Function> = { Module, Instance, Memory, Table, Global, Tag, Exception, CompileError, LinkError, RuntimeError };

/** A new `WebAssembly` namespace object of this realm (all of them share one engine store). */
export function createWebAssembly(): object {
  const ns = {};
  for (const [name, f] of Object.entries(operations)) Object.defineProperty(ns, name, { value: f, writable: true, enumerable: true, configurable: true });
  for (const [name, f] of Object.entries(interfaces)) Object.defineProperty(ns, name, { value: f, writable: true, enumerable: false, configurable: true });
  Object.defineProperty(ns, 'JSTag', { get: Object.defineProperty(() => tagObject(JS_TAG), 'name', { value: 'get JSTag' }), enumerable: true, configurable: true });
  Object.defineProperty(ns, Symbol.toStringTag, { value: 'WebAssembly', writable: false, enumerable: false, configurable: true });
  return ns;
}

/** Makes `global.WebAssembly` a new namespace on our engine (as the global's own property is defined). */
export function installWebAssembly(global: object): object {
  const ns = createWebAssembly();
  Object.defineProperty(global, 'WebAssembly', { value: ns, writable: true, enumerable: false, configurable: true });
  return ns;
}

