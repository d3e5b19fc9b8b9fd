// WebAssembly.Module: bytes decoded and validated by the engine (a failure is a CompileError with
// the engine's message), and the static reflection functions exports, imports and customSections.

import { Module as EngineModule, loadModuleSync, type ExternKind } from '../engine/index';
import { recordModuleOrigin } from './bytesOrigin';
import { CompileError, compileFailure } from './errors';
import { checkBeforeDecoding, checkLimits } from './limits';
import { bufferSourceBytes, dictionary, webIdlInterface } from './webidl';

const modules = new WeakMap<object, EngineModule>();
/**
 * The import module name a module was compiled to take string constants from (the JS String
 * Builtins' `importedStringConstants` option): each of its imports is an immutable externref global
 * whose value is the import's name.
 */
const stringConstantModules = new WeakMap<EngineModule, string>();

/** The `importedStringConstants` compile option, or null. */
export function stringConstantsOption(options: unknown): string | null {
  const o = dictionary(options, 'the compile options');
  const v = o.importedStringConstants;
  return v === undefined || v === null ? null : `${v as string}`;
}

export function stringConstantsModule(module: EngineModule): string | undefined {
  return stringConstantModules.get(module);
}

/** Decodes and validates `bytes` (with the compile option of string constants, or null); throws CompileError. */
export function compileBytes(bytes: Uint8Array, stringConstants: string | null = null): EngineModule {
  checkBeforeDecoding(bytes);
  let module: EngineModule;
  try {
    module = loadModuleSync(bytes, (m) => checkLimits(m));
  } catch (e) {
    throw compileFailure(e);
  }
  recordModuleOrigin(module, bytes);
  if (stringConstants !== null) {
    for (const imp of module.imports) {
      if (imp.module !== stringConstants) continue;
      const d = imp.desc;
      if (d.kind !== 'global' || d.type.mutable || (d.type.type !== 'externref' && d.type.type !== '(ref extern)')) {
        throw new CompileError(`import "${imp.module}"."${imp.name}" is a string constant, so it must be an immutable externref global`);
      }
    }
    stringConstantModules.set(module, stringConstants);
  }
  return module;
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
  constructor(bytes: unknown, options: unknown = undefined) {
    const b = bufferSourceBytes(bytes, 'WebAssembly.Module: the argument');
    modules.set(this, compileBytes(b, stringConstantsOption(options)));
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
