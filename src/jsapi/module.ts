// WebAssembly.Module: bytes decoded and validated by the engine (a failure is a CompileError with
// the engine's message), and the static reflection functions exports, imports and customSections.

import { Module as EngineModule, loadModuleSync, type ExternKind } from '../engine/index';
import { compileFailure } from './errors';
import { checkLimits, checkModuleSize } from './limits';
import { bufferSourceBytes, webIdlInterface } from './webidl';

const modules = new WeakMap<object, EngineModule>();

/** Decodes and validates `bytes`; throws CompileError. */
export function compileBytes(bytes: Uint8Array): EngineModule {
  checkModuleSize(bytes);
  try {
    return loadModuleSync(bytes, (module) => checkLimits(module));
  } catch (e) {
    throw compileFailure(e);
  }
}

export function moduleOf(x: unknown, what: string): EngineModule {
  const m = typeof x === 'object' && x !== null ? modules.get(x) : undefined;
  if (m === undefined) throw new TypeError(`${what} must be a WebAssembly.Module`);
  return m;
}

export function isModuleObject(x: unknown): boolean {
  return typeof x === 'object' && x !== null && modules.has(x);
}

export function moduleObject(module: EngineModule): object {
  const o = Object.create(Module.prototype) as object;
  modules.set(o, module);
  return o;
}

const KIND_NAMES: Record<ExternKind, string> = { func: 'function', table: 'table', memory: 'memory', global: 'global', tag: 'tag' };

export class Module {
  constructor(bytes: unknown) {
    modules.set(this, compileBytes(bufferSourceBytes(bytes, 'WebAssembly.Module: the argument')));
  }

  static exports(moduleObject: unknown): { name: string; kind: string }[] {
    const m = moduleOf(moduleObject, 'WebAssembly.Module.exports: the argument');
    return m.exports.map((e) => ({ name: e.name, kind: KIND_NAMES[e.kind] }));
  }

  static imports(moduleObject: unknown): { module: string; name: string; kind: string }[] {
    const m = moduleOf(moduleObject, 'WebAssembly.Module.imports: the argument');
    return m.imports.map((i) => ({ module: i.module, name: i.name, kind: KIND_NAMES[i.desc.kind] }));
  }

  static customSections(moduleObject: unknown, sectionName: unknown): ArrayBuffer[] {
    if (arguments.length < 2) throw new TypeError('WebAssembly.Module.customSections: the section name is required');
    const m = moduleOf(moduleObject, 'WebAssembly.Module.customSections: the first argument');
    const name = `${sectionName as string}`;
    return m.customs.filter((c) => c.name === name).map((c) => c.bytes.slice().buffer);
  }
}
webIdlInterface(Module, 'WebAssembly.Module');
