// Changing the program's state from the debugger: `$n = 5` or `i32[$p + 4] = -1` in the debug
// console, editing a watch (setExpression) or a variable (setVariable). Targets are locals and
// parameters, mutable globals, lanes of v128 ones (`$v.i32x4[2] = 7`), typed memory places, and
// mutable struct fields and array elements (`$p.next = $q`, `$a[2] = 7`); the value is any
// expression (`i32x4 1 2 3 4` for a whole vector, `null` for a nullable reference).

import { isRefType, type Module, type Value } from '../engine/index';
import { AssignError } from './evalValue';
import { referenceFor, writeSlot } from './evaluateGc';
import { EvalError, EvalValue, Expr, evaluate, evaluateExpression, gcSlotOf, lanePlace, parseExpression, replaceLane, storeToMemory, toValue } from './evaluate';
import type { FrameView } from '../engine/index';
import { DebugInstance, frameContext, type Invoker } from './inspect';
import { globalName, localName } from './units';

export { AssignError };

/**
 * Splits `target = value` at its top-level `=` (not part of `==`, `!=`, `<=`, `>=`); null when
 * the text is not an assignment.
 */
export function splitAssignment(text: string): { target: string; value: string } | null {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === '=' && depth === 0) {
      const before = text[i - 1];
      const after = text[i + 1];
      if (after === '=' || before === '=' || before === '!' || before === '<' || before === '>') {
        if (after === '=') i++;
        continue;
      }
      return { target: text.slice(0, i).trim(), value: text.slice(i + 1).trim() };
    }
  }
  return null;
}

/** Stores the value of `valueText` into `targetText`; returns the target's new value. */
export function assign(targetText: string, valueText: string, inst: DebugInstance, frame: FrameView | null, invoker?: Invoker): EvalValue {
  const target = parseExpression(targetText);
  const ctx = frameContext(inst, frame, invoker);
  store(target, evaluate(valueText, ctx));
  return evaluateExpression(target, frameContext(inst, frame, invoker));

  /** `value` for a local or global now holding `current`; a reference is checked against its type as written in `module`. */
  function convert(value: EvalValue, current: Value, what: string, module: Module | null): Value {
    if (isRefType(current.type)) return referenceFor(value, current.type, module, what, valueText);
    try {
      return toValue(value, current.type);
    } catch (e) {
      throw new AssignError(`${what}: ${(e as Error).message}`);
    }
  }
  function setLocal(index: number, value: EvalValue): void {
    const current = frame!.locals()[index];
    frame!.setLocal(index, convert(value, current, targetText, inst.instance.module));
  }
  function setGlobal(index: number, value: EvalValue): void {
    const global = inst.instance.globals[index];
    if (!global.type.mutable) throw new AssignError(`global ${targetText} is immutable`);
    global.set(convert(value, global.get(), targetText, global.owner));
  }
  function store(place: Expr, value: EvalValue): void {
    switch (place.k) {
      case 'name': {
        const slot = gcSlotOf(place, ctx);
        if (slot) return void writeSlot(slot, value, valueText);
        if (frame) {
          const count = frame.locals().length;
          for (let i = 0; i < count; i++) if (localName(inst.unit, frame.func.index, i) === place.name) return setLocal(i, value);
        }
        for (let i = 0; i < inst.instance.globals.length; i++) if (globalName(inst.unit, i) === place.name) return setGlobal(i, value);
        throw new EvalError(`no local, parameter or global named $${place.name}`, place.col);
      }
      case 'local':
        if (!frame || place.index >= frame.locals().length) throw new EvalError(`no local${place.index} in this frame`, place.col);
        return setLocal(place.index, value);
      case 'global':
        if (place.index >= inst.instance.globals.length) throw new EvalError(`no global${place.index} in ${inst.name}`, place.col);
        return setGlobal(place.index, value);
      case 'load':
        return storeToMemory(place, value, ctx);
      case 'lane': {
        // The whole vector is written back with one lane changed.
        const { bytes, index } = lanePlace(place, ctx);
        let changed: Uint8Array;
        try {
          changed = replaceLane(bytes, place.shape, index, value);
        } catch (e) {
          throw new AssignError(`${targetText}: ${(e as Error).message}`);
        }
        return store(place.base, { kind: 'opaque', value: { type: 'v128', bytes: changed } });
      }
      case 'field':
      case 'index':
        return void writeSlot(gcSlotOf(place, ctx)!, value, valueText);
      default:
        throw new EvalError('only a local, a mutable global, a lane of one ($v.i32x4[0]), a memory place such as i32[addr], or a mutable field or element ($p.x, $a[2]) can be assigned', place.col);
    }
  }
}
