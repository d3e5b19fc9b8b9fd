// The JS API's implementation-defined limits (a module beyond one fails to compile with a
// CompileError, and validate says false), checked on the decoded module before validation. The
// limit of one memory is not applied: the engine implements multiple memories (WebAssembly 3.0).
// Table sizes are limited when a table is made (engine's MAX_TABLE_SIZE, a RangeError).

import { Module, Reader, funcTypeAt, importCount } from '../engine/index';
import { CompileError } from './errors';

export const MAX_MODULE_SIZE = 1024 * 1024 * 1024;
const MAX_TYPES = 1_000_000;
const MAX_FUNCTIONS = 1_000_000;
const MAX_IMPORTS = 1_000_000;
const MAX_EXPORTS = 1_000_000;
const MAX_GLOBALS = 1_000_000;
const MAX_DATA_SEGMENTS = 100_000;
const MAX_FUNCTION_SIZE = 7_654_321;
const MAX_FUNCTION_LOCALS = 50_000;
const MAX_FUNCTION_PARAMS = 1_000;
const MAX_FUNCTION_RETURNS = 1_000;
const MAX_ELEMENT_SEGMENTS = 10_000_000;
const MAX_TABLES = 100_000;

function over(what: string, count: number, limit: number): void {
  if (count > limit) throw new CompileError(`the module has ${count} ${what}, more than the limit of ${limit}`);
}

// Sections whose entry count alone can be over a limit: checked before decoding, so a module far
// beyond one is refused at once (the type section counts recursion groups, at most one per type).
const SECTION_LIMITS: Record<number, [string, number]> = {
  1: ['types', MAX_TYPES], 2: ['imports', MAX_IMPORTS], 3: ['functions', MAX_FUNCTIONS], 4: ['tables', MAX_TABLES],
  6: ['globals', MAX_GLOBALS], 7: ['exports', MAX_EXPORTS], 9: ['element segments', MAX_ELEMENT_SEGMENTS], 11: ['data segments', MAX_DATA_SEGMENTS],
};

/** The limits that the bytes show before decoding: the module's size and its sections' entry counts. */
export function checkBeforeDecoding(bytes: Uint8Array): void {
  over('bytes', bytes.length, MAX_MODULE_SIZE);
  try {
    let r = new Reader(bytes, 8);
    while (!r.atEnd()) {
      const id = r.byte();
      const size = r.u32('a section size');
      const next = r.pos + size;
      const limit = SECTION_LIMITS[id];
      if (limit !== undefined && size > 0) over(limit[0], r.u32('a count'), limit[1]);
      r = new Reader(bytes, next);
    }
  } catch (e) {
    if (e instanceof CompileError) throw e;
    // Malformed: the decoder reports where.
  }
}

export function checkLimits(module: Module): void {
  over('types', module.types.length, MAX_TYPES);
  over('functions', importCount(module, 'func') + module.funcs.length, MAX_FUNCTIONS);
  over('imports', module.imports.length, MAX_IMPORTS);
  over('exports', module.exports.length, MAX_EXPORTS);
  over('globals', importCount(module, 'global') + module.globals.length, MAX_GLOBALS);
  over('data segments', module.datas.length, MAX_DATA_SEGMENTS);
  over('element segments', module.elems.length, MAX_ELEMENT_SEGMENTS);
  over('tables', importCount(module, 'table') + module.tables.length, MAX_TABLES);
  for (const t of module.types) {
    if (t.kind !== undefined && t.kind !== 'func') continue;
    over('parameters in a function type', t.params.length, MAX_FUNCTION_PARAMS);
    over('results in a function type', t.results.length, MAX_FUNCTION_RETURNS);
  }
  module.codes.forEach((body, i) => {
    const r = new Reader(module.bytes, body.offset);
    over('bytes in a function body', r.u32('the size of a function body'), MAX_FUNCTION_SIZE);
    const params = funcTypeAt(module, module.funcs[i]).params.length;
    over('parameters and locals in a function', params + declaredLocals(r), MAX_FUNCTION_LOCALS);
  });
}

/** The number of locals a function body declares, read from its local declarations alone. */
function declaredLocals(r: Reader): number {
  const runs = r.u32('the number of local declarations');
  let n = 0;
  for (let i = 0; i < runs; i++) {
    n += r.u32('a count of locals');
    const type = r.byte('a local type');
    if (type === 0x63 || type === 0x64) r.s64('a heap type'); // (ref null? ht)
  }
  return n;
}
