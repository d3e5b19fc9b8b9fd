// Arguments for the entry function, from the command line (strings) or launch.json (numbers or
// strings), parsed exactly as the text format reads constants: `-1`, `0xffffffff`, `1_000`,
// `0x1p-3`, `nan`, `-inf`, `nan:0x7f`; true and false are 1 and 0.

import { formatFuncType, type FuncType, type ValType, type Value } from '../engine/index';
import { LiteralError, parseF32, parseF64, parseI32, parseI64 } from '../text/literals';
import { ProgramError } from './errors';

export function parseEntryArgs(funcName: string, type: FuncType, raw: (string | number | boolean)[]): Value[] {
  if (raw.length !== type.params.length) {
    throw new ProgramError(
      'bad-args',
      `${funcName} ${formatFuncType(type)} takes ${type.params.length} argument${type.params.length === 1 ? '' : 's'}, got ${raw.length}`,
    );
  }
  return type.params.map((t, i) => parseArg(t, raw[i], funcName, i));
}

function parseArg(type: ValType, raw: string | number | boolean, funcName: string, index: number): Value {
  const text = typeof raw === 'boolean' ? (raw ? '1' : '0') : typeof raw === 'number' ? numberText(raw) : raw.trim();
  try {
    switch (type) {
      case 'i32':
        return { type, value: parseI32(text) };
      case 'i64':
        return { type, value: parseI64(text) };
      case 'f32':
        return { type, bits: parseF32(text) };
      case 'f64':
        return { type, bits: parseF64(text) };
      default:
        throw new LiteralError(`a ${type} parameter cannot be given on the command line`);
    }
  } catch (e) {
    if (!(e instanceof LiteralError)) throw e;
    throw new ProgramError('bad-args', `argument ${index + 1} of ${funcName} (${type}): ${e.message}`);
  }
}

/** A JSON number as a literal: integers in full (no exponent), others with the shortest round-trip digits. */
function numberText(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n < 0 ? '-inf' : 'inf';
  if (Object.is(n, -0)) return '-0';
  if (Number.isInteger(n)) return BigInt(n).toString();
  return String(n);
}
