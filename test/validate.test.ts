import * as assert from 'assert';
import { DecodeError, decodeModule, funcCode } from '../src/engine/decode';
import type { Module } from '../src/engine/types';
import { ValidationError, loadModule, validateModule } from '../src/engine/validate/index';
import { signatureOf } from '../src/engine/validate/signatures';
import {
  BOT, CONCRETE, DefKind, EXTERNREF, FUNCREF, HEAP_ANY, HEAP_EQ, HEAP_EXTERN, HEAP_FUNC, HEAP_I31, HEAP_NOEXTERN, HEAP_NOFUNC,
  HEAP_NONE, HEAP_STRUCT, I32, I64, TypeSpace, V128, matches, refOf, typeName,
} from '../src/engine/validate/valueTypes';

// Hand-made binaries: every byte is spelled out, so each test says exactly what the validator reads.

const encoder = new TextEncoder();

function u32(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

const str = (s: string) => [...u32(encoder.encode(s).length), ...encoder.encode(s)];
const vec = (items: number[][]) => [...u32(items.length), ...items.flat()];
const section = (id: number, content: number[]) => [id, ...u32(content.length), ...content];

const i32 = 0x7f;
const i64 = 0x7e;
const funcref = 0x70;
const externref = 0x6f;
const v128 = 0x7b;

const type = (params: number[], results: number[]) => [0x60, ...vec(params.map((t) => [t])), ...vec(results.map((t) => [t]))];
const body = (locals: [number, number][], code: number[]) => {
  const content = [...vec(locals.map(([n, t]) => [...u32(n), t])), ...code, 0x0b];
  return [...u32(content.length), ...content];
};

interface Parts {
  types?: number[][];
  imports?: number[][];
  funcs?: number[];
  tables?: number[][];
  memories?: number[][];
  globals?: number[][];
  exports?: number[][];
  start?: number;
  elems?: number[][];
  dataCount?: number;
  codes?: number[][];
  datas?: number[][];
  names?: [number, string][];
}

/** A module binary from its sections' entries, in the binary format's order. */
function wasm(p: Parts): Uint8Array {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  if (p.types) out.push(...section(1, vec(p.types)));
  if (p.imports) out.push(...section(2, vec(p.imports)));
  if (p.funcs) out.push(...section(3, vec(p.funcs.map((t) => u32(t)))));
  if (p.tables) out.push(...section(4, vec(p.tables)));
  if (p.memories) out.push(...section(5, vec(p.memories)));
  if (p.globals) out.push(...section(6, vec(p.globals)));
  if (p.exports) out.push(...section(7, vec(p.exports)));
  if (p.start !== undefined) out.push(...section(8, u32(p.start)));
  if (p.elems) out.push(...section(9, vec(p.elems)));
  if (p.dataCount !== undefined) out.push(...section(12, u32(p.dataCount)));
  if (p.codes) out.push(...section(10, vec(p.codes)));
  if (p.datas) out.push(...section(11, vec(p.datas)));
  if (p.names) {
    const functions = vec(p.names.map(([i, n]) => [...u32(i), ...str(n)]));
    out.push(...section(0, [...str('name'), 1, ...u32(functions.length), ...functions]));
  }
  return new Uint8Array(out);
}

/** One function of type `t` with `code` as its body (the final end added). */
function oneFunc(t: number[], code: number[], extra: Parts = {}): Uint8Array {
  return wasm({ types: [t], funcs: [0], codes: [body([], code)], ...extra });
}

function invalid(bytes: Uint8Array): { error: ValidationError; module: Module } {
  const module = decodeModule(bytes);
  try {
    validateModule(module);
  } catch (e) {
    if (e instanceof ValidationError) return { error: e, module };
    throw e;
  }
  assert.fail('the module validated');
}

/** The byte offset of instruction `index` of function body `code` (from the decoder, independent of the validator). */
const at = (m: Module, code: number, index: number) => funcCode(m, code).body[index].offset;

function expectInvalid(bytes: Uint8Array, reason: string, offset: (m: Module) => number | null): void {
  const { error, module } = invalid(bytes);
  assert.strictEqual(error.reason, reason);
  assert.strictEqual(error.offset, offset(module));
}

const valid = (bytes: Uint8Array) => validateModule(decodeModule(bytes));

const memory1 = [0x00, 0x01];
const nop = [0x01];
const i32Const = (n: number) => [0x41, n];

describe('validate: function bodies', () => {
  it('type mismatch at an instruction: what it expects and what the stack has', () => {
    // (func (result i32) i64.const 1 i32.const 2 i32.add)
    expectInvalid(
      oneFunc(type([], [i32]), [0x42, 0x01, ...i32Const(2), 0x6a]),
      'type mismatch: i32.add expects [i32 i32] but the stack has [i64 i32] (in function 0)',
      (m) => at(m, 0, 2),
    );
  });

  it('type mismatch at the end of the function, pointing at its end', () => {
    expectInvalid(oneFunc(type([], [i32]), [0x42, 0x01]), 'type mismatch: the end of the function expects [i32] but the stack has [i64] (in function 0)', (m) => at(m, 0, 1));
    expectInvalid(oneFunc(type([], []), i32Const(1)), 'type mismatch: the end of the function expects [] but the stack has [i32] (in function 0)', (m) => at(m, 0, 1));
    expectInvalid(oneFunc(type([], [i32]), []), 'type mismatch: the end of the function expects [i32] but the stack has [] (in function 0)', (m) => at(m, 0, 0));
  });

  it('names the function from the name section', () => {
    expectInvalid(
      wasm({ types: [type([], [])], funcs: [0, 0], codes: [body([], []), body([], [0x1a])], names: [[1, 'main']] }),
      'type mismatch: drop expects an operand but the stack is empty (in function 1 ($main))',
      (m) => at(m, 1, 0),
    );
  });

  it('unknown local, global, function, type, table, memory, label, data and elem segment', () => {
    expectInvalid(oneFunc(type([i32], []), [0x20, 0x03, 0x1a]), 'unknown local 3 (in function 0)', (m) => at(m, 0, 0));
    expectInvalid(oneFunc(type([], []), [0x23, 0x00, 0x1a]), 'unknown global 0 (in function 0)', (m) => at(m, 0, 0));
    expectInvalid(oneFunc(type([], []), [0x10, 0x07]), 'unknown function 7 (in function 0)', (m) => at(m, 0, 0));
    expectInvalid(oneFunc(type([], []), [0x02, 0x05, 0x0b]), 'unknown type 5 (in function 0)', (m) => at(m, 0, 0));
    expectInvalid(oneFunc(type([], []), [...i32Const(0), 0x11, 0x00, 0x00]), 'unknown table 0 (in function 0)', (m) => at(m, 0, 1));
    expectInvalid(oneFunc(type([], []), [...i32Const(0), 0x28, 0x02, 0x00, 0x1a]), 'unknown memory 0 (in function 0)', (m) => at(m, 0, 1));
    expectInvalid(oneFunc(type([], []), [0x02, 0x40, 0x0c, 0x02, 0x0b]), 'unknown label 2 (in function 0)', (m) => at(m, 0, 1));
    expectInvalid(oneFunc(type([], []), [0xfc, 0x09, 0x01], { dataCount: 1, datas: [[0x01, 0x00]] }), 'unknown data segment 1 (in function 0)', (m) => at(m, 0, 0));
    expectInvalid(oneFunc(type([], []), [0xfc, 0x0d, 0x04]), 'unknown elem segment 4 (in function 0)', (m) => at(m, 0, 0));
  });

  it('alignment must not be larger than natural, also for the largest exponent', () => {
    expectInvalid(
      oneFunc(type([], []), [...i32Const(0), 0x28, 0x03, 0x00, 0x1a], { memories: [memory1] }),
      'alignment must not be larger than natural (i32.load accesses 4 bytes, the alignment is 8) (in function 0)',
      (m) => at(m, 0, 1),
    );
    expectInvalid(
      oneFunc(type([], []), [...i32Const(0), 0x28, 0x1f, 0x00, 0x1a], { memories: [memory1] }),
      'alignment must not be larger than natural (i32.load accesses 4 bytes, the alignment is 2147483648) (in function 0)',
      (m) => at(m, 0, 1),
    );
    valid(oneFunc(type([], []), [...i32Const(0), 0x31, 0x00, 0x00, 0x1a], { memories: [memory1] })); // i64.load16_s align=1
  });

  it('global is immutable', () => {
    expectInvalid(
      oneFunc(type([], []), [...i32Const(1), 0x24, 0x00], { globals: [[i32, 0x00, ...i32Const(0), 0x0b]] }),
      'immutable global: global.set of global 0 (in function 0)',
      (m) => at(m, 0, 1),
    );
  });

  it('undeclared function reference; a reference named in an export is declared', () => {
    const code = [0xd2, 0x00, 0x1a];
    expectInvalid(
      oneFunc(type([], []), code),
      'undeclared function reference 0: only functions named outside function bodies (elements, exports, globals) can be referenced (in function 0)',
      (m) => at(m, 0, 0),
    );
    valid(oneFunc(type([], []), code, { exports: [[...str('f'), 0x00, 0x00]] }));
  });

  it('invalid lane index, for lane instructions and shuffles', () => {
    // v128.const 0, i8x16.extract_lane_s 16
    const zero = [0xfd, 0x0c, ...new Array(16).fill(0)];
    expectInvalid(oneFunc(type([], []), [...zero, 0xfd, 0x15, 16, 0x1a]), 'invalid lane index 16: i8x16.extract_lane_s has 16 lanes (in function 0)', (m) => at(m, 0, 1));
    const lanes = new Array(16).fill(0);
    lanes[5] = 32;
    expectInvalid(oneFunc(type([], []), [...zero, ...zero, 0xfd, 0x0d, ...lanes, 0x1a]), 'invalid lane index 32: i8x16.shuffle has 32 lanes (in function 0)', (m) => at(m, 0, 2));
    valid(oneFunc(type([], [v128]), [...zero, 0x42, 0x07, 0xfd, 0x1e, 0x01])); // i64x2.replace_lane 1
  });

  it('select: untyped needs numeric operands of one type; typed names exactly one type', () => {
    const refs = [0xd0, funcref, 0xd0, funcref, ...i32Const(1)];
    expectInvalid(oneFunc(type([], []), [...refs, 0x1b, 0x1a]), 'type mismatch: select without a type needs numeric or vector operands, got funcref (in function 0)', (m) => at(m, 0, 3));
    expectInvalid(oneFunc(type([], []), [...i32Const(1), 0x42, 0x01, ...i32Const(1), 0x1b, 0x1a]), "type mismatch: select's operands differ, i32 and i64 (in function 0)", (m) => at(m, 0, 3));
    expectInvalid(oneFunc(type([], []), [...i32Const(1), ...i32Const(1), ...i32Const(1), 0x1c, 0x02, i32, i32, 0x1a]), 'invalid result arity: select has 2 result types, it must have 1 (in function 0)', (m) => at(m, 0, 3));
    valid(oneFunc(type([], [funcref]), [...refs, 0x1c, 0x01, funcref]));
  });

  it('br_table: every label takes as many values as the default', () => {
    // (block (result i32) (block (i32.const 1) (i32.const 0) (br_table 0 1)))
    expectInvalid(
      oneFunc(type([], [i32]), [0x02, i32, 0x02, 0x40, ...i32Const(1), ...i32Const(0), 0x0e, 0x01, 0x00, 0x01, 0x0b, ...i32Const(0), 0x0b]),
      "type mismatch: br_table's label 0 takes [], its default label [i32] (in function 0)",
      (m) => at(m, 0, 4),
    );
    valid(oneFunc(type([], [i32]), [0x02, i32, ...i32Const(1), ...i32Const(0), 0x0e, 0x01, 0x00, 0x00, 0x0b]));
  });

  it('tail calls: the callee must return what the caller returns', () => {
    expectInvalid(
      wasm({ types: [type([], [i32]), type([], [i64])], funcs: [0, 1], codes: [body([], [0x12, 0x01]), body([], [0x42, 0x00])] }),
      'type mismatch: return_call calls a function returning [i64] from one returning [i32] (in function 0)',
      (m) => at(m, 0, 0),
    );
    valid(wasm({ types: [type([i32], [i32])], funcs: [0], codes: [body([], [0x20, 0x00, 0x12, 0x00])] }));
  });

  it('multi-value blocks take their parameters from the stack and leave their results', () => {
    // (type 1 (func (param i32 i64) (result i64 i32))): i32.const 1 i64.const 2 block (type 1) drop drop i64.const 3 i32.const 4 end
    const t = [type([], [i64, i32]), type([i32, i64], [i64, i32])];
    valid(wasm({ types: t, funcs: [0], codes: [body([], [...i32Const(1), 0x42, 0x02, 0x02, 0x01, 0x1a, 0x1a, 0x42, 0x03, ...i32Const(4), 0x0b])] }));
    expectInvalid(
      wasm({ types: t, funcs: [0], codes: [body([], [...i32Const(1), 0x02, 0x01, 0x0b, 0x1a])] }),
      'type mismatch: block expects [i32 i64] but the stack has [i32] (in function 0)',
      (m) => at(m, 0, 1),
    );
  });

  it('unreachable code pops the unknown type, which matches anything but not a wrong known type', () => {
    valid(oneFunc(type([], [i32]), [0x00, 0x6a]));
    valid(oneFunc(type([], []), [0x00, 0x1b, 0x1a]));
    expectInvalid(oneFunc(type([], [i32]), [0x00, 0x42, 0x00, 0x6a]), 'type mismatch: i32.add expects [i32 i32] but the stack has [i64] (and unknown below) (in function 0)', (m) => at(m, 0, 2));
  });

  it('if without else must pass its parameters through as its results', () => {
    expectInvalid(oneFunc(type([], [i32]), [...i32Const(1), 0x04, i32, ...i32Const(2), 0x0b]), 'type mismatch: the end of the if expects [i32] but the stack has [] (in function 0)', (m) => at(m, 0, 3));
  });

  it('keeps one problem per function and goes on with the next functions', () => {
    const { error, module } = invalid(wasm({ types: [type([], [])], funcs: [0, 0], codes: [body([], [0x1a, 0x1a]), body([], [0x20, 0x00])] }));
    assert.strictEqual(error.message, [
      `invalid module at byte 0x${at(module, 0, 0).toString(16)}: type mismatch: drop expects an operand but the stack is empty (in function 0)`,
      `at byte 0x${at(module, 1, 0).toString(16)}: unknown local 0 (in function 1)`,
    ].join('\n'));
    assert.deepStrictEqual(error.others, [{ offset: at(module, 1, 0), reason: 'unknown local 0 (in function 1)' }]);
  });
});

describe('validate: module level', () => {
  const exportEntry = (name: string, kind: number, index: number) => [...str(name), kind, ...u32(index)];

  it('duplicate export name, pointing at the second export', () => {
    const bytes = oneFunc(type([], []), [], { exports: [exportEntry('a', 0, 0), exportEntry('a', 0, 0)] });
    // The export section starts after the header (8), type (6) and function (4) sections: id, size, count, then entries of 4 bytes.
    expectInvalid(bytes, 'duplicate export name "a"', () => 8 + 6 + 4 + 3 + 4);
  });

  it('constant expression required, and what a constant expression may read', () => {
    const g = (t: number, expr: number[], mutable = 0) => [t, mutable, ...expr, 0x0b];
    expectInvalid(wasm({ globals: [g(i32, [...i32Const(0), 0x68])] }), 'constant expression required: i32.ctz is not allowed in a constant expression (in global 0)', () => 8 + 3 + 4);
    expectInvalid(wasm({ globals: [g(i32, nop)] }), 'constant expression required: nop is not allowed in a constant expression (in global 0)', () => 8 + 3 + 2);
    const imported = [...str('m'), ...str('g'), 0x03, i32, 0x01];
    expectInvalid(wasm({ imports: [imported], globals: [g(i32, [0x23, 0x00])] }), 'constant expression required: global 0 is mutable (in global 1)', () => 8 + 10 + 3 + 2);
    // WebAssembly 3.0: a global's initialiser reads the immutable globals before it, not those after.
    valid(wasm({ globals: [g(i32, i32Const(0)), g(i32, [0x23, 0x00])] }));
    expectInvalid(wasm({ globals: [g(i32, [0x23, 0x01]), g(i32, i32Const(0))] }), 'unknown global 1 (in global 0, a constant expression can only read the globals before it)', () => 8 + 3 + 2);
    expectInvalid(wasm({ globals: [g(i32, [0x42, 0x00])] }), 'type mismatch: global 0 must be i32, its constant expression gives [i64]', () => 8 + 3 + 2);
    // Extended constants: i32.add of two constants is constant.
    valid(wasm({ globals: [g(i32, [...i32Const(1), ...i32Const(2), 0x6a])] }));
  });

  it('memories: any number (3.0), at most 65536 pages, minimum not above maximum', () => {
    validateModule(decodeModule(wasm({ memories: [memory1, memory1, memory1] })));
    expectInvalid(wasm({ memories: [[0x00, ...u32(65537)]] }), 'memory size must be at most 65536 pages (4GiB), got 65537', () => 8 + 3);
    expectInvalid(wasm({ memories: [[0x01, 0x02, 0x01]] }), 'size minimum must not be greater than maximum (2 > 1)', () => 8 + 3);
  });

  it('start function: it exists and takes and returns nothing', () => {
    const bytes = wasm({ types: [type([i32], [])], funcs: [0], start: 0, codes: [body([], [])] });
    expectInvalid(bytes, 'start function must have type [] -> [], function 0 has [i32] -> []', () => 8 + 7 + 4 + 2);
  });

  it('element segments: the table exists and holds their type', () => {
    // active segment of externref items (flags 6) into funcref table 0
    const elem = [0x06, 0x00, ...i32Const(0), 0x0b, externref, ...vec([[0xd0, externref, 0x0b]])];
    expectInvalid(wasm({ tables: [[funcref, 0x00, 0x01]], elems: [elem] }), 'type mismatch: elem segment 0 holds externref, table 0 funcref', (m) => m.elems[0].offset![0].offset);
  });

  it('data segments need a memory', () => {
    expectInvalid(wasm({ datas: [[0x00, ...i32Const(0), 0x0b, 0x00]] }), 'unknown memory 0: data segment 0 is for memory 0', (m) => m.datas[0].offset![0].offset);
  });
});

describe('validate: malformed bodies are reported as the decoder reports them', () => {
  // The validator reads each body's bytes itself (bodies will be decoded lazily), so swapping a
  // valid module's bytes for a corrupted copy must give the decoder's error, at the same byte.
  // The body: locals count, block, i32.const 1, drop, end, nop, end.
  const good = oneFunc(type([], []), [0x02, 0x40, ...i32Const(1), 0x1a, 0x0b, 0x01], { memories: [memory1] });
  const corruptions: [string, (b: Uint8Array, start: number) => void][] = [
    ['an opcode no instruction has', (b, s) => (b[s + 5] = 0xff)],
    ['an else outside an if', (b, s) => (b[s + 3] = 0x05)],
    ['an i32 constant too long', (b, s) => b.fill(0xff, s + 4, s + 9)],
    ['a body that ends before its end', (b, s) => (b[s + 8] = 0x01)],
  ];
  for (const [what, corrupt] of corruptions) {
    it(what, () => {
      const module = decodeModule(good);
      const start = module.codes[0].offset + 1; // the body after its size field: locals count, then code
      const bytes = good.slice();
      corrupt(bytes, start);
      let expected: DecodeError | undefined;
      try {
        funcCode(decodeModule(bytes), 0); // the decoder reads a body when it is first needed
      } catch (e) {
        expected = e as DecodeError;
      }
      assert.ok(expected instanceof DecodeError, 'the corruption makes the binary malformed');
      assert.throws(() => validateModule({ ...module, bytes }), (e: unknown) => {
        assert.ok(e instanceof DecodeError);
        assert.strictEqual(e.message, expected!.message);
        return true;
      });
    });
  }

  it('memory.init and data.drop need a data count section', () => {
    const module = decodeModule(oneFunc(type([], []), [0xfc, 0x09, 0x00], { dataCount: 1, datas: [[0x01, 0x00]] }));
    assert.throws(() => validateModule({ ...module, dataCount: null }), {
      name: 'DecodeError',
      message: `malformed module at byte 0x${at(module, 0, 0).toString(16)}: data count section required (data.drop needs a data count section)`,
    });
  });

  it('loadModule validates and marks the module; a view into a larger buffer works', async () => {
    const bytes = oneFunc(type([], [i32]), i32Const(42));
    const big = new Uint8Array(bytes.length + 64).fill(0xee);
    big.set(bytes, 32);
    const m = await loadModule(big.subarray(32, 32 + bytes.length));
    assert.strictEqual(funcCode(m, 0).body[0].value, 42);
  });
});

describe('validate: the 3.0 type system', () => {
  // Type 0 a function type, 1 a struct type with supertype 2 (a struct type), 3 an array type.
  const kinds = [DefKind.Func, DefKind.Struct, DefKind.Struct, DefKind.Array];
  const types: TypeSpace = { kindOf: (i) => kinds[i], superOf: (i) => (i === 1 ? 2 : -1), same: (a, b) => a === b };
  const ref = (heap: number, nullable = true) => refOf(heap, nullable);
  const yes = (a: number, e: number) => assert.ok(matches(a, e, types), `${typeName(a)} <: ${typeName(e)}`);
  const no = (a: number, e: number) => assert.ok(!matches(a, e, types), `not ${typeName(a)} <: ${typeName(e)}`);

  it('numeric types match only themselves; the unknown type matches everything', () => {
    yes(I32, I32);
    no(I32, I64);
    no(I32, FUNCREF);
    for (const t of [I32, V128, FUNCREF, ref(CONCRETE + 1, false)]) yes(BOT, t);
  });

  it('nullability: a non-null reference matches a nullable one, not the other way', () => {
    yes(ref(HEAP_FUNC, false), FUNCREF);
    no(FUNCREF, ref(HEAP_FUNC, false));
  });

  it('heap types: the hierarchies of any, func and extern with their bottoms and concrete types', () => {
    yes(ref(HEAP_I31), ref(HEAP_EQ));
    yes(ref(HEAP_EQ), ref(HEAP_ANY));
    yes(ref(HEAP_NONE), ref(CONCRETE + 3));
    yes(ref(CONCRETE + 1), ref(HEAP_STRUCT));
    yes(ref(CONCRETE + 1), ref(CONCRETE + 2));
    no(ref(CONCRETE + 2), ref(CONCRETE + 1));
    no(ref(CONCRETE + 3), ref(HEAP_STRUCT));
    yes(ref(CONCRETE + 0), FUNCREF);
    yes(ref(HEAP_NOFUNC), ref(CONCRETE + 0));
    no(ref(CONCRETE + 0), ref(HEAP_ANY));
    yes(ref(HEAP_NOEXTERN), EXTERNREF);
    no(ref(HEAP_NOEXTERN), FUNCREF);
    no(EXTERNREF, ref(HEAP_ANY));
    assert.strictEqual(typeName(ref(HEAP_EXTERN, false)), '(ref extern)');
    assert.strictEqual(typeName(ref(CONCRETE + 3)), '(ref null 3)');
  });

  it('relaxed SIMD instructions are typed from their names, whatever number the opcode table gives them', () => {
    const sig = (name: string) => {
      const s = signatureOf({ op: 0xfd100, name, imm: 'none' })!;
      return `${[...s.params].map(typeName).join(' ')} -> ${[...s.results].map(typeName).join(' ')}`;
    };
    assert.strictEqual(sig('i8x16.relaxed_swizzle'), 'v128 v128 -> v128');
    assert.strictEqual(sig('i32x4.relaxed_trunc_f32x4_s'), 'v128 -> v128');
    assert.strictEqual(sig('i32x4.relaxed_trunc_f64x2_u_zero'), 'v128 -> v128');
    assert.strictEqual(sig('f32x4.relaxed_madd'), 'v128 v128 v128 -> v128');
    assert.strictEqual(sig('f64x2.relaxed_nmadd'), 'v128 v128 v128 -> v128');
    assert.strictEqual(sig('i16x8.relaxed_laneselect'), 'v128 v128 v128 -> v128');
    assert.strictEqual(sig('f32x4.relaxed_min'), 'v128 v128 -> v128');
    assert.strictEqual(sig('i16x8.relaxed_q15mulr_s'), 'v128 v128 -> v128');
    assert.strictEqual(sig('i16x8.relaxed_dot_i8x16_i7x16_s'), 'v128 v128 -> v128');
    assert.strictEqual(sig('i32x4.relaxed_dot_i8x16_i7x16_add_s'), 'v128 v128 v128 -> v128');
    assert.strictEqual(sig('i32.wrap_i64'), 'i64 -> i32');
    assert.strictEqual(sig('i64x2.shr_u'), 'v128 i32 -> v128');
    assert.strictEqual(sig('f64x2.extract_lane'), 'v128 -> f64');
  });
});
