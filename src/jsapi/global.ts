// WebAssembly.Global: a global of the engine; `value` converts as its type says, and only a
// mutable global can be set.

import { GlobalInst, createGlobal } from '../engine/index';
import { WrapperCache } from './realm';
import { defaultJsApiValue, jsIncompatible, toJsValue, toWasmValue, valueTypeFromString } from './values';
import { dictionary, required, webIdlInterface } from './webidl';

const globals = new WrapperCache<GlobalInst, object>();

export function globalEntity(x: unknown): GlobalInst | undefined {
  return globals.entity(x);
}

export function globalObject(global: GlobalInst): object {
  return globals.get(global, () => Object.create(Global.prototype));
}

function globalOf(x: unknown): GlobalInst {
  return globals.require(x, 'the receiver is not a WebAssembly.Global');
}

function readValue(g: GlobalInst): unknown {
  if (jsIncompatible(g.type.type)) throw new TypeError(`WebAssembly.Global: a ${g.type.type} value cannot be read from JavaScript`);
  return toJsValue(g.get(), g.owner);
}

export class Global {
  constructor(descriptor: unknown, v: unknown = undefined) {
    const d = dictionary(descriptor, 'WebAssembly.Global: the descriptor');
    const mutable = Boolean(d.mutable);
    const type = valueTypeFromString(required(d, 'value', 'WebAssembly.Global'), 'WebAssembly.Global: value');
    if (jsIncompatible(type) && v !== undefined) throw new TypeError(`WebAssembly.Global: a ${type} value cannot be given from JavaScript`);
    const value = v === undefined ? defaultJsApiValue(type, null) : toWasmValue(v, type, null);
    globals.add(createGlobal({ type, mutable }, value), this);
  }

  valueOf(): unknown {
    return readValue(globalOf(this));
  }

  get value(): unknown {
    return readValue(globalOf(this));
  }

  set value(v: unknown) {
    const g = globalOf(this);
    if (!g.type.mutable) throw new TypeError('WebAssembly.Global: cannot set the value of an immutable global');
    if (jsIncompatible(g.type.type)) throw new TypeError(`WebAssembly.Global: a ${g.type.type} value cannot be given from JavaScript`);
    g.set(toWasmValue(v, g.type.type, g.owner));
  }
}
webIdlInterface(Global, 'WebAssembly.Global');
