// WebAssembly.Tag and WebAssembly.Exception: tags made in JavaScript or exported by an instance
// (one Tag object per engine tag), and exceptions thrown by either side (one Exception object per
// engine exception, so wasm rethrowing it gives JavaScript the same object back).

import { Exception as EngineException, TagInst, type ValType } from '../engine/index';
import { JS_TAG, WrapperCache, exceptionWrappers } from './realm';
import { jsIncompatible, toJsValue, toWasmValue, valueTypeFromString } from './values';
import { dictionary, isObject, toU32, webIdlInterface } from './webidl';

const tags = new WrapperCache<TagInst, object>();
let tagCount = 0;

export function tagOf(x: unknown, what: string): TagInst {
  return tags.require(x, `${what} must be a WebAssembly.Tag`);
}

export function tagEntity(x: unknown): TagInst | undefined {
  return tags.entity(x);
}

export function tagObject(tag: TagInst): object {
  return tags.get(tag, () => Object.create(Tag.prototype));
}

export class Tag {
  constructor(type: unknown) {
    const d = dictionary(type, 'WebAssembly.Tag: the tag type');
    const params = d.parameters;
    if (!isObject(params) || typeof (params as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
      throw new TypeError('WebAssembly.Tag: "parameters" must be a sequence of value types');
    }
    const types: ValType[] = [...(params as Iterable<unknown>)].map((p) => valueTypeFromString(p, 'WebAssembly.Tag'));
    tags.add(new TagInst({ params: types, results: [] }, `js!tag${++tagCount}`), this);
  }
}
webIdlInterface(Tag, 'WebAssembly.Tag');

/** The Exception object of an engine exception thrown by wasm. */
export function exceptionObject(exn: EngineException): object {
  return exceptionWrappers.get(exn, () => Object.create(Exception.prototype));
}

function exceptionOf(x: unknown): EngineException {
  return exceptionWrappers.require(x, 'the receiver is not a WebAssembly.Exception');
}

export class Exception {
  constructor(exceptionTag: unknown, payload: unknown, options: unknown = undefined) {
    const tag = tagOf(exceptionTag, 'WebAssembly.Exception: the tag');
    if (tag === JS_TAG) throw new TypeError('WebAssembly.Exception: exceptions of WebAssembly.JSTag are made by throwing in JavaScript');
    if (!isObject(payload) || typeof (payload as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
      throw new TypeError('WebAssembly.Exception: the payload must be a sequence');
    }
    const values = [...(payload as Iterable<unknown>)];
    const params = tag.type.params;
    if (values.length !== params.length) throw new TypeError(`WebAssembly.Exception: the tag takes ${params.length} values, the payload has ${values.length}`);
    const wasmValues = params.map((t, i) => {
      if (jsIncompatible(t)) throw new TypeError(`WebAssembly.Exception: a ${t} cannot be given from JavaScript`);
      return toWasmValue(values[i], t, null);
    });
    exceptionWrappers.add(new EngineException(tag, wasmValues), this);
    const opts = dictionary(options, 'WebAssembly.Exception: the options');
    if (opts.traceStack === true) {
      const stack = new Error().stack ?? '';
      Object.defineProperty(this, 'stack', { value: stack.slice(stack.indexOf('\n') + 1), writable: true, enumerable: false, configurable: true });
    }
  }

  is(exceptionTag: unknown): boolean {
    const exn = exceptionOf(this);
    return exn.tag === tagOf(exceptionTag, 'WebAssembly.Exception.is: the tag');
  }

  getArg(exceptionTag: unknown, index: unknown): unknown {
    const exn = exceptionOf(this);
    const tag = tagOf(exceptionTag, 'WebAssembly.Exception.getArg: the tag');
    const i = toU32(index, 'WebAssembly.Exception.getArg: the index');
    if (exn.tag !== tag) throw new TypeError('WebAssembly.Exception.getArg: the exception has another tag');
    if (i >= exn.payload.length) throw new RangeError(`WebAssembly.Exception.getArg: index ${i} is beyond the payload's ${exn.payload.length} values`);
    return toJsValue(exn.payload[i], null);
  }
}
webIdlInterface(Exception, 'WebAssembly.Exception');

