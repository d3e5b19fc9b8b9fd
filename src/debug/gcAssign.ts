// A new value for a struct field or array element, typed into the Variables view: a number in the
// text format's spelling for the field's storage type, stored as the engine stores it.

import { f32ToBits, f64ToBits, type StorageType } from '../engine/index';
import { RequestError } from './requestError';

const INTEGER = /^[+-]?(0x[0-9a-f_]+|[0-9_]+)$/i;

export function parseStored(storage: StorageType, text: string, name: string): unknown {
  const t = text.trim();
  const bad = (what: string): never => {
    throw new RequestError(`setVariable: ${name} holds ${storage}, ${JSON.stringify(text)} is not ${what}`);
  };
  switch (storage) {
    case 'i8': case 'i16': case 'i32': case 'i64': {
      if (!INTEGER.test(t)) return bad('an integer');
      const digits = t.replace(/_/g, '').replace(/^[+-]/, '');
      const n = t.startsWith('-') ? -BigInt(digits) : BigInt(digits);
      if (storage === 'i64') return BigInt.asIntN(64, n);
      const bits = storage === 'i8' ? 8 : storage === 'i16' ? 16 : 32;
      return Number(BigInt.asIntN(bits, n));
    }
    case 'f32': case 'f64': {
      const x = Number(t.replace(/_/g, ''));
      if (t === '' || Number.isNaN(x) && !/^[+-]?nan$/i.test(t)) return bad('a number');
      return storage === 'f32' ? f32ToBits(x) | 0 : BigInt.asIntN(64, f64ToBits(x));
    }
  }
  throw new RequestError(`setVariable: ${name} holds ${storage}; only numeric fields and elements can be set`);
}
