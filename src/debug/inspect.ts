// The debugger's view of a stopped program: instances with their units and names, frames with
// their locals, and the evaluation context the expression language reads from.

import { isRefType, type FrameView, type FuncInst, type GlobalInst, type Instance, type Value } from '../engine/index';
import { referenceFor } from './evaluateGc';
import { EvalError, evaluateExpression, fromValue, parseExpression, toValue, type EvalContext, type EvalValue, type Expr, type TypedValue } from './evaluate';
import { CodeUnit, functionAliases, globalName, itemName, localName } from './units';

/** Lets expressions call functions: the instances by name, and a way to run a call at a stop. */
export interface Invoker {
  instances(): DebugInstance[];
  /** Runs `func` to completion on top of the stopped program; throws an Error saying why it could not. */
  run(func: FuncInst, args: Value[]): Value[];
}

/** An instance as the debugger shows it. `id` is stable for the whole session (memory references use it). */
export interface DebugInstance {
  id: number;
  name: string;
  instance: Instance;
  unit: CodeUnit;
}

/** The name a local is shown and evaluated by: `$n` when the text names it, else `local3`. */
export function localLabel(inst: DebugInstance, funcIndex: number, localIndex: number): string {
  const name = localName(inst.unit, funcIndex, localIndex);
  return name !== null ? `$${name}` : `local${localIndex}`;
}

export function globalLabel(inst: DebugInstance, globalIndex: number): string {
  const name = globalName(inst.unit, globalIndex);
  return name !== null ? `$${name}` : `global${globalIndex}`;
}

/** What an expression sees in a frame: its locals, its instance's globals and memory 0. */
export function frameContext(inst: DebugInstance, frame: FrameView | null, invoker?: Invoker): EvalContext {
  let locals: TypedValue[] | undefined;
  // A local's reference type names the frame's module's types; a global's, its owner's.
  const module = inst.instance.module;
  const getLocals = () => (locals ??= frame ? frame.locals().map((v) => (isRefType(v.type) ? { ...v, module } : v)) : []);
  const funcIndex = frame ? frame.func.index : -1;
  const globals = inst.instance.globals;
  return {
    localByName(name) {
      if (!frame) return undefined;
      const all = getLocals();
      for (let i = 0; i < all.length; i++) {
        if (localName(inst.unit, funcIndex, i) === name) return all[i];
      }
      return undefined;
    },
    local: (i) => getLocals()[i],
    localCount: () => getLocals().length,
    globalByName(name) {
      for (let i = 0; i < globals.length; i++) {
        if (globalName(inst.unit, i) === name) return globalValue(globals[i]);
      }
      return undefined;
    },
    global: (i) => (globals[i] ? globalValue(globals[i]) : undefined),
    globalCount: () => globals.length,
    memory(select, col) {
      if (!select) {
        const mem = inst.instance.memories[0];
        return mem ? new Uint8Array(mem.buffer) : null;
      }
      let target = inst;
      if (select.instance !== null) {
        if (!invoker) throw new EvalError(`memories of other instances (${select.instance}!) cannot be read here`, col);
        target = instanceNamed(invoker, select.instance, col);
      }
      return new Uint8Array(memoryNamed(target, select.memory, col).buffer);
    },
    call: invoker ? (instanceName, name, args, col) => callFunction(invoker, instanceName === null ? inst : instanceNamed(invoker, instanceName, col), name, args, col) : undefined,
  };
}

function globalValue(g: GlobalInst): TypedValue {
  return { ...g.get(), module: g.owner };
}

/** Memory `memory` (a name without `$`, or an index) of `inst`; an EvalError listing its memories when there is none. */
function memoryNamed(inst: DebugInstance, memory: string | number, col: number) {
  const memories = inst.instance.memories;
  const index = memoryIndex(inst, memory);
  if (index >= 0) return memories[index];
  const names = memories.map((_, i) => memoryLabel(inst, i));
  const wanted = typeof memory === 'number' ? `memory${memory}` : `$${memory}`;
  throw new EvalError(`${inst.name} has no memory ${wanted} (${names.length ? `memories: ${names.join(', ')}` : 'it has none'})`, col);
}

/** The index of memory `memory` (a name without `$`, or an index) of `inst`, or -1 when it has none such. */
function memoryIndex(inst: DebugInstance, memory: string | number): number {
  const memories = inst.instance.memories;
  if (typeof memory === 'number') return memory < memories.length ? memory : -1;
  return memories.findIndex((_, i) => itemName(inst.unit, 'memories', i) === memory);
}

/**
 * Where a load expression (`i32[$p]`, `memory1.u8[4]`, `math!$heap.u8[0]`) reads: the memory's
 * instance and index and the address, for the memory view. Null for any other expression, and for
 * a load whose address calls a function (it is not run a second time to find the place).
 */
export function loadPlace(expression: string, inst: DebugInstance, frame: FrameView | null, invoker?: Invoker): { instanceId: number; index: number; address: bigint; size: number } | null {
  let expr: Expr;
  try {
    expr = parseExpression(expression);
  } catch {
    return null;
  }
  if (expr.k !== 'load' || callsIn(expr.addr)) return null;
  const select = expr.memory;
  const target = select?.instance ? invoker?.instances().find((i) => i.name === select.instance) : inst;
  const index = target ? (select ? memoryIndex(target, select.memory) : target.instance.memories.length > 0 ? 0 : -1) : -1;
  if (!target || index < 0) return null;
  const address = evaluateExpression(expr.addr, frameContext(inst, frame, invoker));
  if (address.kind !== 'int') return null;
  const unsigned = address.width === 0 ? address.value : BigInt.asUintN(address.width, address.value);
  return unsigned >= 0n && unsigned < 1n << 64n ? { instanceId: target.id, index, address: unsigned, size: Number(expr.type.slice(1)) / 8 } : null;
}

/** Whether an expression calls a function anywhere in it. */
function callsIn(e: Expr): boolean {
  switch (e.k) {
    case 'call': return true;
    case 'load': return callsIn(e.addr);
    case 'convert': case 'unary': return callsIn(e.arg);
    case 'lane': case 'index': return callsIn(e.base) || callsIn(e.index);
    case 'field': return callsIn(e.base);
    case 'binary': return callsIn(e.left) || callsIn(e.right);
    default: return false;
  }
}

/** The name a memory is shown and evaluated by: `$heap` when the text names it, else `memory1`. */
export function memoryLabel(inst: DebugInstance, index: number): string {
  const name = itemName(inst.unit, 'memories', index);
  return name !== null ? `$${name}` : `memory${index}`;
}

function instanceNamed(invoker: Invoker, name: string, col: number): DebugInstance {
  const found = invoker.instances().find((i) => i.name === name);
  if (!found) throw new EvalError(`no instance named ${name} (instances: ${invoker.instances().map((i) => i.name).join(', ')})`, col);
  return found;
}

/** Calls a function of `inst` by its text name (`$fib`) or export name (`fib`), imports included. */
function callFunction(invoker: Invoker, inst: DebugInstance, name: string, args: EvalValue[], col: number): EvalValue {
  const funcs = inst.instance.funcs;
  const index = funcs.findIndex((_, i) => functionAliases(inst.unit, i).includes(name));
  if (index < 0) throw new EvalError(`${inst.name} has no function ${name}`, col);
  const func = funcs[index];
  const params = func.type.params;
  if (args.length !== params.length) {
    throw new EvalError(`${name} takes ${params.length} argument${params.length === 1 ? '' : 's'} (${params.join(' ')}), got ${args.length}`, col);
  }
  const values = args.map((a, i) => {
    try {
      if (isRefType(params[i])) return referenceFor(a, params[i], func.instance?.module ?? null, 'the parameter', 'the argument');
      return toValue(a, params[i]);
    } catch (e) {
      throw new EvalError(`argument ${i + 1} of ${name}: ${(e as Error).message}`, col);
    }
  });
  let results: Value[];
  try {
    results = invoker.run(func, values);
  } catch (e) {
    throw new EvalError(`${inst.name}!${name.replace(/^\$/, '')}: ${(e as Error).message}`, col);
  }
  return results.length === 1 ? fromValue({ ...results[0], module: func.instance?.module ?? null }) : { kind: 'results', values: results };
}
