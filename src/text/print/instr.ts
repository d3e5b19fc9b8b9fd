// One instruction in text-format syntax, as the generated text and the disassembly write it:
// `call $fib`, `global.get $sp`, `i32.load offset=4`, `br_table 0 1 2`, `v128.const i32x4 ...`.
// Names come from ModuleNames; an entry without a name is written by its index.

import { formatF32, formatF64, formatV128, opcodeInfo, opcodeName, refParts, type Instr, type RefType } from '../../engine/index';
import { identifier, type IndexSpace, type ModuleNames } from './names';

/** Natural alignment (log2 of the access size in bytes) of a memory instruction, from its name. */
export function naturalAlignment(name: string): number {
  const [type, access] = name.split('.');
  if (/^load\d+x\d+/.test(access)) return 3; // v128.load8x8_s and the like read 8 bytes
  const sized = /^(?:load|store)(\d+)/.exec(access); // i32.load8_u, i64.store32, v128.load32_zero...
  if (sized) return Math.log2(Number(sized[1]) / 8);
  return type === 'v128' ? 4 : type === 'i64' || type === 'f64' ? 3 : 2;
}

/** `$m offset=4 align=1`, each only when it is not the default (memory 0); empty when none is. */
function memargText(name: string, memarg: NonNullable<Instr['memarg']>, names: ModuleNames): string {
  const parts: string[] = [];
  if (memarg.memory) parts.push(reference(names, 'memories', memarg.memory));
  if (memarg.offset !== 0) parts.push(`offset=${memarg.bigOffset ?? memarg.offset}`);
  if (memarg.align !== naturalAlignment(name)) parts.push(`align=${2 ** memarg.align}`);
  return parts.join(' ');
}

/** `$name`, or the bare index when the entry has no name. */
export function reference(names: ModuleNames, space: IndexSpace, index: number): string {
  return names.reference(space, index);
}

/** `(type $t3) (param i32) (result i32)`: the type and, when it exists, its signature. */
export function typeUse(names: ModuleNames, index: number): string {
  const type = names.module.types[index];
  let use = `(type ${reference(names, 'types', index)})`;
  if (!type || (type.kind !== undefined && type.kind !== 'func')) return use;
  if (type.params.length) use += ` (param ${type.params.join(' ')})`;
  if (type.results.length) use += ` (result ${type.results.join(' ')})`;
  return use;
}

const CATCH_NAMES = ['catch', 'catch_ref', 'catch_all', 'catch_all_ref'];

/** A branch target: its depth, and with `depth` (the blocks open around it) the `@N` label its block has. */
function label(target: number, depth: number | undefined): string {
  return depth === undefined ? String(target) : `${target} (;@${depth - target};)`;
}

/**
 * `instr` of function `funcIndex` (-1 in a constant expression) as one line of text format.
 * `depth`, when given, is how many blocks are open around it: branches then also say which
 * block they target (`br 1 (;@2;)`), as the generated text labels its blocks (`block ;; label = @2`).
 */
export function formatInstr(instr: Instr, names: ModuleNames, funcIndex: number, depth?: number): string {
  const info = opcodeInfo(instr.op);
  const name = info?.name ?? opcodeName(instr.op);
  switch (info?.imm) {
    case undefined:
    case 'none':
      return name;
    case 'memory':
      return instr.index ? `${name} ${reference(names, 'memories', instr.index)}` : name;
    case 'memory_copy':
      return instr.index || instr.index2 ? `${name} ${reference(names, 'memories', instr.index!)} ${reference(names, 'memories', instr.index2!)}` : name;
    case 'block': {
      const bt = instr.blockType;
      if (typeof bt === 'number') return `${name} ${typeUse(names, bt)}`;
      return bt !== undefined && bt !== 'empty' ? `${name} (result ${bt})` : name;
    }
    case 'label':
      return `${name} ${label(instr.index!, depth)}`;
    case 'br_table':
      // Without the `@N` of each target: a dispatch table has hundreds.
      return `${name} ${instr.labels!.join(' ')}`;
    case 'global':
      return `${name} ${reference(names, 'globals', instr.index!)}`;
    case 'table':
      return `${name} ${reference(names, 'tables', instr.index!)}`;
    case 'data':
      return `${name} ${reference(names, 'datas', instr.index!)}`;
    case 'memory_init':
      return `${name} ${instr.index2 ? reference(names, 'memories', instr.index2) + ' ' : ''}${reference(names, 'datas', instr.index!)}`;
    case 'elem':
      return `${name} ${reference(names, 'elems', instr.index!)}`;
    case 'func':
      return `${name} ${reference(names, 'functions', instr.index!)}`;
    case 'call_indirect':
      return `${name} ${instr.index2 ? reference(names, 'tables', instr.index2) + ' ' : ''}${typeUse(names, instr.index!)}`;
    case 'local': {
      const local = funcIndex < 0 ? null : names.local(funcIndex, instr.index!);
      return `${name} ${local === null ? instr.index : identifier(local)}`;
    }
    case 'memarg': {
      const memarg = memargText(name, instr.memarg!, names);
      return memarg ? `${name} ${memarg}` : name;
    }
    case 'memarg_lane': {
      const memarg = memargText(name, instr.memarg!, names);
      return `${name} ${memarg ? memarg + ' ' : ''}${instr.lane}`;
    }
    case 'i32':
    case 'i64':
      return `${name} ${instr.value}`;
    case 'f32':
      return `${name} ${formatF32(instr.value as number)}`;
    case 'f64':
      return `${name} ${formatF64(instr.value as bigint)}`;
    case 'select_t':
      return instr.types?.length ? `${name} (result ${instr.types.join(' ')})` : name;
    case 'ref_null':
      return `${name} ${heapTypeText(names, instr.refType!)}`;
    case 'type':
      return `${name} ${reference(names, 'types', instr.index!)}`;
    case 'type_type':
      return `${name} ${reference(names, 'types', instr.index!)} ${name === 'array.copy' ? reference(names, 'types', instr.index2!) : name === 'array.new_data' || name === 'array.init_data' ? reference(names, 'datas', instr.index2!) : name === 'array.new_fixed' ? instr.index2 : reference(names, 'elems', instr.index2!)}`;
    case 'type_field':
      return `${name} ${reference(names, 'types', instr.index!)} ${instr.index2}`;
    case 'ref_test':
    case 'ref_test_null':
      return `${name} ${refTypeText(names, instr.refType!)}`;
    case 'br_on_cast':
      return `${name} ${label(instr.index!, depth)} ${refTypeText(names, instr.refType2!)} ${refTypeText(names, instr.refType!)}`;
    case 'tag':
      return `${name} ${reference(names, 'tags', instr.index!)}`;
    case 'try_table': {
      // Catch labels count from outside the try_table: `depth` is the blocks open around it.
      let text = formatInstr({ ...instr, op: 0x02 }, names, funcIndex).replace(/^block/, name);
      for (const c of instr.catches!) {
        const tag = c.kind < 2 ? ` ${reference(names, 'tags', c.tag)}` : '';
        text += ` (${CATCH_NAMES[c.kind]}${tag} ${label(c.label, depth)})`;
      }
      return text;
    }
    case 'table_init':
      return `${name} ${instr.index2 ? reference(names, 'tables', instr.index2) + ' ' : ''}${reference(names, 'elems', instr.index!)}`;
    case 'table_copy':
      return instr.index || instr.index2 ? `${name} ${reference(names, 'tables', instr.index!)} ${reference(names, 'tables', instr.index2!)}` : name;
    case 'v128':
      return `${name} ${formatV128(instr.bytes!)}`;
    case 'shuffle':
      return `${name} ${Array.from(instr.bytes!).join(' ')}`;
    case 'lane':
      return `${name} ${instr.lane}`;
  }
}

/** A reference type with its type index named: `(ref null $point)`, `funcref`. */
export function refTypeText(names: ModuleNames, t: RefType): string {
  const p = refParts(t);
  if (p === null || typeof p.heap === 'string') return t;
  return `(ref ${p.nullable ? 'null ' : ''}${reference(names, 'types', p.heap)})`;
}

/** The heap type of a reference type: `func`, `$point`. */
function heapTypeText(names: ModuleNames, t: RefType): string {
  const p = refParts(t)!;
  return typeof p.heap === 'string' ? p.heap : reference(names, 'types', p.heap);
}
