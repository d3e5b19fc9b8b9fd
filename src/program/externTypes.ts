// Import matching for the launch model's error messages: whether an export fits an import
// (the spec's extern subtyping) and both types written as in the text format.

import type { ExternVal, FuncType, Import, Limits, Module, ValType } from '../engine/index';

export function externMatches(imp: Import, importer: Module, value: ExternVal): boolean {
  const desc = imp.desc;
  switch (desc.kind) {
    case 'func':
      return value.kind === 'func' && sameFuncType(importer.types[desc.typeIndex], value.func.type);
    case 'table':
      return (
        value.kind === 'table' &&
        value.table.type.elem === desc.type.elem &&
        limitsMatch({ min: value.table.size(), max: value.table.type.limits.max }, desc.type.limits)
      );
    case 'memory':
      return value.kind === 'memory' && limitsMatch({ min: value.memory.pages(), max: value.memory.type.limits.max }, desc.type.limits);
    case 'global':
      return value.kind === 'global' && value.global.type.type === desc.type.type && value.global.type.mutable === desc.type.mutable;
  }
}

function sameFuncType(a: FuncType, b: FuncType): boolean {
  const same = (x: ValType[], y: ValType[]) => x.length === y.length && x.every((t, i) => t === y[i]);
  return same(a.params, b.params) && same(a.results, b.results);
}

function limitsMatch(actual: Limits, wanted: Limits): boolean {
  if (actual.min < wanted.min) return false;
  if (wanted.max === null) return true;
  return actual.max !== null && actual.max <= wanted.max;
}

export function describeFuncType(type: FuncType): string {
  const params = type.params.length ? ` (param ${type.params.join(' ')})` : '';
  const results = type.results.length ? ` (result ${type.results.join(' ')})` : '';
  return `(func${params}${results})`;
}

const describeLimits = (l: Limits) => (l.max === null ? `${l.min}` : `${l.min} ${l.max}`);
const describeGlobal = (type: ValType, mutable: boolean) => `(global ${mutable ? `(mut ${type})` : type})`;

export function describeImport(imp: Import, importer: Module): string {
  const desc = imp.desc;
  switch (desc.kind) {
    case 'func':
      return describeFuncType(importer.types[desc.typeIndex]);
    case 'table':
      return `(table ${describeLimits(desc.type.limits)} ${desc.type.elem})`;
    case 'memory':
      return `(memory ${describeLimits(desc.type.limits)})`;
    case 'global':
      return describeGlobal(desc.type.type, desc.type.mutable);
  }
}

/** An export's type as it is now (tables and memories with their current size as minimum). */
export function describeExtern(value: ExternVal): string {
  switch (value.kind) {
    case 'func':
      return describeFuncType(value.func.type);
    case 'table':
      return `(table ${describeLimits({ min: value.table.size(), max: value.table.type.limits.max })} ${value.table.type.elem})`;
    case 'memory':
      return `(memory ${describeLimits({ min: value.memory.pages(), max: value.memory.type.limits.max })})`;
    case 'global':
      return describeGlobal(value.global.type.type, value.global.type.mutable);
  }
}
