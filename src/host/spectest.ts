// The "spectest" host module that the WebAssembly spec test scripts import, as the reference
// interpreter defines it: print functions, four globals, funcref tables (i32 and i64 addressed) and a memory.

import {
  createGlobal,
  createMemory,
  createTable,
  f32ToBits,
  f64ToBits,
  formatValue,
  hostFunction,
  type ExternVal,
  type FuncType,
  type Value,
  type ValType,
} from '../engine/index';
import { fixedHostModule, type HostModule, type OutputSink } from './hostModule';

export const SPECTEST_MODULE = 'spectest';

/** Prints a value the way the reference interpreter does: `42 : i32`. */
function formatTyped(v: Value): string {
  return `${formatValue(v)} : ${v.type}`;
}

/**
 * Creates a fresh spectest module. Each instance has its own table, memory and globals, as each
 * script run starts from a clean state. The print functions write one line per argument to `output`.
 */
export function createSpectest(output: OutputSink): HostModule {
  const fields = new Map<string, ExternVal>();
  const print = (field: string, params: ValType[]) => {
    const type: FuncType = { params, results: [] };
    const func = hostFunction(type, `${SPECTEST_MODULE}.${field}`, (args) => {
      output.stdout(args.length ? args.map((a) => formatTyped(a) + '\n').join('') : '\n');
      return [];
    });
    fields.set(field, { kind: 'func', func });
  };
  print('print', []);
  print('print_i32', ['i32']);
  print('print_i64', ['i64']);
  print('print_f32', ['f32']);
  print('print_f64', ['f64']);
  print('print_i32_f32', ['i32', 'f32']);
  print('print_f64_f64', ['f64', 'f64']);

  const global = (field: string, value: Value) =>
    fields.set(field, { kind: 'global', global: createGlobal({ type: value.type, mutable: false }, value) });
  global('global_i32', { type: 'i32', value: 666 });
  global('global_i64', { type: 'i64', value: 666n });
  global('global_f32', { type: 'f32', bits: f32ToBits(666.6) });
  global('global_f64', { type: 'f64', bits: f64ToBits(666.6) });

  fields.set('table', { kind: 'table', table: createTable({ elem: 'funcref', limits: { min: 10, max: 20 } }) });
  fields.set('table64', { kind: 'table', table: createTable({ elem: 'funcref', limits: { min: 10, max: 20, address64: true } }) });
  fields.set('memory', { kind: 'memory', memory: createMemory({ limits: { min: 1, max: 2 } }) });
  fields.set('shared_memory', { kind: 'memory', memory: createMemory({ limits: { min: 1, max: 2 }, shared: true }) });
  return fixedHostModule(SPECTEST_MODULE, fields);
}
