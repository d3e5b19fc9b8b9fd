import * as assert from 'assert';
import fc from 'fast-check';
import { f32FromBits, f64ToBits, f64FromBits } from '../src/engine/types';
import { AssembleError, assembleWat } from '../src/text/assemble';
import { LiteralError, parseF32, parseF64, parseI32, parseI64 } from '../src/text/literals';
import { ExternRef, parseScript } from '../src/text/wast';
import { ValidationError, invoke } from '../src/engine/index';
import { TextValidationError, loadTextModule } from '../src/text/loadText';
import type { Position } from '../src/text/sexpr';
import { runScriptText, ScriptRunner, type ScriptReport } from '../src/program/script';

const hex32 = (n: number) => '0x' + n.toString(16).padStart(8, '0');

describe('numeric literals', () => {
  it('reads i32 in signed, unsigned, hex and underscore forms', () => {
    assert.strictEqual(parseI32('0xffffffff'), -1);
    assert.strictEqual(parseI32('4294967295'), -1);
    assert.strictEqual(parseI32('-0x80000000'), -2147483648);
    assert.strictEqual(parseI32('+0x7fff_ffff'), 2147483647);
    assert.strictEqual(parseI32('1_000_000'), 1000000);
    assert.strictEqual(parseI32('-0'), 0);
  });

  it('rejects out-of-range and malformed integers', () => {
    assert.throws(() => parseI32('4294967296'), /constant out of range: 4294967296 does not fit in i32/);
    assert.throws(() => parseI32('-2147483649'), /constant out of range/);
    assert.throws(() => parseI32('1__0'), /malformed integer literal "1__0"/);
    assert.throws(() => parseI32('_1'), LiteralError);
    assert.throws(() => parseI32('0x'), LiteralError);
    assert.throws(() => parseI64('0x1_0000_0000_0000_0000'), /does not fit in i64/);
  });

  it('reads i64 across the whole range', () => {
    assert.strictEqual(parseI64('0xffffffffffffffff'), -1n);
    assert.strictEqual(parseI64('-9223372036854775808'), -(2n ** 63n));
    assert.strictEqual(parseI64('18446744073709551615'), -1n);
    assert.strictEqual(parseI64('0x7fff_ffff_ffff_ffff'), 2n ** 63n - 1n);
  });

  it('reads special float values with sign and NaN payloads', () => {
    assert.strictEqual(hex32(parseF32('inf')), '0x7f800000');
    assert.strictEqual(hex32(parseF32('-inf')), '0xff800000');
    assert.strictEqual(hex32(parseF32('nan')), '0x7fc00000');
    assert.strictEqual(hex32(parseF32('-nan')), '0xffc00000');
    assert.strictEqual(hex32(parseF32('nan:0x200000')), '0x7fa00000');
    assert.strictEqual(hex32(parseF32('-nan:0x7f_ffff')), '0xffffffff');
    assert.strictEqual(parseF64('nan:0x1'), 0x7ff0000000000001n);
    assert.strictEqual(hex32(parseF32('-0x0p+0')), '0x80000000');
    assert.strictEqual(parseF64('-0.0'), 0x8000000000000000n);
    assert.throws(() => parseF32('nan:0x0'), /NaN payload of nan:0x0 must be 1\.\.0x7fffff/);
    assert.throws(() => parseF32('nan:0x800000'), /constant out of range/);
  });

  it('reads hex floats exactly, including subnormals and the largest finite values', () => {
    assert.strictEqual(hex32(parseF32('0x1.fffffep+127')), '0x7f7fffff');
    assert.strictEqual(hex32(parseF32('0x1p-149')), '0x00000001');
    assert.strictEqual(hex32(parseF32('0x1p-126')), '0x00800000');
    assert.strictEqual(hex32(parseF32('0x.8p1')), '0x3f800000');
    assert.strictEqual(parseF64('0x1.fffffffffffffp+1023'), 0x7fefffffffffffffn);
    assert.strictEqual(parseF64('0x1p-1074'), 1n);
    // Halfway between 1 and the next f32: ties to even (down); just above halfway rounds up.
    assert.strictEqual(hex32(parseF32('0x1.000001p0')), '0x3f800000');
    assert.strictEqual(hex32(parseF32('0x1.00000100000000001p0')), '0x3f800001');
    assert.strictEqual(hex32(parseF32('0x1.000003p0')), '0x3f800002');
    assert.throws(() => parseF32('0x1.ffffffp+127'), /constant out of range: 0x1.ffffffp\+127/);
    assert.throws(() => parseF64('0x1.fffffffffffff8p+1023'), /constant out of range/);
  });

  it('rounds decimal f32 literals once, not through f64', () => {
    // Just below the midpoint between 1+2^-23 and 1+2^-22: f64 would round it onto the midpoint,
    // and a second rounding to f32 would then go to the even neighbour 1+2^-22.
    const text = '1.000000178813934326171874';
    assert.strictEqual(hex32(parseF32(text)), '0x3f800001');
    assert.notStrictEqual(Math.fround(Number(text)), f32FromBits(0x3f800001));
    assert.strictEqual(hex32(parseF32('340282356779733623858607532500980858880')), '0x7f7fffff');
    assert.throws(() => parseF32('340282356779733661637539395458142568448'), /constant out of range/);
    assert.strictEqual(hex32(parseF32('1e-45')), '0x00000001');
    assert.strictEqual(hex32(parseF32('7e-46')), '0x00000000');
    assert.strictEqual(hex32(parseF32('7.1e-46')), '0x00000001');
    assert.strictEqual(hex32(parseF32('1e-100000')), '0x00000000');
    assert.throws(() => parseF32('1e100000'), /constant out of range/);
  });

  it('reads decimal f64 literals correctly rounded', () => {
    assert.strictEqual(parseF64('0.1'), 0x3fb999999999999an);
    assert.strictEqual(parseF64('1_000.000_1'), f64ToBits(1000.0001));
    assert.strictEqual(parseF64('4.9406564584124654e-324'), 1n);
    assert.strictEqual(parseF64('2.4703282292062328e-324'), 1n);
    assert.strictEqual(parseF64('2.4703282292062327e-324'), 0n);
    assert.strictEqual(parseF64('1.7976931348623157e308'), 0x7fefffffffffffffn);
    assert.throws(() => parseF64('1.7976931348623159e308'), /constant out of range/);
  });

  it('agrees with JavaScript on every finite double printed in decimal and in hex', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 0x7fefffffffffffffn }), (bits) => {
        const x = f64FromBits(bits);
        assert.strictEqual(parseF64(String(x)), bits);
        const fraction = (bits & 0xfffffffffffffn).toString(16).padStart(13, '0');
        const exponent = Number(bits >> 52n);
        const hex = exponent === 0 ? `0x0.${fraction}p-1022` : `0x1.${fraction}p${exponent - 1023}`;
        assert.strictEqual(parseF64(hex), bits);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads every finite f32 printed as its exact double value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7f7fffff }), (bits) => {
        assert.strictEqual(parseF32(String(f32FromBits(bits))), bits);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('.wast script reader', () => {
  const script = [
    '(module $M (func (export "f") (param i32) (result i32) (local.get 0)))',
    '(register "m" $M)',
    '  (assert_return (invoke $M "f" (i32.const 0xffffffff)) (i32.const -1))',
    '(assert_return (invoke "g" (f32.const -nan:0x1) (ref.extern 7) (ref.null func))',
    '   (f32.const nan:canonical) (f64.const nan:arithmetic) (ref.null extern) (ref.func) (ref.extern 3))',
    '(assert_trap (invoke "h") "unreachable")',
    '(assert_trap (module (start 0) (func unreachable)) "unreachable")',
    '(assert_malformed (module quote "(func" " (nop))") "unexpected token")',
    '(module binary "\\00asm" "\\01\\00\\00\\00")',
    '(assert_exhaustion (invoke "loop") "call stack exhausted")',
    '(get "g")',
  ].join('\n');

  it('reads each command with its position', () => {
    const { commands } = parseScript(script, 'x.wast');
    assert.deepStrictEqual(
      commands.map((c) => `${c.kind}@${c.start.line}:${c.start.column}`),
      [
        'module@1:1',
        'register@2:1',
        'assert_return@3:3',
        'assert_return@4:1',
        'assert_trap@6:1',
        'assert_trap_module@7:1',
        'assert_malformed@8:1',
        'module@9:1',
        'assert_exhaustion@10:1',
        'action@11:1',
      ],
    );
  });

  it('keeps a text module as its exact source slice', () => {
    const [first] = parseScript(script, 'x.wast').commands;
    assert.ok(first.kind === 'module');
    assert.strictEqual(first.module.id, '$M');
    assert.deepStrictEqual(first.module.source, {
      kind: 'text',
      text: '(module $M (func (export "f") (param i32) (result i32) (local.get 0)))',
      start: { offset: 0, line: 1, column: 1 },
    });
  });

  it('reads arguments and result patterns', () => {
    const commands = parseScript(script, 'x.wast').commands;
    const c3 = commands[2];
    assert.ok(c3.kind === 'assert_return' && c3.action.kind === 'invoke');
    assert.strictEqual(c3.action.module, '$M');
    assert.deepStrictEqual(c3.action.args, [{ type: 'i32', value: -1 }]);
    assert.deepStrictEqual(c3.expected, [{ kind: 'value', value: { type: 'i32', value: -1 } }]);
    const c4 = commands[3];
    assert.ok(c4.kind === 'assert_return' && c4.action.kind === 'invoke');
    assert.deepStrictEqual(c4.action.args, [
      { type: 'f32', bits: 0xff800001 },
      { type: 'externref', value: ExternRef.of(7) },
      { type: 'funcref', value: null },
    ]);
    assert.deepStrictEqual(c4.expected, [
      { kind: 'nan', type: 'f32', nan: 'canonical' },
      { kind: 'nan', type: 'f64', nan: 'arithmetic' },
      { kind: 'ref.null', type: 'externref' },
      { kind: 'ref.func' },
      { kind: 'ref.extern', id: 3 },
    ]);
  });

  it('concatenates quote and binary strings', () => {
    const commands = parseScript(script, 'x.wast').commands;
    const malformed = commands[6];
    assert.ok(malformed.kind === 'assert_malformed');
    assert.deepStrictEqual(malformed.module.source, { kind: 'quote', text: '(func (nop))' });
    assert.strictEqual(malformed.message, 'unexpected token');
    const binary = commands[7];
    assert.ok(binary.kind === 'module' && binary.module.source.kind === 'binary');
    assert.deepStrictEqual([...binary.module.source.bytes], [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  });

  it('reads v128 constants lane by lane', () => {
    const { commands } = parseScript('(assert_return (invoke "v" (v128.const i16x8 -1 2 3 4 5 6 7 0xffff)) (v128.const f32x4 nan:canonical 1 -0 nan:0x1))', 'v.wast');
    const c = commands[0];
    assert.ok(c.kind === 'assert_return' && c.action.kind === 'invoke');
    assert.deepStrictEqual(c.action.args, [{ type: 'v128', bytes: Uint8Array.from([255, 255, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 255, 255]) }]);
    assert.deepStrictEqual(c.expected, [
      {
        kind: 'v128',
        shape: 'f32x4',
        lanes: [
          { kind: 'nan', nan: 'canonical' },
          { kind: 'bits', bits: 0x3f800000n },
          { kind: 'bits', bits: 0x80000000n },
          { kind: 'bits', bits: 0x7f800001n },
        ],
      },
    ]);
  });

  it('keeps a leading byte order mark in names', () => {
    const [c] = parseScript('(invoke "\u{feff}" (i32.const 1))', 'bom.wast').commands;
    assert.ok(c.kind === 'action');
    assert.strictEqual(c.action.name, '\ufeff');
  });

  it('treats a file of bare module fields as one module', () => {
    const { commands } = parseScript('\n(func) (memory 0) (func (export "f"))\n', 'inline.wast');
    assert.strictEqual(commands.length, 1);
    const [m] = commands;
    assert.ok(m.kind === 'module' && m.module.source.kind === 'text');
    assert.strictEqual(m.module.source.text, '(func) (memory 0) (func (export "f"))');
    assert.deepStrictEqual([m.start.line, m.start.column], [2, 1]);
  });

  it('names file:line:column of script errors', () => {
    assert.throws(() => parseScript('(module)\n  (assert_retrun (invoke "f"))', 's.wast'), {
      message: 's.wast:2:3: unknown script command "assert_retrun"',
    });
    assert.throws(() => parseScript('(invoke "f" (i32.const 4294967296))', 's.wast'), {
      message: 's.wast:1:24: constant out of range: 4294967296 does not fit in i32',
    });
    assert.throws(() => parseScript('(assert_return (invoke "f") (i32.add))', 's.wast'), {
      message: 's.wast:1:29: expected a constant such as (i32.const 1), got (i32.add)',
    });
    assert.throws(() => parseScript('(assert_trap (invoke "f"))', 's.wast'), {
      message: 's.wast:1:26: expected a string',
    });
    assert.throws(() => parseScript('(module\n  (func)', 's.wast'), { message: "s.wast:1:1: unclosed '('" });
    assert.throws(() => parseScript('(invoke "f" (f64.const 1.5x))', 's.wast'), {
      message: 's.wast:1:24: malformed float literal "1.5x"',
    });
  });
});

describe('assembling text', () => {
  it('keeps function and local names in the binary', async () => {
    const bytes = await assembleWat('(module (func $add (param $a i32)))', 'n.wat');
    const text = Buffer.from(bytes).toString('latin1');
    assert.ok(text.includes('name') && text.includes('add') && text.includes('\x01a'), 'name section with $add and $a');
  });

  it('assembles non-ASCII text', async () => {
    const bytes = await assembleWat('(module (func (export "Heiße Würstchen")))', 'u.wat');
    assert.ok(Buffer.from(bytes).includes(Buffer.from('Heiße Würstchen', 'utf8')));
  });

  it('points errors at the original file', async () => {
    await assert.rejects(assembleWat('(module\n  (func (foo)))', 'a.wat'), {
      name: 'AssembleError',
      message: 'a.wat:2:10: unknown operator foo',
    });
  });

  it('points errors of a module inside a script at the script position', async () => {
    // The module starts at line 5, column 3 of the script.
    const err = await assembleWat('(module (func br $nope))', 's.wast', { base: { line: 5, column: 3 } }).catch((e) => e);
    assert.ok(err instanceof AssembleError);
    assert.deepStrictEqual(err.first, { file: 's.wast', line: 5, column: 20, reason: 'unknown label $nope' });
    const err2 = await assembleWat('(module\n\t(func (export "ö") (foo)))', 's.wast', { base: { line: 5, column: 3 } }).catch((e) => e);
    assert.ok(err2 instanceof AssembleError);
    assert.strictEqual(err2.message.split('\n')[0], 's.wast:6:22: unknown operator foo');
  });
});

describe('loading text modules', () => {
  const reject = (text: string, file = 'bad.wat', origin?: Position) => loadTextModule(text, file, origin).then(
    () => assert.fail('the module loaded'),
    (e: unknown) => e as Error,
  );

  it('points a type error at the instruction, in plain and folded form', async () => {
    const plain = await reject('(module\n  (func (result i32)\n    i64.const 1\n    i32.const 2\n    i32.add))');
    assert.ok(plain instanceof ValidationError);
    assert.ok(plain instanceof TextValidationError);
    assert.strictEqual(plain.message, 'bad.wat:5:5: type mismatch: i32.add expects [i32 i32] but the stack has [i64 i32] (in function 0)');
    assert.deepStrictEqual([plain.line, plain.column, plain.offset], [5, 5, 0x1c]);
    const folded = await reject('(module\n  (func (result i32)\n    (i32.add (i64.const 1) (i32.const 2))))');
    assert.strictEqual(folded.message, 'bad.wat:3:6: type mismatch: i32.add expects [i32 i32] but the stack has [i64 i32] (in function 0)');
  });

  it('points every error of a module at its instruction, the first on the first line', async () => {
    const err = await reject('(module\n  (func (result i32)\n    (i32.add (i64.const 1) (i32.const 2)))\n  (func\n    (drop (f32.neg (i32.const 3)))))');
    assert.ok(err instanceof TextValidationError);
    assert.strictEqual(err.message, [
      'bad.wat:3:6: type mismatch: i32.add expects [i32 i32] but the stack has [i64 i32] (in function 0)',
      'bad.wat:5:12: type mismatch: f32.neg expects [f32] but the stack has [i32] (in function 1)',
    ].join('\n'));
    assert.deepStrictEqual([err.line, err.column], [3, 6]);
  });

  it('points errors other than type mismatches at their instruction', async () => {
    assert.strictEqual((await reject('(module\n  (func\n    local.get 3\n    drop))')).message, 'bad.wat:3:5: unknown local 3 (in function 0)');
    assert.strictEqual((await reject('(module\n  (func\n    i32.const 0\n    i32.load\n    drop))')).message, 'bad.wat:4:5: unknown memory 0 (in function 0)');
  });

  it('points a wrong function result at the closing parenthesis of the function, where its end is', async () => {
    const err = await reject('(module\n  (func nop)\n  (func (result i32)\n    (i64.const 1)\n  ))');
    assert.strictEqual(err.message, 'bad.wat:5:3: type mismatch: the end of the function expects [i32] but the stack has [i64] (in function 1)');
    const empty = await reject('(module (func (result i32)))');
    assert.strictEqual(empty.message, 'bad.wat:1:27: type mismatch: the end of the function expects [i32] but the stack has [] (in function 0)');
  });

  it('gives positions of the file for a module that starts inside it', async () => {
    const err = await reject('(module (func (drop (i32.add (i32.const 1) (f32.const 2)))))', 's.wast', { offset: 120, line: 7, column: 3 });
    assert.strictEqual(err.message, 's.wast:7:24: type mismatch: i32.add expects [i32 i32] but the stack has [i32 f32] (in function 0)');
  });

  it('keeps the byte offset when the problem is outside every function', async () => {
    const err = await reject('(module\n  (func (export "a"))\n  (func (export "a")))');
    assert.ok(err instanceof ValidationError && !(err instanceof TextValidationError));
    assert.strictEqual(err.message, 'invalid module at byte 0x1a: duplicate export name "a"');
  });

  it('leaves syntax errors to the assembler', async () => {
    const err = await reject('(module\n  (func (foo)))');
    assert.ok(err instanceof AssembleError);
    assert.strictEqual(err.message, 'bad.wat:2:10: unknown operator foo');
  });
});

describe('script runner', () => {
  const run = (text: string, options = {}) => runScriptText(text, 'r.wast', options);
  const failures = (r: ScriptReport) => r.failures.map((f) => `${f.line}:${f.column}: ${f.message}`);

  it('compares floats by bits and NaNs by class', async () => {
    const r = await run(
      [
        '(module',
        '  (func (export "id32") (param f32) (result f32) (local.get 0))',
        '  (func (export "id64") (param f64) (result f64) (local.get 0)))',
        '(assert_return (invoke "id32" (f32.const -0)) (f32.const -0))',
        '(assert_return (invoke "id32" (f32.const -0)) (f32.const 0))',
        '(assert_return (invoke "id32" (f32.const nan)) (f32.const nan:canonical))',
        '(assert_return (invoke "id32" (f32.const -nan:0x400001)) (f32.const nan:arithmetic))',
        '(assert_return (invoke "id32" (f32.const nan:0x1)) (f32.const nan:arithmetic))',
        '(assert_return (invoke "id64" (f64.const nan:0x8000000000001)) (f64.const nan:canonical))',
        '(assert_return (invoke "id64" (f64.const 0x1p-1074)) (f64.const 4.9406564584124654e-324))',
      ].join('\n'),
    );
    assert.deepStrictEqual(failures(r), [
      '5:1: expected (f32.const 0), got (f32.const -0)',
      '8:1: expected (f32.const nan:arithmetic), got (f32.const nan:0x1)',
      '9:1: expected (f64.const nan:canonical), got (f64.const nan:0x8000000000001)',
    ]);
    assert.deepStrictEqual([r.passed, r.failed, r.skipped], [5, 3, 0]);
  });

  it('checks branch hints: a hint on another instruction than if or br_if is an invalid custom section', async () => {
    const module = (hinted: string) => `(module (func (param i32) (block (local.get 0) (@metadata.code.branch_hint "\\01") ${hinted})))`;
    const r = await run(
      [
        `(assert_invalid_custom ${module('(br_if 0)')} "@metadata.code.branch_hint annotation: invalid target")`,
        `(assert_invalid_custom ${module('(drop)')} "@metadata.code.branch_hint annotation: invalid target")`,
        `(assert_invalid_custom ${module('(drop)')} "@metadata.code.branch_hint annotation: duplicate annotation")`,
      ].join('\n'),
    );
    assert.deepStrictEqual(failures(r), [
      '1:1: expected an invalid custom section ("@metadata.code.branch_hint annotation: invalid target"), but its custom sections were found sound',
      '3:1: expected an invalid custom section ("@metadata.code.branch_hint annotation: duplicate annotation"), got: metadata.code.branch_hint section at byte 0x32: invalid target: function 0 has no if or br_if at body offset 5',
    ]);
  });

  it('matches reference results and passes extern references through', async () => {
    const r = await run(
      [
        '(module',
        '  (func $f (export "f"))',
        '  (func (export "ext") (param externref) (result externref) (local.get 0))',
        '  (func (export "func") (result funcref) (ref.func $f))',
        '  (func (export "null") (result funcref) (ref.null func)))',
        '(assert_return (invoke "ext" (ref.extern 7)) (ref.extern 7))',
        '(assert_return (invoke "ext" (ref.extern 7)) (ref.extern 8))',
        '(assert_return (invoke "ext" (ref.null extern)) (ref.null extern))',
        '(assert_return (invoke "func") (ref.func))',
        '(assert_return (invoke "null") (ref.func))',
        '(assert_return (invoke "null") (ref.null func))',
      ].join('\n'),
    );
    assert.deepStrictEqual(failures(r), ['7:1: expected (ref.extern 8), got (ref.extern 7)', '10:1: expected (ref.func), got (ref.null func)']);
  });

  it('links registered modules and spectest, and reports unlinkable and trapping modules', async () => {
    const printed: string[] = [];
    const r = await run(
      [
        '(module $A (func (export "seven") (result i32) (i32.const 7)) (memory (export "mem") 1))',
        '(register "a" $A)',
        '(module $B',
        '  (import "a" "seven" (func $seven (result i32)))',
        '  (import "spectest" "print_i32" (func $print (param i32)))',
        '  (import "spectest" "global_i32" (global $g i32))',
        '  (func (export "run") (result i32) (call $print (call $seven)) (i32.add (call $seven) (global.get $g))))',
        '(assert_return (invoke $B "run") (i32.const 673))',
        '(assert_unlinkable (module (import "a" "eight" (func))) "unknown import")',
        '(assert_unlinkable (module (import "a" "mem" (func))) "incompatible import type")',
        '(assert_unlinkable (module (func (export "x"))) "unknown import")',
        '(assert_trap (module (func $s unreachable) (start $s)) "unreachable")',
        '(assert_uninstantiable (module (func $s (drop (i32.div_u (i32.const 1) (i32.const 0)))) (start $s)) "integer divide by zero")',
        '(assert_trap (module (func $s) (start $s)) "unreachable")',
        '(get $A "mem")',
      ].join('\n'),
      { output: { stdout: (t: string) => printed.push(t), stderr: () => {} } },
    );
    assert.deepStrictEqual(printed, ['7 : i32\n']);
    assert.deepStrictEqual(failures(r), [
      '11:1: expected a link error "unknown import", but the module instantiated',
      '14:1: expected trap "unreachable", but the module instantiated',
      '15:1: export "mem" of module A is a memory, not a global',
    ]);
  });

  it('checks traps by message prefix and stack exhaustion', async () => {
    const r = await run(
      [
        '(module',
        '  (func $loop (export "loop") (call $loop))',
        '  (func (export "div") (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0))))',
        '(assert_exhaustion (invoke "loop") "call stack exhausted")',
        '(assert_trap (invoke "div" (i32.const 0)) "integer divide")',
        '(assert_trap (invoke "div" (i32.const 0)) "integer overflow")',
        '(assert_trap (invoke "div" (i32.const 1)) "integer divide by zero")',
        '(assert_return (invoke "div" (i32.const 0)) (i32.const 0))',
      ].join('\n'),
    );
    assert.deepStrictEqual(failures(r), [
      '6:1: expected trap "integer overflow", got trap "integer divide by zero"',
      '7:1: expected trap "integer divide by zero", got (i32.const 1)',
      '8:1: expected (i32.const 0), got trap "integer divide by zero"',
    ]);
  });

  it('accepts rejected modules for assert_invalid and assert_malformed, and fails accepted ones', async () => {
    const r = await run(
      [
        '(assert_invalid (module (func (result i32))) "type mismatch")',
        '(assert_invalid (module (func (result i32) (i32.const 0))) "type mismatch")',
        '(assert_malformed (module quote "(func (result i32) (i32.const 0x))") "unknown operator")',
        '(assert_malformed (module binary "\\00asm" "\\02\\00\\00\\00") "unknown binary version")',
        '(assert_malformed (module binary "\\00asm" "\\01\\00\\00\\00") "unknown binary version")',
      ].join('\n'),
    );
    assert.deepStrictEqual(failures(r), [
      '2:1: expected an invalid module ("type mismatch"), but it was accepted',
      '5:1: expected a malformed module ("unknown binary version"), but it was accepted',
    ]);
  });

  it('checks an invalid module\'s reason against the expected text, as a prefix', async () => {
    const r = await run(
      [
        '(assert_invalid (module (func (local.get 2) (drop))) "unknown local")',
        '(assert_invalid (module (func (local.get 2) (drop))) "unknown local 2")',
        '(assert_invalid (module (func (result i32) (i64.const 1))) "unknown local")',
        '(assert_invalid (module quote "(func (drop (i32.add (i32.const 0))))") "type mismatch")',
        '(assert_invalid (module (func (select (result) (nop) (nop) (i32.const 1)))) "invalid result arity")',
      ].join('\n'),
    );
    assert.deepStrictEqual(failures(r), [
      '3:1: expected an invalid module ("unknown local"), got: r.wast:3:57: type mismatch: the end of the function expects [i32] but the stack has [i64] (in function 0)',
    ]);
  });

  it('names script and module problems with their positions', async () => {
    const r = await run(
      [
        '(module (func (export "f") (param i32)))',
        '(invoke "f")',
        '(invoke "g")',
        '(invoke $Nope "f")',
        '(module',
        '  (func (i32.const)))',
        '(invoke "f" (i32.const 1))',
        '  (module quote "(func" "\\n (i32.const))")',
      ].join('\n'),
    );
    assert.deepStrictEqual(failures(r), [
      '2:1: "f" takes (i32), the script passes ()',
      '3:1: module r.wast:1 has no export "g"',
      '4:1: unknown module $Nope',
      "6:19: unexpected token ')', expected a number",
      '7:1: the module at line 5 failed to load',
      "8:3: in the quoted text at 2:12: unexpected token ')', expected a number",
    ]);
  });

  it('points validation errors of text modules at the offending instruction, not at a byte offset', async () => {
    const r = await run(
      [
        '(module',
        '  (func (export "f") (param i32) (result i32)',
        '    (local.get 0)',
        '    (i64.const 1)',
        '    (i32.add)))',
        '(assert_return (invoke "f" (i32.const 1)) (i32.const 2))',
        '(module (func (result i32) (i64.const 1)))',
        '(module quote "(func" "\\n  (drop (i32.add (i32.const 1) (f32.const 2))))")',
        '(module (global i32 (i64.const 0)))',
      ].join('\n'),
    );
    assert.deepStrictEqual(failures(r), [
      '5:6: type mismatch: i32.add expects [i32 i32] but the stack has [i32 i64] (in function 0)',
      '6:1: the module at line 1 failed to load',
      '7:41: type mismatch: the end of the function expects [i32] but the stack has [i64] (in function 0)',
      '8:1: in the quoted text at 2:10: type mismatch: i32.add expects [i32 i32] but the stack has [i32 f32] (in function 0)',
      // Outside any function there is no instruction to point at: the module and the byte offset.
      '9:1: invalid module at byte 0xd: type mismatch: global 0 must be i32, its constant expression gives [i64]',
    ]);
  });

  it('runs SIMD modules, passing v128 arguments and matching v128 results lane by lane', async () => {
    const r = await run(
      [
        '(module',
        '  (func (export "add") (param v128 v128) (result v128) (f32x4.add (local.get 0) (local.get 1)))',
        '  (func (export "id") (param v128) (result v128) (local.get 0)))',
        '(assert_return (invoke "add" (v128.const f32x4 nan 1 -inf 0x1p-149) (v128.const f32x4 1 2 inf 0x1p-149))',
        '  (v128.const f32x4 nan:canonical 3.0 nan:arithmetic 0x1p-148))',
        '(assert_return (invoke "add" (v128.const f32x4 1 1 1 1) (v128.const f32x4 1 1 1 1)) (v128.const i32x4 0x40000000 0x40000000 0x40000000 0x40000000))',
        '(assert_return (invoke "id" (v128.const i16x8 -1 2 -3 4 -5 6 -7 8)) (v128.const i16x8 65535 2 65533 4 65531 6 65529 8))',
        ';; failures: a lane that differs, a number where a NaN is due, and a NaN class that does not hold',
        '(assert_return (invoke "id" (v128.const i32x4 1 2 3 4)) (v128.const i32x4 1 2 3 5))',
        '(assert_return (invoke "id" (v128.const f64x2 1 nan)) (v128.const f64x2 nan:arithmetic nan:canonical))',
        '(assert_return (invoke "id" (v128.const i32x4 0 0x7fa00000 0 0)) (v128.const f32x4 0 nan:arithmetic 0 0))',
      ].join('\n'),
    );
    assert.deepStrictEqual([r.passed, r.failed, r.skipped], [4, 3, 0]);
    assert.deepStrictEqual(failures(r), [
      '9:1: expected (v128.const i32x4 0x1 0x2 0x3 0x5), got (v128.const i32x4 0x00000001 0x00000002 0x00000003 0x00000004)',
      '10:1: expected (v128.const f64x2 nan:arithmetic nan:canonical), got (v128.const i32x4 0x00000000 0x3ff00000 0x00000000 0x7ff80000)',
      '11:1: expected (v128.const f32x4 0x0 nan:arithmetic 0x0 0x0), got (v128.const i32x4 0x00000000 0x7fa00000 0x00000000 0x00000000)',
    ]);
  });

  it('accepts any one of the results of an (either ...) pattern, and says which were expected', async () => {
    const r = await run(
      [
        '(module (func (export "sel") (param v128 v128 v128) (result v128)',
        '  (i32x4.relaxed_laneselect (local.get 0) (local.get 1) (local.get 2))))',
        '(assert_return (invoke "sel" (v128.const i32x4 1 2 3 4) (v128.const i32x4 5 6 7 8) (v128.const i32x4 -1 0 0xffff 0x80000000))',
        '  (either (v128.const i32x4 1 6 3 8) (v128.const i32x4 1 6 0x70003 4)))',
        '(assert_return (invoke "sel" (v128.const i32x4 1 2 3 4) (v128.const i32x4 5 6 7 8) (v128.const i32x4 -1 0 0 0))',
        '  (either (v128.const i32x4 1 6 7 9) (v128.const i32x4 0 0 0 0)))',
      ].join('\n'),
    );
    assert.deepStrictEqual(failures(r), [
      '5:1: expected (either (v128.const i32x4 0x1 0x6 0x7 0x9) (v128.const i32x4 0x0 0x0 0x0 0x0)), got (v128.const i32x4 0x00000001 0x00000006 0x00000007 0x00000008)',
    ]);
    assert.strictEqual(r.passed, 2);
    const empty = await run('(module (func (export "f") (result i32) (i32.const 1)))\n(assert_return (invoke "f") (either))');
    assert.deepStrictEqual(failures(empty), ['2:29: (either ...) needs at least one result pattern']);
  });

  it('lets a caller run an invocation itself and judge the outcome', async () => {
    const script = parseScript('(module (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))\n(assert_return (invoke "inc" (i32.const 41)) (i32.const 42))', 'd.wast');
    const runner = new ScriptRunner(script);
    assert.deepStrictEqual(await runner.run(script.commands[0]), { status: 'passed' });
    const assertion = script.commands[1];
    assert.ok(assertion.kind === 'assert_return' && assertion.action.kind === 'invoke');
    const { func, args } = runner.actionCall(assertion.action);
    assert.strictEqual(runner.loaded[0].instance.name, 'd.wast:1');
    assert.deepStrictEqual(runner.judge(assertion, { kind: 'returned', values: invoke(runner.store, func, args) }), { status: 'passed' });
    assert.deepStrictEqual(runner.judge(assertion, { kind: 'returned', values: [{ type: 'i32', value: 41 }] }), {
      status: 'failed',
      message: 'expected (i32.const 42), got (i32.const 41)',
    });
  });
});
