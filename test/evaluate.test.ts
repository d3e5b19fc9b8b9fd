import * as assert from 'assert';
import type { Value } from '../src/engine/types';
import { f32ToBits, f64ToBits } from '../src/engine/types';
import {
  EvalContext,
  emptyContext,
  EvalError,
  evaluate,
  evaluateExpression,
  evalTypeName,
  formatEvalValue,
  isTruthy,
  parseExpression,
  toValue,
} from '../src/debug/evaluate';
import { formatValue } from '../src/debug/values';
import { splitAssignment } from '../src/debug/assign';

/** A frame of `fib(n: i32)` with a local `$acc: i64`, an f32 and an f64 local, two globals and a memory. */
function context(): EvalContext & { mem: Uint8Array } {
  const locals: { name?: string; value: Value }[] = [
    { name: 'n', value: { type: 'i32', value: 10 } },
    { name: 'acc', value: { type: 'i64', value: 9007199254740993n } },
    { value: { type: 'f32', bits: 0x7fa00000 } }, // nan:0x200000
    { name: 'x', value: { type: 'f64', bits: f64ToBits(2.5) } },
    { name: 'neg', value: { type: 'i32', value: -1 } },
  ];
  const globals: { name?: string; value: Value }[] = [
    { name: 'sp', value: { type: 'i32', value: 16 } },
    { value: { type: 'f32', bits: f32ToBits(1.5) } },
  ];
  const mem = new Uint8Array(64);
  const view = new DataView(mem.buffer);
  view.setInt32(16, -2, true);
  view.setInt32(20, 123456, true);
  view.setBigInt64(24, -5n, true);
  view.setFloat64(32, 0.1, true);
  mem[40] = 0xff;
  return {
    mem,
    localByName: (name) => locals.find((l) => l.name === name)?.value,
    local: (i) => locals[i]?.value,
    localCount: () => locals.length,
    globalByName: (name) => globals.find((g) => g.name === name)?.value,
    global: (i) => globals[i]?.value,
    globalCount: () => globals.length,
    memory: () => mem,
  };
}

function show(text: string, options: { hex?: boolean } = {}): string {
  const v = evaluate(text, context());
  return `${formatEvalValue(v, options)}: ${evalTypeName(v)}`;
}

function failure(text: string): string {
  try {
    evaluate(text, context());
  } catch (e) {
    assert.ok(e instanceof EvalError, `expected an EvalError, got ${e}`);
    return e.message;
  }
  assert.fail(`${text} evaluated without error`);
}

describe('evaluate: the watch / condition expression language', () => {
  it('reads locals and params by $name and by index', () => {
    assert.strictEqual(show('$n'), '10: i32');
    assert.strictEqual(show('local0'), '10: i32');
    assert.strictEqual(show('n'), '10: i32'); // a hover sends the word without its '$'
    assert.strictEqual(show('$acc'), '9007199254740993: i64');
    assert.strictEqual(show('local2'), 'nan:0x200000: f32');
    assert.strictEqual(show('$x'), '2.5: f64');
  });

  it('reads globals by $name and by index', () => {
    assert.strictEqual(show('$sp'), '16: i32');
    assert.strictEqual(show('global0 + 1'), '17: i32');
    assert.strictEqual(show('global1'), '1.5: f32');
  });

  it('keeps i64 arithmetic exact', () => {
    assert.strictEqual(show('$acc + 2'), '9007199254740995: i64');
    assert.strictEqual(show('$acc * 1024'), '-9223372036854774784: i64');
    assert.strictEqual(show('i64(9223372036854775807) + 1'), '-9223372036854775808: i64');
    assert.strictEqual(show('-9223372036854775808'), '-9223372036854775808: int');
    assert.strictEqual(show('u64(-1)'), '18446744073709551615: u64');
  });

  it('wraps i32 arithmetic like the machine does, and mixes widths by widening', () => {
    assert.strictEqual(show('$n * 429496730'), '4: i32');
    assert.strictEqual(show('i32(2147483647) + 1'), '-2147483648: i32');
    assert.strictEqual(show('$n + $acc'), '9007199254741003: i64');
    assert.strictEqual(show('$neg', { hex: true }), '0xffffffff: i32');
    assert.strictEqual(show('u32($neg)'), '4294967295: u32');
    assert.strictEqual(show('u32($neg) / 2'), '2147483647: u32');
    assert.strictEqual(show('$neg / 2'), '0: i32');
    assert.strictEqual(show('$neg >> 28'), '-1: i32');
    assert.strictEqual(show('$neg >>> 28'), '15: i32');
    assert.strictEqual(show('1 << 33'), '8589934592: int');
    assert.strictEqual(show('i32(1) << 33'), '2: i32'); // shift counts are taken modulo the width
    assert.strictEqual(show('-7 % 3'), '-1: int');
    assert.strictEqual(show('~0'), '-1: int');
    assert.strictEqual(show('0xff & 0x0f | 0x100 ^ 1'), '271: int');
  });

  it('computes with floats in their own width', () => {
    assert.strictEqual(show('$x * 2'), '5: f64');
    assert.strictEqual(show('f32(0.1) + f32(0.2)'), '0.3: f32');
    assert.strictEqual(show('0.1 + 0.2'), '0.30000000000000004: float');
    assert.strictEqual(show('1 / 0.0'), 'inf: float');
    assert.strictEqual(show('-inf'), '-inf: float');
    assert.strictEqual(show('-local2'), '-nan:0x200000: f32');
    assert.strictEqual(show('nan:0x1 == nan:0x1'), 'false: bool');
    assert.strictEqual(show('f64(-0.0)'), '-0: f64');
    assert.strictEqual(show('i32(2.9)'), '2: i32');
    assert.strictEqual(show('1e3 + 1'), '1001: float');
    // Numbers are written as in the text format (and in launch arguments): hex floats included.
    assert.strictEqual(show('0x1p-3'), '0.125: float');
    assert.strictEqual(show('0x1.8p+1 * 2'), '6: float');
    assert.strictEqual(show('1.5e-3 * 1_000'), '1.5: float');
    assert.strictEqual(show('0x1e-3'), '27: int'); // e is a hex digit: 0x1e minus 3
    assert.strictEqual(show('0xffff_ffff_ffff_ffff + 0'), '18446744073709551615: int');
  });

  it('loads typed values from memory, little-endian, at computed addresses', () => {
    assert.strictEqual(show('i32[$sp]'), '-2: i32');
    assert.strictEqual(show('u32[16]'), '4294967294: u32');
    assert.strictEqual(show('i32[$sp + 4]'), '123456: i32');
    assert.strictEqual(show('i64[24]'), '-5: i64');
    assert.strictEqual(show('u64[24]', { hex: true }), '0xfffffffffffffffb: u64');
    assert.strictEqual(show('f64[32]'), '0.1: f64');
    assert.strictEqual(show('u8[40]'), '255: i32');
    assert.strictEqual(show('i8[40]'), '-1: i32');
    assert.strictEqual(show('u16[40]'), '255: i32');
    assert.strictEqual(show('i32[i32[$sp + 4] - 123440]'), '-2: i32');
  });

  it('compares, and combines with short-circuit && and ||', () => {
    assert.strictEqual(show('$n == 10'), 'true: bool');
    assert.strictEqual(show('$n > 10 || $acc > 0'), 'true: bool');
    assert.strictEqual(show('!($n >= 10)'), 'false: bool');
    assert.strictEqual(show('$n < 5 && i32[100000] == 0'), 'false: bool'); // right side not read
    assert.strictEqual(show('u32($neg) > 0'), 'true: bool');
    assert.strictEqual(show('$neg > 0'), 'false: bool');
    assert.strictEqual(show('($n + 2) * 3'), '36: i32');
    assert.strictEqual(show('$n + 2 * 3'), '16: i32');
    assert.ok(isTruthy(evaluate('$n', context())));
    assert.ok(!isTruthy(evaluate('$n - 10', context())));
  });

  it('reports syntax errors with the column', () => {
    assert.strictEqual(failure('$n +'), 'expected a value, found end of expression at column 5');
    assert.strictEqual(failure('($n + 1'), "expected ')' to close '(' at column 1, found end of expression at column 8");
    assert.strictEqual(failure('i32[$sp'), "expected ']' to close the address of i32[...] opened at column 1, found end of expression at column 8");
    assert.strictEqual(failure('$n $acc'), "unexpected '$acc' after the expression at column 4");
    assert.strictEqual(failure('$n # 2'), "unexpected character '#' at column 4");
    assert.strictEqual(failure('12ab'), 'malformed integer literal "12ab" at column 1');
    assert.strictEqual(failure('$n + 1..2'), 'malformed float literal "1..2" at column 6');
    assert.strictEqual(failure('1__0'), 'malformed integer literal "1__0" at column 1');
    assert.strictEqual(failure('0x1_0000_0000_0000_0000'), 'constant out of range: 0x1_0000_0000_0000_0000 does not fit in i64 at column 1');
    assert.strictEqual(failure(''), 'empty expression at column 1');
    assert.strictEqual(failure('$'), "expected a name after '$' at column 1");
    assert.strictEqual(failure('i32 + 1'), "expected '[' or '(' after 'i32' (a memory load i32[address] or a conversion i32(value)) at column 5");
  });

  it('reports what cannot be computed with the column', () => {
    assert.strictEqual(failure('$n + $nope'), 'no local, parameter or global named $nope at column 6');
    assert.strictEqual(failure('local9'), 'no local9: this frame has local0..local4 at column 1');
    assert.strictEqual(failure('global2'), 'no global2: this instance has global0..global1 at column 1');
    assert.strictEqual(failure('1 + i32[62]'), 'out of bounds memory access: i32[62] reads 4 bytes but the memory is 64 bytes at column 5');
    assert.strictEqual(failure('i32[-1]'), 'out of bounds memory access: i32[-1] reads 4 bytes but the memory is 64 bytes at column 1');
    assert.strictEqual(failure('$n / 0'), 'division by zero at column 4');
    assert.strictEqual(failure('$x & 1'), "'&' needs integer operands, not f64 and int at column 4");
    assert.strictEqual(failure('i32[$x]'), 'the address of i32[...] must be an integer, not f64 at column 1');
    assert.strictEqual(failure('i32(inf)'), 'cannot convert inf to i32 at column 1');
  });

  it('says when the instance has no memory', () => {
    const ctx = { ...context(), memory: () => null };
    assert.throws(() => evaluate('u8[0]', ctx), { message: 'u8[...] needs a memory, and this instance has none at column 1' });
  });

  it('never throws anything but EvalError on arbitrary input', () => {
    const samples = ['((', '))', '[]', '$n[1]', 'i32[[1]]', '1..2', 'nan:', 'nan:0x0', '$"unterminated', '!!!', '-', '0x', '1e', '>>>>', '$n ? 1 : 2'];
    for (const text of samples) {
      try {
        evaluate(text, context());
      } catch (e) {
        assert.ok(e instanceof EvalError, `${text}: ${e}`);
      }
    }
  });

  it('parses once and evaluates against changing frames', () => {
    const expr = parseExpression('$n * 2');
    const frame = (n: number): EvalContext => ({ ...context(), localByName: (name) => (name === 'n' ? { type: 'i32', value: n } : undefined) });
    assert.strictEqual(formatEvalValue(evaluateExpression(expr, frame(3))), '6');
    assert.strictEqual(formatEvalValue(evaluateExpression(expr, frame(-4))), '-8');
  });
});

describe('evaluate: field and element accesses on values that are not structs or arrays', () => {
  it('says the value is no struct or array, with the column of the access', () => {
    assert.strictEqual(failure('$acc.x'), '$acc is not a struct (it is an i64), so it has no field x at column 6');
    assert.strictEqual(failure('local0.x + 1'), 'local0 is not a struct (it is an i32), so it has no field x at column 8');
    assert.strictEqual(failure('($n + 1).length'), '($n + 1) is not a struct (it is an i32), so it has no field length at column 10');
    assert.strictEqual(failure('$n[0]'), '$n is not an array (it is an i32), so it cannot be indexed at column 3');
    assert.strictEqual(failure('null.x'), 'null reference: null, so it has no field x at column 6');
    assert.strictEqual(failure('$n.'), "expected a field name or index after '.' at column 4");
    assert.strictEqual(failure('local0.'), "expected a field name or index after '.', found end of expression at column 8");
    assert.strictEqual(failure('$n[0'), "expected ']' to close the index of $n[...] opened at column 3, found end of expression at column 5");
    assert.strictEqual(failure('$nope.x'), 'no local, parameter or global named $nope at column 1');
  });

  it('prefers a variable whose whole name has dots over fields of a shorter one', () => {
    const ctx: EvalContext = { ...context(), localByName: (name) => (name === 'a.b' ? { type: 'i32', value: 7 } : name === 'a' ? { type: 'i32', value: 1 } : undefined) };
    assert.strictEqual(formatEvalValue(evaluate('$a.b', ctx)), '7');
    assert.throws(() => evaluate('$a.c', ctx), { message: '$a is not a struct (it is an i32), so it has no field c at column 4' });
    assert.throws(() => evaluate('$a.b.c', ctx), { message: '$a.b is not a struct (it is an i32), so it has no field c at column 6' });
  });

  it('compares references and null by identity, and nothing else with them', () => {
    assert.strictEqual(show('null == null'), 'true: bool');
    assert.strictEqual(show('null != null'), 'false: bool');
    assert.strictEqual(failure('$n == null'), "'==' compares a reference with a reference or null, not with an i32 at column 4");
    assert.strictEqual(failure('null + 1'), "'+' cannot use null at column 6");
    assert.strictEqual(isTruthy(evaluate('null', context())), false);
  });
});

describe('evaluate: converting a result for setVariable', () => {
  const ctx = context();
  it('wraps and checks integer ranges', () => {
    assert.deepStrictEqual(toValue(evaluate('42', ctx), 'i32'), { type: 'i32', value: 42 });
    assert.deepStrictEqual(toValue(evaluate('0xffffffff', ctx), 'i32'), { type: 'i32', value: -1 });
    assert.deepStrictEqual(toValue(evaluate('-9223372036854775808', ctx), 'i64'), { type: 'i64', value: -9223372036854775808n });
    assert.throws(() => toValue(evaluate('4294967296', ctx), 'i32'), { message: '4294967296 does not fit in an i32' });
    assert.throws(() => toValue(evaluate('1.5', ctx), 'i32'), { message: 'cannot store 1.5 into an i32: it is not an integer' });
  });

  it('keeps NaN payloads exactly', () => {
    assert.deepStrictEqual(toValue(evaluate('nan:0x200000', ctx), 'f32'), { type: 'f32', bits: 0x7fa00000 });
    assert.deepStrictEqual(toValue(evaluate('-nan', ctx), 'f64'), { type: 'f64', bits: 0xfff8000000000000n });
    assert.deepStrictEqual(toValue(evaluate('local2', ctx), 'f32'), { type: 'f32', bits: 0x7fa00000 });
    assert.throws(() => toValue(evaluate('nan:0x800000', ctx), 'f32'), { message: 'NaN payload 0x800000 does not fit in an f32 (23 bits)' });
    assert.strictEqual(formatValue(toValue(evaluate('2.5', ctx), 'f32')), '2.5');
  });
});

describe('evaluate: function calls', () => {
  /** A context whose calls are answered by a table: name -> (args) => result. */
  function calling(): EvalContext {
    return {
      ...context(),
      call(instance, name, args, col) {
        if (name === 'twice' && instance === null) return { kind: 'int', width: 32, unsigned: false, value: (args[0] as { value: bigint }).value * 2n };
        if (name === '$pair' && instance === 'math') return { kind: 'results', values: [{ type: 'i32', value: 1 }, { type: 'i64', value: 2n }] };
        throw new EvalError(`no function ${name}`, col);
      },
    };
  }

  it('calls functions of the frame or of a named instance, with expression arguments', () => {
    assert.strictEqual(formatEvalValue(evaluate('twice($n + 1) + 1', calling())), '23');
    assert.strictEqual(formatEvalValue(evaluate('math!$pair()', calling())), '1, 2');
    assert.strictEqual(evalTypeName(evaluate('math!$pair()', calling())), 'i32 i64');
    assert.throws(() => evaluate('math!$pair() + 1', calling()), { message: "'+' cannot use a call that returns 2 values at column 14" });
    assert.throws(() => evaluate('other(1)', calling()), { message: 'no function other at column 1' });
    assert.throws(() => evaluate('twice(1,', calling()), { message: 'expected a value, found end of expression at column 9' });
    assert.throws(() => evaluate('twice(1 2)', calling()), { message: "expected ')' to close the arguments opened at column 1, found '2' at column 9" });
    assert.throws(() => evaluate('twice(1)', context()), { message: 'functions cannot be called here at column 1' });
  });
});

describe('evaluate: assignments typed in the debug console', () => {
  it('splits at the top-level = only', () => {
    assert.deepStrictEqual(splitAssignment('$n = 5'), { target: '$n', value: '5' });
    assert.deepStrictEqual(splitAssignment('i32[$p + 4]=-1'), { target: 'i32[$p + 4]', value: '-1' });
    assert.deepStrictEqual(splitAssignment('$x = $y == 2'), { target: '$x', value: '$y == 2' });
    for (const text of ['$n == 5', '$n != 5', '$n <= 5', '$n >= 5', 'i32[$n == 1]', '$n']) assert.strictEqual(splitAssignment(text), null, text);
  });
});

describe('expressions over v128 lanes', () => {
  // $v = i32x4 1 -2 3 0x7fc00000 (lane 3 is a NaN when read as f32).
  const bytes = new Uint8Array(new Int32Array([1, -2, 3, 0x7fc00000]).buffer);
  const ctx: EvalContext = {
    ...emptyContext,
    localByName: (name) => (name === 'v' ? { type: 'v128', bytes } : name === 'n' ? { type: 'i32', value: 1 } : undefined),
  };
  const show = (text: string) => {
    const v = evaluate(text, ctx);
    return `${formatEvalValue(v)}: ${evalTypeName(v)}`;
  };
  const error = (text: string) => {
    try {
      evaluate(text, ctx);
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  };

  it('reads a lane in each shape, signed or unsigned, with a computed index', () => {
    assert.strictEqual(show('$v.i32x4[1]'), '-2: i32');
    assert.strictEqual(show('$v.u32x4[1]'), '4294967294: u32');
    assert.strictEqual(show('$v.i8x16[4]'), '-2: i32');
    assert.strictEqual(show('$v.u8x16[4]'), '254: i32');
    assert.strictEqual(show('$v.i16x8[$n + 2]'), '-1: i32');
    assert.strictEqual(show('$v.i64x2[0]'), '-8589934591: i64');
    assert.strictEqual(show('$v.f32x4[3]'), 'nan: f32');
    assert.strictEqual(show('v.i32x4[2] * 2'), '6: i32');
  });

  it('writes vectors as the text format does, and says what is wrong with a lane or an index', () => {
    assert.strictEqual(show('i16x8 1 -1 2 -2 3 -3 0x7fff -0x8000'), 'i32x4 0xffff0001 0xfffe0002 0xfffd0003 0x80007fff: v128');
    assert.strictEqual(show('f32x4 1 -0 nan inf'), 'i32x4 0x3f800000 0x80000000 0x7fc00000 0x7f800000: v128');
    assert.strictEqual(error('i8x16 256 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0'), 'constant out of range: 256 does not fit in i8 at column 1');
    assert.strictEqual(error('f64x2 1 $n'), "expected lane 1 of f64x2 (it has 2 lanes), found '$n' at column 9");
    assert.strictEqual(error('$v.i64x2[2]'), 'lane index 2 is out of range: i64x2 has lanes 0..1 at column 1');
    assert.strictEqual(error('$v.i32x4[0'), "expected ']' to close the lane index of $v.i32x4[...] opened at column 1, found end of expression at column 11");
  });
});
