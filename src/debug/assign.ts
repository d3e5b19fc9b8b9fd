// Changing the program's state from the debugger: `$n = 5` or `i32[$p + 4] = -1` in the debug
// console, editing a watch (setExpression) or a variable (setVariable). Targets are locals and
// parameters, mutable globals, and typed memory places; the value is any expression.

import type { Value } from '../engine/index';
import { EvalError, EvalValue, evaluate, evaluateExpression, parseExpression, storeToMemory, toValue } from './evaluate';
import type { FrameView } from '../engine/index';
import { DebugInstance, frameContext, type Invoker } from './inspect';
import { globalName, localName } from './units';

/** A value that cannot go where it was asked to (immutable global, wrong type). */
export class AssignError extends Error {}

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
  const value = evaluate(valueText, ctx);
  const convert = (current: Value, what: string): Value => {
    try {
      return toValue(value, current.type);
    } catch (e) {
      throw new AssignError(`${what}: ${(e as Error).message}`);
    }
  };
  const setLocal = (index: number) => {
    const current = frame!.locals()[index];
    frame!.setLocal(index, convert(current, targetText));
  };
  const setGlobal = (index: number) => {
    const global = inst.instance.globals[index];
    if (!global.type.mutable) throw new AssignError(`global ${targetText} is immutable`);
    global.set(convert(global.get(), targetText));
  };
  switch (target.k) {
    case 'name': {
      if (frame) {
        const count = frame.locals().length;
        for (let i = 0; i < count; i++) if (localName(inst.unit, frame.func.index, i) === target.name) return done(setLocal(i));
      }
      for (let i = 0; i < inst.instance.globals.length; i++) if (globalName(inst.unit, i) === target.name) return done(setGlobal(i));
      throw new EvalError(`no local, parameter or global named $${target.name}`, target.col);
    }
    case 'local':
      if (!frame || target.index >= frame.locals().length) throw new EvalError(`no local${target.index} in this frame`, target.col);
      return done(setLocal(target.index));
    case 'global':
      if (target.index >= inst.instance.globals.length) throw new EvalError(`no global${target.index} in ${inst.name}`, target.col);
      return done(setGlobal(target.index));
    case 'load':
      return done(storeToMemory(target, value, ctx));
    default:
      throw new EvalError('only a local, a mutable global or a memory place such as i32[addr] can be assigned', target.col);
  }

  function done(_: void): EvalValue {
    return evaluateExpression(target, frameContext(inst, frame, invoker));
  }
}
