// WebAssembly.Table: a table of the engine, its elements converted as values of its element type
// (a funcref table holds exported functions or null, an externref table any JavaScript value).

import { MAX_TABLE_SIZE, TableInst, createTable, type RefType, type Value } from '../engine/index';
import { WrapperCache } from './realm';
import { REF_TYPE_NAMES, defaultJsApiValue, toJsValue, toWasmValue, valueTypeFromString } from './values';
import { addressType, dictionary, required, toAddress, webIdlInterface } from './webidl';

const tables = new WrapperCache<TableInst, object>();

export function tableEntity(x: unknown): TableInst | undefined {
  return tables.entity(x);
}

export function tableObject(table: TableInst): object {
  return tables.get(table, () => Object.create(Table.prototype));
}

function tableOf(x: unknown): TableInst {
  return tables.require(x, 'the receiver is not a WebAssembly.Table');
}

/** The element a missing or given `value` argument stands for. */
function elementValue(table: { type: { elem: RefType } }, value: unknown, owner: TableInst['owner']): unknown {
  const elem = table.type.elem;
  const v = value === undefined ? defaultJsApiValue(elem, owner) : toWasmValue(value, elem, owner);
  return (v as { value: unknown }).value;
}

export class Table {
  constructor(descriptor: unknown, value: unknown = undefined) {
    const d = dictionary(descriptor, 'WebAssembly.Table: the descriptor');
    // Members in the order the JS API reads them, each converted as it is read.
    const elem = valueTypeFromString(required(d, 'element', 'WebAssembly.Table'), 'WebAssembly.Table: element', REF_TYPE_NAMES) as RefType;
    const address64 = addressType(d.address, 'WebAssembly.Table');
    const initial = toAddress(required(d, 'initial', 'WebAssembly.Table'), address64, 'WebAssembly.Table: initial');
    const maxValue = d.maximum;
    const maximum = maxValue === undefined ? null : toAddress(maxValue, address64, 'WebAssembly.Table: maximum');
    if (maximum !== null && maximum < initial) throw new RangeError(`WebAssembly.Table: maximum ${maximum} is below initial ${initial}`);
    if (initial > MAX_TABLE_SIZE) throw new RangeError(`WebAssembly.Table: initial ${initial} is beyond ${MAX_TABLE_SIZE} elements`);
    const type = { elem, limits: { min: initial, max: maximum, address64 } };
    const table = createTable(type, elementValue({ type }, value, null));
    tables.add(table, this);
  }

  get length(): number | bigint {
    const t = tableOf(this);
    return t.type.limits.address64 ? BigInt(t.size()) : t.size();
  }

  grow(delta: unknown, value: unknown = undefined): number | bigint {
    const t = tableOf(this);
    const address64 = t.type.limits.address64 === true;
    const n = toAddress(delta, address64, 'WebAssembly.Table.grow: delta');
    const init = elementValue(t, value, t.owner);
    const old = t.grow(n, init);
    if (old < 0) throw new RangeError(`WebAssembly.Table.grow: cannot grow ${t.size()} elements by ${n} (maximum ${t.max})`);
    return address64 ? BigInt(old) : old;
  }

  get(index: unknown): unknown {
    const t = tableOf(this);
    const i = toAddress(index, t.type.limits.address64 === true, 'WebAssembly.Table.get: index');
    if (i >= t.size()) throw new RangeError(`WebAssembly.Table.get: index ${i} is beyond the table's ${t.size()} elements`);
    return toJsValue({ type: t.type.elem, value: t.elements[i] } as Value, t.owner);
  }

  set(index: unknown, ...value: unknown[]): void {
    const t = tableOf(this);
    const i = toAddress(index, t.type.limits.address64 === true, 'WebAssembly.Table.set: index');
    if (i >= t.size()) throw new RangeError(`WebAssembly.Table.set: index ${i} is beyond the table's ${t.size()} elements`);
    // A missing value is the default; an explicit undefined is converted (a TypeError for funcref).
    t.elements[i] = value.length === 0 ? elementValue(t, undefined, t.owner) : (toWasmValue(value[0], t.type.elem, t.owner) as { value: unknown }).value;
  }
}
webIdlInterface(Table, 'WebAssembly.Table');
