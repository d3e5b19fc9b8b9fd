// WebAssembly.Instance: reading the imports from the import object as the JS API says (TypeError for
// a missing module object, LinkError for a value of the wrong kind), instantiating in the engine,
// running the start function through the realm's invoke, and the frozen exports object.

import {
  ExternVal, Instance as EngineInstance, Module as EngineModule, Value, createGlobal, funcTypeAt, instantiate,
} from '../engine/index';
import { LinkError, linkFailure } from './errors';
import { exportedFunction, funcOfWrapper, hostFunctionOf, toJsError } from './functions';
import { globalEntity, globalObject } from './global';
import { memoryEntity, memoryObject } from './memory';
import { moduleOf, stringConstantsModule } from './module';
import { instanceName, jsApiEngine } from './realm';
import { tableEntity, tableObject } from './table';
import { tagEntity, tagObject } from './tag';
import { toWasmValue } from './values';
import { isObject, webIdlInterface } from './webidl';

const exportsOf = new WeakMap<object, object>();

/** The engine's external values for the imports of `module`, read from `importObject`. */
export function readImports(module: EngineModule, importObject: unknown): ExternVal[] {
  if (importObject !== undefined && !isObject(importObject)) throw new TypeError('the import object must be an object');
  const stringConstants = stringConstantsModule(module);
  const needed = module.imports.filter((imp) => imp.module !== stringConstants);
  if (needed.length > 0 && importObject === undefined) throw new TypeError('the module has imports, but no import object was given');
  return module.imports.map((imp): ExternVal => {
    if (imp.module === stringConstants && imp.desc.kind === 'global') {
      return { kind: 'global', global: createGlobal(imp.desc.type, { type: imp.desc.type.type, value: imp.name } as Value) };
    }
    const o = (importObject as Record<string, unknown>)[imp.module];
    if (!isObject(o)) throw new TypeError(`import module "${imp.module}" must be an object`);
    const v = (o as Record<string, unknown>)[imp.name];
    const where = `import "${imp.module}"."${imp.name}"`;
    const d = imp.desc;
    switch (d.kind) {
      case 'func': {
        const f = funcOfWrapper(v);
        if (f !== undefined) return { kind: 'func', func: f };
        if (typeof v !== 'function') throw new LinkError(`${where} must be a function`);
        return { kind: 'func', func: hostFunctionOf(v, funcTypeAt(module, d.typeIndex), module, `${imp.module}.${imp.name}`) };
      }
      case 'global': {
        const g = globalEntity(v);
        if (g !== undefined) return { kind: 'global', global: g };
        const t = d.type.type;
        if (t === 'i64' && typeof v !== 'bigint') throw new LinkError(`${where} must be a BigInt or a WebAssembly.Global`);
        if ((t === 'i32' || t === 'f32' || t === 'f64') && typeof v !== 'number') throw new LinkError(`${where} must be a number or a WebAssembly.Global`);
        if (t === 'v128') throw new LinkError(`${where} must be a WebAssembly.Global`);
        const value = toWasmValue(v, t, module);
        if (d.type.mutable) throw new LinkError(`${where} is mutable, so it must be a WebAssembly.Global`);
        const global = createGlobal(d.type, value);
        global.owner = module;
        return { kind: 'global', global };
      }
      case 'memory': {
        const m = memoryEntity(v);
        if (m === undefined) throw new LinkError(`${where} must be a WebAssembly.Memory`);
        return { kind: 'memory', memory: m };
      }
      case 'table': {
        const t = tableEntity(v);
        if (t === undefined) throw new LinkError(`${where} must be a WebAssembly.Table`);
        return { kind: 'table', table: t };
      }
      case 'tag': {
        const t = tagEntity(v);
        if (t === undefined) throw new LinkError(`${where} must be a WebAssembly.Tag`);
        return { kind: 'tag', tag: t };
      }
    }
  });
}

/** Instantiates `module` with imports already read, and runs its start function. */
export function instantiateWithImports(module: EngineModule, imports: ExternVal[]): EngineInstance {
  const byImport = new Map(module.imports.map((imp, i) => [imp, imports[i]]));
  let inst: EngineInstance;
  try {
    inst = instantiate(jsApiEngine().store, module, (imp) => byImport.get(imp), instanceName(module), { runStart: false });
  } catch (e) {
    throw linkFailure(e);
  }
  jsApiEngine().instantiated?.(module, inst);
  if (module.start !== null) {
    try {
      jsApiEngine().invoke(inst.funcs[module.start], []);
    } catch (e) {
      throw toJsError(e);
    }
  }
  return inst;
}

/** The exports object: null prototype, frozen, one property per export in the module's order. */
function exportsObject(inst: EngineInstance): object {
  const o = Object.create(null) as Record<string, unknown>;
  for (const e of inst.module.exports) {
    const ext = inst.exports.get(e.name)!;
    let value: unknown;
    switch (ext.kind) {
      case 'func': value = exportedFunction(ext.func, ext.func.instance !== null ? ext.func.index : e.index); break;
      case 'memory': value = memoryObject(ext.memory); break;
      case 'table': value = tableObject(ext.table); break;
      case 'global': value = globalObject(ext.global); break;
      case 'tag': value = tagObject(ext.tag); break;
    }
    Object.defineProperty(o, e.name, { value, writable: false, enumerable: true, configurable: false });
  }
  return Object.freeze(o);
}

/** Makes `target` (an Instance object) the instance of `inst`. */
function attach(target: object, inst: EngineInstance): void {
  exportsOf.set(target, exportsObject(inst));
}

export function instanceObject(inst: EngineInstance): object {
  const o = Object.create(Instance.prototype) as object;
  attach(o, inst);
  return o;
}

export class Instance {
  constructor(module: unknown, importObject: unknown = undefined) {
    const m = moduleOf(module, 'WebAssembly.Instance: the first argument');
    attach(this, instantiateWithImports(m, readImports(m, importObject)));
  }

  get exports(): object {
    const e = exportsOf.get(this);
    if (e === undefined) throw new TypeError('the receiver is not a WebAssembly.Instance');
    return e;
  }
}
webIdlInterface(Instance, 'WebAssembly.Instance');
