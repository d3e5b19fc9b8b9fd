// What the assembler knows of each instruction name: its opcode bytes and how its immediates are
// written in the text. The 2.0 and SIMD instructions come from the engine's opcode table; the
// instructions of WebAssembly 3.0 that the engine does not decode yet (GC, typed function
// references, exceptions) are listed here.

import { opcodeByName, ImmKind, PREFIX_SIMD, RELAXED_SIMD } from '../../engine/opcodes';
import { lebU } from './leb';

/** How an instruction's immediates are written in the text (see parseInstr.ts). */
export type TextImm =
  | Exclude<ImmKind, 'memory'>
  | 'memory' // an optional memory index (memory.size/grow/fill)
  | 'type' // a type index
  | 'type_field' // a struct type and one of its fields
  | 'type_type' // two type indices (array.copy)
  | 'type_n' // a type index and a count (array.new_fixed)
  | 'type_data'
  | 'type_elem'
  | 'ref_type' // ref.test / ref.cast: a reference type, whose nullability picks the opcode
  | 'br_on_cast' // a label and two reference types
  | 'tag'
  | 'try_table'
  | 'try'
  | 'catch' // legacy catch: a tag
  | 'throw_ref';

export interface TextInstrInfo {
  /** The opcode bytes: one byte, or a prefix and its LEB128 sub-opcode. */
  opcode: number[];
  imm: TextImm;
}

const extra = new Map<string, TextInstrInfo>();

function def(name: string, opcode: number[], imm: TextImm = 'none'): void {
  extra.set(name, { opcode, imm });
}

// Typed function references and reference equality.
def('call_ref', [0x14], 'type');
def('return_call_ref', [0x15], 'type');
def('ref.eq', [0xd3]);
def('ref.as_non_null', [0xd4]);
def('br_on_null', [0xd5], 'label');
def('br_on_non_null', [0xd6], 'label');

// Exceptions, and the legacy exception instructions.
def('try_table', [0x1f], 'try_table');
def('throw', [0x08], 'tag');
def('throw_ref', [0x0a]);
def('try', [0x06], 'try');
def('catch', [0x07], 'catch');
def('catch_all', [0x19]);
def('delegate', [0x18], 'label');
def('rethrow', [0x09], 'label');

// GC (prefix 0xFB).
const GC: [string, TextImm][] = [
  ['struct.new', 'type'],
  ['struct.new_default', 'type'],
  ['struct.get', 'type_field'],
  ['struct.get_s', 'type_field'],
  ['struct.get_u', 'type_field'],
  ['struct.set', 'type_field'],
  ['array.new', 'type'],
  ['array.new_default', 'type'],
  ['array.new_fixed', 'type_n'],
  ['array.new_data', 'type_data'],
  ['array.new_elem', 'type_elem'],
  ['array.get', 'type'],
  ['array.get_s', 'type'],
  ['array.get_u', 'type'],
  ['array.set', 'type'],
  ['array.len', 'none'],
  ['array.fill', 'type'],
  ['array.copy', 'type_type'],
  ['array.init_data', 'type_data'],
  ['array.init_elem', 'type_elem'],
  ['ref.test', 'ref_type'],
  ['-', 'none'], // 21: ref.test with a nullable type
  ['ref.cast', 'ref_type'],
  ['-', 'none'], // 23: ref.cast with a nullable type
  ['br_on_cast', 'br_on_cast'],
  ['br_on_cast_fail', 'br_on_cast'],
  ['any.convert_extern', 'none'],
  ['extern.convert_any', 'none'],
  ['ref.i31', 'none'],
  ['i31.get_s', 'none'],
  ['i31.get_u', 'none'],
];
GC.forEach(([name, imm], sub) => {
  if (name !== '-') def(name, [0xfb, sub], imm);
});

/** The opcode bytes of an engine opcode number. */
function opcodeBytes(op: number): number[] {
  if (op < 0x100) return [op];
  if (op >= RELAXED_SIMD && op <= RELAXED_SIMD + 0xff) return [PREFIX_SIMD, ...lebU(0x100 + (op - RELAXED_SIMD))];
  return [op >> 8, ...lebU(op & 0xff)];
}


/** The instruction named `name` in the text, or undefined when no instruction has that name. */
export function textInstruction(name: string): TextInstrInfo | undefined {
  const own = extra.get(name);
  if (own) return own;
  const info = opcodeByName(name);
  if (!info) return undefined;
  return { opcode: opcodeBytes(info.op), imm: info.imm };
}

/** Every instruction name the assembler reads (for readers that only need to tell names apart). */
export function textInstructionNames(engineNames: ReadonlySet<string>): ReadonlySet<string> {
  return new Set([...engineNames, ...extra.keys()]);
}
