// Runs a fuzz module in V8 (Node's WebAssembly) with the same imports and records its trace.
// What the JS API cannot carry (v128 arguments of log-v128, v128 results of exports, v128
// globals) goes through small wasm wrappers assembled from text, which hand JavaScript the lanes.

import { FuncType, Module, ValType, funcTypeAt } from '../src/engine';
import { assembleWat } from '../src/text/assemble';
import { EXTERN_VALUE } from './runOurs';
import { Exports, JsGlobal, JsMemory, JsModule, JsTable, WA } from './jsApi';
import { HostCalls, HostThrow, IMPORT_MODULE, Trace, checksum, showFloat, showLanes, showRef } from './trace';

type JsFn = (...args: unknown[]) => unknown;

async function assemble(text: string): Promise<JsModule> {
  return new WA.Module(await assembleWat(text, 'fuzz-wrapper.wat'));
}

function showJs(type: ValType, x: unknown): string {
  switch (type) {
    case 'i32': case 'i64': return String(x);
    case 'f32': case 'f64': return showFloat(x as number);
    case 'v128': throw new Error('v128 values reach JavaScript as lanes');
    default: return showRef(x);
  }
}

/** Shows results that came back flattened (each v128 as four i32 lanes). */
function showFlat(types: ValType[], flat: unknown[]): string[] {
  const out: string[] = [];
  let at = 0;
  for (const t of types) {
    if (t === 'v128') {
      out.push(showLanes(flat.slice(at, at + 4) as number[]));
      at += 4;
    } else {
      out.push(showJs(t, flat[at++]));
    }
  }
  return out;
}

/** What a wasm call can throw in V8: a trap, an import's exception, a JS API type or range error. */
function isException(e: unknown): boolean {
  return e instanceof WA.RuntimeError || e instanceof HostThrow || e instanceof TypeError || e instanceof RangeError;
}

const hasV128 = (t: FuncType) => t.params.includes('v128') || t.results.includes('v128');

function zeroJs(t: ValType): unknown {
  return t === 'i64' ? 0n : t === 'funcref' || t === 'externref' ? null : 0;
}

function zeroWat(t: ValType): string {
  switch (t) {
    case 'v128': return 'v128.const i64x2 0 0';
    case 'funcref': return 'ref.null func';
    case 'externref': return 'ref.null extern';
    default: return `${t}.const 0`;
  }
}

const lanes = (get: string) => [0, 1, 2, 3].map((k) => `${get} i32x4.extract_lane ${k}`).join(' ');

/** A module of wrappers: `f<i>` calls function export i with zero arguments, `g<i>` reads a v128 global, both returning lanes. */
function wrapperText(module: Module, funcType: (exportIndex: number) => FuncType, globalMutable: (exportIndex: number) => boolean): string | null {
  const parts: string[] = [];
  module.exports.forEach((e, i) => {
    if (e.kind === 'func' && hasV128(funcType(i))) {
      const t = funcType(i);
      const sig = `(param ${t.params.join(' ')}) (result ${t.results.join(' ')})`;
      const flat = t.results.flatMap((r) => (r === 'v128' ? ['i32', 'i32', 'i32', 'i32'] : [r]));
      const locals = t.results.map((r, k) => `(local $r${k} ${r})`).join(' ');
      const sets = t.results.map((_, k) => `local.set $r${t.results.length - 1 - k}`).join(' ');
      const gets = t.results.map((r, k) => (r === 'v128' ? lanes(`local.get $r${k}`) : `local.get $r${k}`)).join(' ');
      parts.push(`(import "m" "f${i}" (func $f${i} ${sig}))`);
      parts.push(`(func (export "f${i}") (result ${flat.join(' ')}) ${locals} ${t.params.map(zeroWat).join(' ')} call $f${i} ${sets} ${gets})`);
    }
    if (e.kind === 'global') {
      const type = globalTypeOf(module, e.index);
      if (type === 'v128') {
        parts.push(`(import "m" "g${i}" (global $g${i} ${globalMutable(i) ? '(mut v128)' : 'v128'}))`);
        parts.push(`(func (export "g${i}") (result i32 i32 i32 i32) ${lanes(`global.get $g${i}`)})`);
      }
    }
  });
  if (parts.length === 0) return null;
  // Imports must come first in the text format.
  parts.sort((a, b) => Number(b.startsWith('(import')) - Number(a.startsWith('(import')));
  return `(module ${parts.join('\n')})`;
}

/** The type of global `index` (imports first). */
function globalTypeOf(module: Module, index: number): ValType {
  return globalDescOf(module, index).type;
}

function globalDescOf(module: Module, index: number): { type: ValType; mutable: boolean } {
  const imported = module.imports.filter((i) => i.desc.kind === 'global');
  if (index < imported.length) return (imported[index].desc as { type: { type: ValType; mutable: boolean } }).type;
  return module.globals[index - imported.length].type;
}

function funcTypeOf(module: Module, index: number): FuncType {
  const imported = module.imports.filter((i) => i.desc.kind === 'func');
  if (index < imported.length) return funcTypeAt(module, (imported[index].desc as { typeIndex: number }).typeIndex);
  return funcTypeAt(module, module.funcs[index - imported.length]);
}

export async function runV8(bytes: Uint8Array, module: Module, trace: Trace): Promise<void> {
  let exports: Exports = {};
  let ready = false;
  const funcExports = module.exports.filter((e) => e.kind === 'func');
  const logTyped = (t: ValType) => (x: unknown) => { trace.push(`log ${showJs(t, x)}`); };

  const calls = new HostCalls(trace);
  const callBack = (fn: () => unknown, caught: boolean): boolean => calls.callBack(fn, caught);
  const exportCall = (i: number) => {
    const e = funcExports[i >>> 0];
    if (e === undefined) throw new HostThrow(`no function export ${i >>> 0}`);
    const t = funcTypeOf(module, e.index);
    calls.needExports(ready);
    return () => (exports[e.name] as JsFn)(...t.params.map(zeroJs));
  };
  const refCall = (f: unknown) => {
    if (f === null) throw new HostThrow('TypeError: null is not a function');
    return () => (f as JsFn)();
  };
  const table = () => {
    calls.needExports(ready);
    const e = module.exports.find((x) => x.kind === 'table');
    if (!e) throw new HostThrow('no exported table');
    return exports[e.name] as JsTable;
  };
  const checkIndex = (t: JsTable, i: number) => {
    if (i >>> 0 >= t.length) throw new HostThrow(`RangeError: table index ${i >>> 0} out of bounds`);
    return i >>> 0;
  };

  const host: Record<string, JsFn> = {
    'log-i32': logTyped('i32'),
    'log-i64': logTyped('i64'),
    'log-f32': logTyped('f32'),
    'log-f64': logTyped('f64'),
    'call-export': (i, flags) => { callBack(exportCall(i as number), ((flags as number) & 1) !== 0); },
    'call-export-catch': (i) => (callBack(exportCall(i as number), true) ? 1 : 0),
    'call-ref': (f, flags) => { callBack(refCall(f), ((flags as number) & 1) !== 0); },
    'call-ref-catch': (f) => {
      try {
        return callBack(refCall(f), true) ? 1 : 0;
      } catch (e) {
        calls.catchOrRethrow(e);
        return 1;
      }
    },
    'table-get': (i) => { const t = table(); return t.get(checkIndex(t, i as number)); },
    'table-set': (i, f) => { const t = table(); t.set(checkIndex(t, i as number), f as never); },
    'sleep': (_ms, id) => id,
  };
  const imports: Record<string, Record<string, unknown>> = {};
  for (const imp of module.imports) {
    imports[imp.module] ??= {};
    if (imp.module === IMPORT_MODULE && imp.name === 'log-v128') {
      const logger = await assemble(`(module (import "h" "lanes" (func $l (param i32 i32 i32 i32)))
        (func (export "log") (param v128) ${lanes('local.get 0')} call $l))`);
      const lanesLog = (...l: unknown[]) => { calls.enter(); trace.push(`log ${showLanes(l as number[])}`); };
      imports[imp.module][imp.name] = new WA.Instance(logger, { h: { lanes: lanesLog } }).exports.log;
    } else if (imp.module === IMPORT_MODULE && imp.desc.kind === 'func' && host[imp.name]) {
      const impl = host[imp.name];
      imports[imp.module][imp.name] = (...args: unknown[]) => {
        calls.enter();
        return impl(...args);
      };
    } else if (imp.desc.kind === 'global' && imp.desc.type.type === 'externref') {
      imports[imp.module][imp.name] = EXTERN_VALUE;
    } else {
      throw new Error(`the fuzz harness has no import "${imp.module}"."${imp.name}" (${imp.desc.kind})`);
    }
  }

  let instance;
  try {
    instance = new WA.Instance(new WA.Module(bytes), imports);
  } catch (e) {
    if (!isException(e)) throw e;
    trace.push('instantiation trapped');
    return;
  }
  exports = instance.exports;
  ready = true;

  const funcTypeOfExport = (i: number) => funcTypeOf(module, module.exports[i].index);
  const wrapText = wrapperText(module, funcTypeOfExport, (i) => globalDescOf(module, module.exports[i].index).mutable);
  let wrappers: Exports = {};
  if (wrapText) {
    const m: Record<string, unknown> = {};
    module.exports.forEach((e, i) => { m[`${e.kind === 'func' ? 'f' : 'g'}${i}`] = exports[e.name]; });
    wrappers = new WA.Instance(await assemble(wrapText), { m: m }).exports;
  }

  module.exports.forEach((e, i) => {
    if (e.kind !== 'func' || calls.exhausted) return;
    const t = funcTypeOfExport(i);
    trace.push(`call ${e.name}`);
    calls.topLevelCall();
    try {
      const result = hasV128(t) ? (wrappers[`f${i}`] as JsFn)() : (exports[e.name] as JsFn)(...t.params.map(zeroJs));
      const flatCount = t.results.reduce((n, r) => n + (r === 'v128' ? 4 : 1), 0);
      const flat = flatCount === 0 ? [] : flatCount === 1 ? [result] : (result as unknown[]);
      trace.push(`result ${showFlat(t.results, flat).join(', ')}`);
    } catch (err) {
      if (isException(err)) trace.push(calls.exhausted ? 'host call budget exhausted' : 'exception');
      else throw err;
    }
  });
  module.exports.forEach((e, i) => {
    if (e.kind === 'global') {
      const type = globalTypeOf(module, e.index);
      const value = type === 'v128' ? showFlat(['v128'], (wrappers[`g${i}`] as JsFn)() as unknown[])[0] : showJs(type, (exports[e.name] as JsGlobal).value);
      trace.push(`global ${e.name} = ${value}`);
    }
    if (e.kind === 'memory') trace.push(`memory ${e.name}: ${checksum(new Uint8Array((exports[e.name] as JsMemory).buffer))}`);
  });
}
