// Every instruction the decoder knows: its opcode number (as in types.ts `Instr.op`), its text-format
// name and the kind of immediate that follows it in the binary. One table, shared by the decoder, the
// disassembler and the source map's check that text and binary agree.

/** The immediate operands an instruction carries in the binary format. */
export type ImmKind =
  | 'none'
  | 'block' // block type
  | 'label' // branch depth -> index
  | 'br_table' // vector of depths + default -> labels
  | 'func' // function index -> index
  | 'call_indirect' // type index -> index, table index -> index2
  | 'local'
  | 'global'
  | 'table' // table index -> index
  | 'memarg' // alignment exponent and offset -> memarg
  | 'memory' // reserved zero byte (memory.size/grow/fill) -> index = 0
  | 'i32'
  | 'i64'
  | 'f32'
  | 'f64'
  | 'select_t' // vector of value types -> types
  | 'ref_null' // heap type -> refType
  | 'memory_init' // data segment -> index, zero byte (memory) -> index2
  | 'data' // data segment -> index
  | 'memory_copy' // two zero bytes -> index (destination), index2 (source)
  | 'table_init' // element segment -> index, table -> index2
  | 'elem' // element segment -> index
  | 'table_copy' // destination table -> index, source table -> index2
  | 'v128' // 16 immediate bytes -> bytes
  | 'shuffle' // 16 lane indices -> bytes
  | 'lane' // lane index byte -> lane
  | 'memarg_lane' // memarg then lane index byte
  | 'tag' // tag index -> index
  | 'try_table' // block type -> blockType, vector of catch clauses -> catches
  | 'type' // type index -> index
  | 'type_type' // type index -> index, a second index (type, segment, or array.new_fixed's length) -> index2
  | 'type_field' // type index -> index, field index -> index2
  | 'ref_test' // heap type -> refType, non-null
  | 'ref_test_null' // heap type -> refType, nullable
  | 'br_on_cast'; // flags, label -> index, source heap type -> refType2, target heap type -> refType

export interface OpcodeInfo {
  op: number;
  name: string;
  imm: ImmKind;
}

export const PREFIX_MISC = 0xfc;
export const PREFIX_SIMD = 0xfd;
export const PREFIX_GC = 0xfb;

const table = new Map<number, OpcodeInfo>();
const byName = new Map<string, OpcodeInfo>();

function def(op: number, name: string, imm: ImmKind = 'none'): void {
  const info = { op, name, imm };
  table.set(op, info);
  byName.set(name, info);
}

/** Defines consecutive opcodes from `first`, all without immediates, from a space-separated name list. */
function run(first: number, names: string, imm: ImmKind = 'none'): void {
  names
    .trim()
    .split(/\s+/)
    .forEach((name, i) => {
      if (name !== '-') def(first + i, name, imm);
    });
}

// Control and parametric instructions.
def(0x00, 'unreachable');
def(0x01, 'nop');
def(0x02, 'block', 'block');
def(0x03, 'loop', 'block');
def(0x04, 'if', 'block');
def(0x05, 'else');
def(0x0b, 'end');
// Exceptions: throw, throw_ref and try_table, and the legacy try/catch/catch_all/delegate/rethrow.
def(0x06, 'try', 'block');
def(0x07, 'catch', 'tag');
def(0x08, 'throw', 'tag');
def(0x09, 'rethrow', 'label');
def(0x0a, 'throw_ref');
def(0x18, 'delegate', 'label');
def(0x19, 'catch_all');
def(0x1f, 'try_table', 'try_table');
def(0x0c, 'br', 'label');
def(0x0d, 'br_if', 'label');
def(0x0e, 'br_table', 'br_table');
def(0x0f, 'return');
def(0x10, 'call', 'func');
def(0x11, 'call_indirect', 'call_indirect');
def(0x12, 'return_call', 'func');
def(0x13, 'return_call_indirect', 'call_indirect');
def(0x1a, 'drop');
def(0x1b, 'select');
def(0x1c, 'select', 'select_t'); // typed select shares the text name
byName.set('select', table.get(0x1b)!);

// Variables and tables.
def(0x20, 'local.get', 'local');
def(0x21, 'local.set', 'local');
def(0x22, 'local.tee', 'local');
def(0x23, 'global.get', 'global');
def(0x24, 'global.set', 'global');
def(0x25, 'table.get', 'table');
def(0x26, 'table.set', 'table');

// Memory.
run(
  0x28,
  `i32.load i64.load f32.load f64.load i32.load8_s i32.load8_u i32.load16_s i32.load16_u
   i64.load8_s i64.load8_u i64.load16_s i64.load16_u i64.load32_s i64.load32_u
   i32.store i64.store f32.store f64.store i32.store8 i32.store16 i64.store8 i64.store16 i64.store32`,
  'memarg',
);
def(0x3f, 'memory.size', 'memory');
def(0x40, 'memory.grow', 'memory');

// Numeric.
def(0x41, 'i32.const', 'i32');
def(0x42, 'i64.const', 'i64');
def(0x43, 'f32.const', 'f32');
def(0x44, 'f64.const', 'f64');
run(
  0x45,
  `i32.eqz i32.eq i32.ne i32.lt_s i32.lt_u i32.gt_s i32.gt_u i32.le_s i32.le_u i32.ge_s i32.ge_u
   i64.eqz i64.eq i64.ne i64.lt_s i64.lt_u i64.gt_s i64.gt_u i64.le_s i64.le_u i64.ge_s i64.ge_u
   f32.eq f32.ne f32.lt f32.gt f32.le f32.ge
   f64.eq f64.ne f64.lt f64.gt f64.le f64.ge
   i32.clz i32.ctz i32.popcnt i32.add i32.sub i32.mul i32.div_s i32.div_u i32.rem_s i32.rem_u
   i32.and i32.or i32.xor i32.shl i32.shr_s i32.shr_u i32.rotl i32.rotr
   i64.clz i64.ctz i64.popcnt i64.add i64.sub i64.mul i64.div_s i64.div_u i64.rem_s i64.rem_u
   i64.and i64.or i64.xor i64.shl i64.shr_s i64.shr_u i64.rotl i64.rotr
   f32.abs f32.neg f32.ceil f32.floor f32.trunc f32.nearest f32.sqrt
   f32.add f32.sub f32.mul f32.div f32.min f32.max f32.copysign
   f64.abs f64.neg f64.ceil f64.floor f64.trunc f64.nearest f64.sqrt
   f64.add f64.sub f64.mul f64.div f64.min f64.max f64.copysign
   i32.wrap_i64 i32.trunc_f32_s i32.trunc_f32_u i32.trunc_f64_s i32.trunc_f64_u
   i64.extend_i32_s i64.extend_i32_u i64.trunc_f32_s i64.trunc_f32_u i64.trunc_f64_s i64.trunc_f64_u
   f32.convert_i32_s f32.convert_i32_u f32.convert_i64_s f32.convert_i64_u f32.demote_f64
   f64.convert_i32_s f64.convert_i32_u f64.convert_i64_s f64.convert_i64_u f64.promote_f32
   i32.reinterpret_f32 i64.reinterpret_f64 f32.reinterpret_i32 f64.reinterpret_i64
   i32.extend8_s i32.extend16_s i64.extend8_s i64.extend16_s i64.extend32_s`,
);

// Reference instructions.
def(0xd0, 'ref.null', 'ref_null');
def(0xd1, 'ref.is_null');
def(0xd2, 'ref.func', 'func');
def(0xd3, 'ref.eq');
def(0xd4, 'ref.as_non_null');
def(0xd5, 'br_on_null', 'label');
def(0xd6, 'br_on_non_null', 'label');
def(0x14, 'call_ref', 'type');
def(0x15, 'return_call_ref', 'type');

// 0xFB prefix: garbage-collected structs, arrays and i31, casts (WebAssembly 3.0).
export const GC = PREFIX_GC << 8;
def(GC | 0x00, 'struct.new', 'type');
def(GC | 0x01, 'struct.new_default', 'type');
run(GC | 0x02, 'struct.get struct.get_s struct.get_u struct.set', 'type_field');
def(GC | 0x06, 'array.new', 'type');
def(GC | 0x07, 'array.new_default', 'type');
run(GC | 0x08, 'array.new_fixed array.new_data array.new_elem', 'type_type');
run(GC | 0x0b, 'array.get array.get_s array.get_u array.set', 'type');
def(GC | 0x0f, 'array.len');
def(GC | 0x10, 'array.fill', 'type');
run(GC | 0x11, 'array.copy array.init_data array.init_elem', 'type_type');
def(GC | 0x14, 'ref.test', 'ref_test');
def(GC | 0x15, 'ref.test', 'ref_test_null');
def(GC | 0x16, 'ref.cast', 'ref_test');
def(GC | 0x17, 'ref.cast', 'ref_test_null');
byName.set('ref.test', table.get(GC | 0x14)!);
byName.set('ref.cast', table.get(GC | 0x16)!);
def(GC | 0x18, 'br_on_cast', 'br_on_cast');
def(GC | 0x19, 'br_on_cast_fail', 'br_on_cast');
run(GC | 0x1a, 'any.convert_extern extern.convert_any ref.i31 i31.get_s i31.get_u');

// 0xFC prefix: saturating truncation, bulk memory, table instructions.
const MISC = PREFIX_MISC << 8;
run(
  MISC,
  `i32.trunc_sat_f32_s i32.trunc_sat_f32_u i32.trunc_sat_f64_s i32.trunc_sat_f64_u
   i64.trunc_sat_f32_s i64.trunc_sat_f32_u i64.trunc_sat_f64_s i64.trunc_sat_f64_u`,
);
def(MISC | 0x08, 'memory.init', 'memory_init');
def(MISC | 0x09, 'data.drop', 'data');
def(MISC | 0x0a, 'memory.copy', 'memory_copy');
def(MISC | 0x0b, 'memory.fill', 'memory');
def(MISC | 0x0c, 'table.init', 'table_init');
def(MISC | 0x0d, 'elem.drop', 'elem');
def(MISC | 0x0e, 'table.copy', 'table_copy');
def(MISC | 0x0f, 'table.grow', 'table');
def(MISC | 0x10, 'table.size', 'table');
def(MISC | 0x11, 'table.fill', 'table');

// 0xFD prefix: fixed-width SIMD ("-" marks an unassigned sub-opcode).
const SIMD = PREFIX_SIMD << 8;
run(
  SIMD,
  `v128.load v128.load8x8_s v128.load8x8_u v128.load16x4_s v128.load16x4_u v128.load32x2_s v128.load32x2_u
   v128.load8_splat v128.load16_splat v128.load32_splat v128.load64_splat v128.store`,
  'memarg',
);
def(SIMD | 0x0c, 'v128.const', 'v128');
def(SIMD | 0x0d, 'i8x16.shuffle', 'shuffle');
run(SIMD | 0x0e, 'i8x16.swizzle i8x16.splat i16x8.splat i32x4.splat i64x2.splat f32x4.splat f64x2.splat');
run(
  SIMD | 0x15,
  `i8x16.extract_lane_s i8x16.extract_lane_u i8x16.replace_lane
   i16x8.extract_lane_s i16x8.extract_lane_u i16x8.replace_lane
   i32x4.extract_lane i32x4.replace_lane i64x2.extract_lane i64x2.replace_lane
   f32x4.extract_lane f32x4.replace_lane f64x2.extract_lane f64x2.replace_lane`,
  'lane',
);
run(
  SIMD | 0x23,
  `i8x16.eq i8x16.ne i8x16.lt_s i8x16.lt_u i8x16.gt_s i8x16.gt_u i8x16.le_s i8x16.le_u i8x16.ge_s i8x16.ge_u
   i16x8.eq i16x8.ne i16x8.lt_s i16x8.lt_u i16x8.gt_s i16x8.gt_u i16x8.le_s i16x8.le_u i16x8.ge_s i16x8.ge_u
   i32x4.eq i32x4.ne i32x4.lt_s i32x4.lt_u i32x4.gt_s i32x4.gt_u i32x4.le_s i32x4.le_u i32x4.ge_s i32x4.ge_u
   f32x4.eq f32x4.ne f32x4.lt f32x4.gt f32x4.le f32x4.ge
   f64x2.eq f64x2.ne f64x2.lt f64x2.gt f64x2.le f64x2.ge
   v128.not v128.and v128.andnot v128.or v128.xor v128.bitselect v128.any_true`,
);
run(
  SIMD | 0x54,
  `v128.load8_lane v128.load16_lane v128.load32_lane v128.load64_lane
   v128.store8_lane v128.store16_lane v128.store32_lane v128.store64_lane`,
  'memarg_lane',
);
run(SIMD | 0x5c, 'v128.load32_zero v128.load64_zero', 'memarg');
run(
  SIMD | 0x5e,
  `f32x4.demote_f64x2_zero f64x2.promote_low_f32x4
   i8x16.abs i8x16.neg i8x16.popcnt i8x16.all_true i8x16.bitmask i8x16.narrow_i16x8_s i8x16.narrow_i16x8_u
   f32x4.ceil f32x4.floor f32x4.trunc f32x4.nearest
   i8x16.shl i8x16.shr_s i8x16.shr_u i8x16.add i8x16.add_sat_s i8x16.add_sat_u
   i8x16.sub i8x16.sub_sat_s i8x16.sub_sat_u f64x2.ceil f64x2.floor
   i8x16.min_s i8x16.min_u i8x16.max_s i8x16.max_u f64x2.trunc i8x16.avgr_u
   i16x8.extadd_pairwise_i8x16_s i16x8.extadd_pairwise_i8x16_u
   i32x4.extadd_pairwise_i16x8_s i32x4.extadd_pairwise_i16x8_u
   i16x8.abs i16x8.neg i16x8.q15mulr_sat_s i16x8.all_true i16x8.bitmask i16x8.narrow_i32x4_s i16x8.narrow_i32x4_u
   i16x8.extend_low_i8x16_s i16x8.extend_high_i8x16_s i16x8.extend_low_i8x16_u i16x8.extend_high_i8x16_u
   i16x8.shl i16x8.shr_s i16x8.shr_u i16x8.add i16x8.add_sat_s i16x8.add_sat_u
   i16x8.sub i16x8.sub_sat_s i16x8.sub_sat_u f64x2.nearest
   i16x8.mul i16x8.min_s i16x8.min_u i16x8.max_s i16x8.max_u - i16x8.avgr_u
   i16x8.extmul_low_i8x16_s i16x8.extmul_high_i8x16_s i16x8.extmul_low_i8x16_u i16x8.extmul_high_i8x16_u
   i32x4.abs i32x4.neg - i32x4.all_true i32x4.bitmask - -
   i32x4.extend_low_i16x8_s i32x4.extend_high_i16x8_s i32x4.extend_low_i16x8_u i32x4.extend_high_i16x8_u
   i32x4.shl i32x4.shr_s i32x4.shr_u i32x4.add - - i32x4.sub - - -
   i32x4.mul i32x4.min_s i32x4.min_u i32x4.max_s i32x4.max_u i32x4.dot_i16x8_s -
   i32x4.extmul_low_i16x8_s i32x4.extmul_high_i16x8_s i32x4.extmul_low_i16x8_u i32x4.extmul_high_i16x8_u
   i64x2.abs i64x2.neg - i64x2.all_true i64x2.bitmask - -
   i64x2.extend_low_i32x4_s i64x2.extend_high_i32x4_s i64x2.extend_low_i32x4_u i64x2.extend_high_i32x4_u
   i64x2.shl i64x2.shr_s i64x2.shr_u i64x2.add - - i64x2.sub - - -
   i64x2.mul i64x2.eq i64x2.ne i64x2.lt_s i64x2.gt_s i64x2.le_s i64x2.ge_s
   i64x2.extmul_low_i32x4_s i64x2.extmul_high_i32x4_s i64x2.extmul_low_i32x4_u i64x2.extmul_high_i32x4_u
   f32x4.abs f32x4.neg - f32x4.sqrt f32x4.add f32x4.sub f32x4.mul f32x4.div
   f32x4.min f32x4.max f32x4.pmin f32x4.pmax
   f64x2.abs f64x2.neg - f64x2.sqrt f64x2.add f64x2.sub f64x2.mul f64x2.div
   f64x2.min f64x2.max f64x2.pmin f64x2.pmax
   i32x4.trunc_sat_f32x4_s i32x4.trunc_sat_f32x4_u f32x4.convert_i32x4_s f32x4.convert_i32x4_u
   i32x4.trunc_sat_f64x2_s_zero i32x4.trunc_sat_f64x2_u_zero f64x2.convert_low_i32x4_s f64x2.convert_low_i32x4_u`,
);

// Relaxed SIMD (WebAssembly 3.0): sub-opcodes 0x100..0x113, numbered RELAXED_SIMD + (sub - 0x100)
// since `(prefix << 8) | sub` only holds sub-opcodes below 0x100.
export const RELAXED_SIMD = 0x1fd00;
run(
  RELAXED_SIMD,
  `i8x16.relaxed_swizzle i32x4.relaxed_trunc_f32x4_s i32x4.relaxed_trunc_f32x4_u
   i32x4.relaxed_trunc_f64x2_s_zero i32x4.relaxed_trunc_f64x2_u_zero
   f32x4.relaxed_madd f32x4.relaxed_nmadd f64x2.relaxed_madd f64x2.relaxed_nmadd
   i8x16.relaxed_laneselect i16x8.relaxed_laneselect i32x4.relaxed_laneselect i64x2.relaxed_laneselect
   f32x4.relaxed_min f32x4.relaxed_max f64x2.relaxed_min f64x2.relaxed_max
   i16x8.relaxed_q15mulr_s i16x8.relaxed_dot_i8x16_i7x16_s i32x4.relaxed_dot_i8x16_i7x16_add_s`,
);

/** The opcode number of a prefixed instruction (`prefix` byte, LEB128 sub-opcode), or -1 when it has none. */
export function prefixedOpcode(prefix: number, sub: number): number {
  if (sub <= 0xff) return (prefix << 8) | sub;
  if (prefix === PREFIX_SIMD && sub <= 0x1ff) return RELAXED_SIMD + (sub - 0x100);
  return -1;
}

/** The SIMD sub-opcode (0x00..0x113) of an 0xFD-prefixed opcode number, or -1 for any other opcode. */
export function simdSubOpcode(op: number): number {
  if (op >= PREFIX_SIMD << 8 && op <= ((PREFIX_SIMD << 8) | 0xff)) return op & 0xff;
  if (op >= RELAXED_SIMD && op <= RELAXED_SIMD + 0xff) return 0x100 + (op - RELAXED_SIMD);
  return -1;
}

/** What the decoder needs to know about `op`, or undefined when no instruction has that number. */
export function opcodeInfo(op: number): OpcodeInfo | undefined {
  return table.get(op);
}

/** The text-format name of `op` (e.g. `i32.add`, `memory.init`); `<unknown 0x..>` for a number no instruction has. */
export function opcodeName(op: number): string {
  return table.get(op)?.name ?? `<unknown 0x${op.toString(16)}>`;
}

/** The opcode of a text-format instruction name, or undefined. `select` gives the untyped form. */
export function opcodeByName(name: string): OpcodeInfo | undefined {
  return byName.get(name);
}

const allNames: ReadonlySet<string> = new Set(byName.keys());

/** Every instruction name of the text format the engine decodes. */
export function instructionNames(): ReadonlySet<string> {
  return allNames;
}
