// One-line disassembly of a decoded instruction in text-format syntax, for the debugger's
// `disassemble` request. Function and local names come from the module's name section.

import { opcodeInfo, opcodeName } from './opcodes';
import { formatF32, formatF64, formatV128 } from './format';
import { Instr, Module, NameSection, importCount } from './types';

/** Characters the text format allows in a `$name` without quoting. */
const ID_CHARS = /^[0-9A-Za-z!#$%&'*+\-./:<=>?@\\^_`|~]+$/;

function identifier(name: string): string {
  return ID_CHARS.test(name) ? `$${name}` : `$${JSON.stringify(name)}`;
}

/** The index of the function whose body contains the byte at `offset`, or null. */
export function funcIndexAt(module: Module, offset: number): number | null {
  const codes = module.codes;
  let lo = 0;
  let hi = codes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (offset < codes[mid].offset) hi = mid - 1;
    else if (offset >= codes[mid].endOffset) lo = mid + 1;
    else return importCount(module, 'func') + mid;
  }
  return null;
}

type NameSpace = 'functions' | 'types' | 'tables' | 'globals' | 'elems' | 'datas';

/** `$name` when the name section names entry `index` of that index space, else the index. */
function ref(module: Module, space: NameSpace, index: number): string {
  const name = module.names?.[space]?.get(index);
  return name === undefined ? String(index) : identifier(name);
}

function localRef(module: Module, instr: Instr, index: number): string {
  const func = funcIndexAt(module, instr.offset);
  const name = func === null ? undefined : module.names?.locals.get(func)?.get(index);
  return name === undefined ? String(index) : identifier(name);
}

/** Natural alignment (log2 of the access size in bytes) of a memory instruction, from its name. */
export function naturalAlignment(name: string): number {
  const [type, access] = name.split('.');
  if (/^load\d+x\d+/.test(access)) return 3; // v128.load8x8_s and the like read 8 bytes
  const sized = /^(?:load|store)(\d+)/.exec(access); // i32.load8_u, i64.store32, v128.load32_zero...
  if (sized) return Math.log2(Number(sized[1]) / 8);
  return type === 'v128' ? 4 : type === 'i64' || type === 'f64' ? 3 : 2;
}

function memargText(name: string, memarg: { align: number; offset: number }): string {
  const parts: string[] = [];
  if (memarg.offset !== 0) parts.push(`offset=${memarg.offset}`);
  if (memarg.align !== naturalAlignment(name)) parts.push(`align=${2 ** memarg.align}`);
  return parts.join(' ');
}

/** `(type 3) (param i32) (result i32)`: the index and, when the type exists, its signature. */
function typeUse(module: Module, index: number): string {
  const type = module.types[index];
  const use = `(type ${ref(module, 'types', index)})`;
  if (!type) return use;
  const parts = [use];
  if (type.params.length) parts.push(`(param ${type.params.join(' ')})`);
  if (type.results.length) parts.push(`(result ${type.results.join(' ')})`);
  return parts.join(' ');
}

/**
 * `instr` as one line of text format, e.g. `call $fib`, `global.get $sp`, `i32.load offset=4`,
 * `br_table 0 1 2`. `names` replaces the module's own names (a text view generated with other names).
 */
export function formatInstr(instr: Instr, decoded: Module, names: NameSection | null = decoded.names): string {
  const module = names === decoded.names ? decoded : { ...decoded, names };
  const name = opcodeName(instr.op);
  const info = opcodeInfo(instr.op);
  const args: string[] = [];
  switch (info?.imm) {
    case 'block': {
      const bt = instr.blockType;
      if (typeof bt === 'number') args.push(typeUse(module, bt));
      else if (bt !== undefined && bt !== 'empty') args.push(`(result ${bt})`);
      break;
    }
    case 'label':
      args.push(String(instr.index));
      break;
    case 'global':
      args.push(ref(module, 'globals', instr.index!));
      break;
    case 'table':
      args.push(ref(module, 'tables', instr.index!));
      break;
    case 'data':
    case 'memory_init':
      args.push(ref(module, 'datas', instr.index!));
      break;
    case 'elem':
      args.push(ref(module, 'elems', instr.index!));
      break;
    case 'br_table':
      args.push(...(instr.labels ?? []).map(String));
      break;
    case 'func':
      args.push(ref(module, 'functions', instr.index!));
      break;
    case 'call_indirect':
      if (instr.index2) args.push(ref(module, 'tables', instr.index2));
      args.push(typeUse(module, instr.index!));
      break;
    case 'local':
      args.push(localRef(module, instr, instr.index!));
      break;
    case 'memarg':
      args.push(memargText(name, instr.memarg!));
      break;
    case 'memarg_lane':
      args.push(memargText(name, instr.memarg!), String(instr.lane));
      break;
    case 'i32':
    case 'i64':
      args.push(String(instr.value));
      break;
    case 'f32':
      args.push(formatF32(instr.value as number));
      break;
    case 'f64':
      args.push(formatF64(instr.value as bigint));
      break;
    case 'select_t':
      if (instr.types?.length) args.push(`(result ${instr.types.join(' ')})`);
      break;
    case 'ref_null':
      args.push(instr.refType === 'funcref' ? 'func' : 'extern');
      break;
    case 'table_init':
      if (instr.index2) args.push(ref(module, 'tables', instr.index2));
      args.push(ref(module, 'elems', instr.index!));
      break;
    case 'table_copy':
      if (instr.index || instr.index2) args.push(ref(module, 'tables', instr.index!), ref(module, 'tables', instr.index2!));
      break;
    case 'v128':
      args.push(formatV128(instr.bytes!));
      break;
    case 'shuffle':
      args.push(Array.from(instr.bytes!).join(' '));
      break;
    case 'lane':
      args.push(String(instr.lane));
      break;
  }
  return [name, ...args.filter((a) => a !== '')].join(' ');
}
