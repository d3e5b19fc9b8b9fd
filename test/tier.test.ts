// The compiled tier (src/engine/tier) against the interpreter: the same results and traps, the same
// budget points counted, and at every stop (budget pause, breakpoint, step, trap) the same frames,
// positions, locals, operands and sparse instance list, while compiled code really ran.

import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { assemble, imports } from './engineHelpers';
import {
  Execution,
  Instance,
  Module,
  Store,
  TierMode,
  Value,
  formatValue,
  funcCode,
  instantiate,
  momentOf,
  tierOf,
} from '../src/engine/index';

const LIB = `(module
  (func $square (export "square") (param $x i32) (result i32)
    (local $r i32)
    (local.set $r (i32.mul (local.get $x) (local.get $x)))
    (local.get $r))
  (func $div (export "div") (param $a i32) (param $b i32) (result i32)
    (i32.div_s (local.get $a) (local.get $b))))`;

const MAIN = `(module
  (import "lib" "square" (func $square (param i32) (result i32)))
  (import "lib" "div" (func $div (param i32 i32) (result i32)))
  (memory 1)
  (func $sum (export "sum") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (call $square (local.get $i))))
      (i32.store (i32.shl (i32.and (local.get $i) (i32.const 255)) (i32.const 2)) (local.get $acc))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_s (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1))) (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func $deep (export "deep") (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get $n) (i32.const 1)))))))
  (func $divs (export "divs") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (call $div (i32.const 1000) (i32.sub (local.get $n) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.le_u (local.get $i) (local.get $n))))
    (local.get $acc))
  (func $mixed (export "mixed") (param $n i32) (result i64)
    (local $i i32) (local $x f64) (local $y f32) (local $z i64)
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $x (f64.add (local.get $x) (f64.div (f64.convert_i32_s (local.get $i)) (f64.const 3))))
        (local.set $y (f32.mul (f32.add (local.get $y) (f32.const 1.5)) (f32.const 0.75)))
        (f64.store offset=1024 (i32.shl (i32.and (local.get $i) (i32.const 63)) (i32.const 3)) (local.get $x))
        (local.set $z (i64.add (i64.mul (local.get $z) (i64.const 6364136223846793005)) (i64.extend_i32_u (local.get $i))))
        (local.set $z (i64.xor (local.get $z) (i64.shr_u (local.get $z) (i64.const 29))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (i64.add (local.get $z) (i64.add (i64.trunc_f64_s (local.get $x)) (i64.trunc_f32_u (local.get $y)))))
  (func $nanBits (export "nanBits") (param $x f32) (result i32)
    (i32.reinterpret_f32 (f32.neg (local.get $x))))
  (func $nanCopy (export "nanCopy") (param $n i32)
    (local $i i32)
    (loop $l
      (f32.store offset=2048 (i32.shl (local.get $i) (i32.const 2)) (f32.load offset=3072 (i32.shl (local.get $i) (i32.const 2))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n)))))
  (func $nanConst (export "nanConst") (result i32)
    (i32.reinterpret_f32 (f32.const nan:0x200000)))
  (func $nest (export "nest") (param $n i32) (result i64)
    (local $i i32) (local $j i32) (local $acc i64)
    (loop $outer
      (local.set $j (i32.const 0))
      (block $skip
        (loop $inner
          (local.set $acc
            (i64.add (local.get $acc)
              (block $pick (result i64)
                (block $two
                  (block $one
                    (block $zero
                      (br_table $zero $one $two (i32.rem_u (local.get $j) (i32.const 4))))
                    (br $pick (i64.extend_i32_u (call $square (local.get $j)))))
                  (br $pick (i64.mul (i64.extend_i32_s (local.get $i)) (i64.const -3))))
                (if (result i64) (i32.and (local.get $i) (i32.const 1))
                  (then (i64.shl (i64.const 1) (i64.extend_i32_u (local.get $j))))
                  (else (i64.const 7))))))
          (br_if $skip (i32.eq (local.get $j) (i32.const 40)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $inner (i32.lt_u (local.get $j) (local.get $i)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $outer (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc))
  (func $withRef (export "withRef") (param $n i32) (result i32)
    (local $r externref)
    (i32.add (local.get $n) (ref.is_null (local.get $r)))))`;

const i32 = (value: number): Value => ({ type: 'i32', value });

/** One exported function per i64 operation (binary, unary, comparison, conversion), and i64 through calls, memory and globals. */
const I64_OPS = `(module
  (memory 1)
  (global $g (mut i64) (i64.const 0))
  ${['add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr']
    .map((op) => `(func (export "${op}") (param i64 i64) (result i64) (i64.${op} (local.get 0) (local.get 1)))`).join('\n  ')}
  ${['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u']
    .map((op) => `(func (export "${op}") (param i64 i64) (result i32) (i64.${op} (local.get 0) (local.get 1)))`).join('\n  ')}
  ${['clz', 'ctz', 'popcnt', 'extend8_s', 'extend16_s', 'extend32_s']
    .map((op) => `(func (export "${op}") (param i64) (result i64) (i64.${op} (local.get 0)))`).join('\n  ')}
  (func (export "eqz") (param i64) (result i32) (i64.eqz (local.get 0)))
  (func (export "wrap") (param i64) (result i32) (i32.wrap_i64 (local.get 0)))
  (func (export "extend_s") (param i64) (result i64) (i64.extend_i32_s (i32.wrap_i64 (local.get 0))))
  (func (export "extend_u") (param i64) (result i64) (i64.extend_i32_u (i32.wrap_i64 (local.get 0))))
  (func (export "f64_s") (param i64) (result f64) (f64.convert_i64_s (local.get 0)))
  (func (export "f64_u") (param i64) (result f64) (f64.convert_i64_u (local.get 0)))
  (func (export "f32_s") (param i64) (result f32) (f32.convert_i64_s (local.get 0)))
  (func (export "f32_u") (param i64) (result f32) (f32.convert_i64_u (local.get 0)))
  (func (export "bits") (param f64) (result i64) (i64.reinterpret_f64 (local.get 0)))
  (func (export "trunc_s") (param i64) (result i64) (i64.trunc_f64_s (f64.convert_i64_s (local.get 0))))
  (func (export "trunc_u") (param i64) (result i64) (i64.trunc_f64_u (f64.convert_i64_u (local.get 0))))
  (func (export "trunc_bits") (param f64) (result i64) (i64.trunc_f64_s (local.get 0)))
  (func (export "trunc_sat_s") (param f64) (result i64) (i64.trunc_sat_f64_s (local.get 0)))
  (func (export "trunc_sat_u") (param f32) (result i64) (i64.trunc_sat_f32_u (local.get 0)))
  (func $pass (param i64 i32 i64) (result i64) (i64.sub (local.get 0) (local.get 2)))
  (func (export "call") (param i64 i64) (result i64) (call $pass (local.get 1) (i32.const 7) (local.get 0)))
  (func (export "memory") (param i64 i64) (result i64)
    (i64.store offset=3 (i32.const 0) (local.get 0))
    (i64.store32 offset=16 (i32.const 0) (local.get 1))
    (i64.store16 offset=24 (i32.const 0) (local.get 1))
    (i64.store8 offset=32 (i32.const 0) (local.get 1))
    (i64.add (i64.load offset=3 (i32.const 0))
      (i64.xor (i64.load32_s offset=16 (i32.const 0))
        (i64.xor (i64.load32_u offset=16 (i32.const 0))
          (i64.xor (i64.load16_s offset=24 (i32.const 0))
            (i64.xor (i64.load16_u offset=24 (i32.const 0)) (i64.add (i64.load8_s offset=32 (i32.const 0)) (i64.load8_u offset=32 (i32.const 0)))))))))
  (func (export "global") (param i64 i64) (result i64)
    (global.set $g (i64.add (global.get $g) (local.get 0)))
    (select (global.get $g) (local.get 1) (i64.lt_s (local.get 0) (local.get 1)))))`;

interface Program {
  store: Store;
  lib: Instance;
  main: Instance;
  module: Module;
}

let libModule: Module;
let mainModule: Module;

function load(tier: TierMode, maxCallDepth = 100_000): Program {
  const store = new Store({ tier, maxCallDepth });
  const lib = instantiate(store, libModule, () => undefined, 'lib');
  const main = instantiate(store, mainModule, imports({ lib: { square: { kind: 'func', func: lib.exportedFunc('square') }, div: { kind: 'func', func: lib.exportedFunc('div') } } }), 'main');
  return { store, lib, main, module: mainModule };
}

/** What a user sees at a stop: the moment, every frame (function, position, locals, operands, instance) and the sparse instance list. */
function view(p: Program, ex: Execution): unknown {
  const cs = p.store.callStack;
  const which = (i: Instance | null) => (i === p.main ? 'main' : i === p.lib ? 'lib' : String(i));
  const frames = [];
  for (let h = ex.base; h < cs.height; h++) {
    const f = ex.frame(h);
    frames.push({ func: f.func.name, offset: f.offset, instance: which(f.instance), locals: f.locals().map(formatValue), operands: f.operands().map(formatValue) });
  }
  return { moment: momentOf(ex), ticks: p.store.ticks, status: ex.status, frames, instances: ex.instances.map((e) => `${e.height}:${which(e.instance)}`) };
}

/** Byte offset of the `nth` instruction with opcode `op` in function `name` of `module`. */
function offsetOf(module: Module, name: string, op: number, nth = 0): { funcIndex: number; offset: number } {
  const imported = module.imports.filter((i) => i.desc.kind === 'func').length;
  for (const [index, n] of module.names!.functions) {
    if (n !== name) continue;
    const hits = funcCode(module, index - imported).body.filter((i) => i.op === op);
    return { funcIndex: index, offset: hits[nth].offset };
  }
  throw new Error(`no function ${name}`);
}

/** A small deterministic generator of budgets. */
function budgets(seed: number, count: number, max: number): number[] {
  let x = seed;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.push(1 + (x % max));
  }
  return out;
}

/** Runs `name(args)` on the interpreter and on the tier in the same slices, comparing every stop; returns both programs. */
function lockstep(name: string, args: Value[], slices: number[], tier: TierMode = 'always'): [Program, Program] {
  const a = load('off');
  const b = load(tier);
  const ea = a.store.begin(a.main.exportedFunc(name), args);
  const eb = b.store.begin(b.main.exportedFunc(name), args);
  for (let i = 0; ; i++) {
    const budget = i < slices.length ? slices[i] : Infinity;
    const ra = ea.run(budget);
    const rb = eb.run(budget);
    assert.deepStrictEqual(rb, ra, `run ${i} (budget ${budget})`);
    assert.deepStrictEqual(view(b, eb), view(a, ea), `stop ${i} (budget ${budget})`);
    if (ra.status !== 'paused') break;
  }
  return [a, b];
}

describe('compiled tier', function () {
  this.timeout(60_000);

  before(async () => {
    libModule = await assemble(LIB);
    mainModule = await assemble(MAIN);
  });

  it('gives the interpreter\'s results and counts the same budget points', () => {
    for (const [name, args] of [['sum', [i32(5000)]], ['fib', [i32(20)]], ['mixed', [i32(3000)]]] as [string, Value[]][]) {
      const a = load('off');
      const b = load('always');
      const ra = a.store.invoke(a.main.exportedFunc(name), args);
      const rb = b.store.invoke(b.main.exportedFunc(name), args);
      assert.deepStrictEqual(rb, ra, name);
      assert.strictEqual(b.store.ticks, a.store.ticks, `${name}: ticks`);
      assert.ok(b.store.tier!.entered > 0, `${name}: compiled code ran`);
      assert.notStrictEqual(tierOf(b.main.exportedFunc(name)).fn, null, `${name} was compiled`);
    }
  });

  it('compiles hot functions only in hot mode, with the same results', () => {
    const a = load('off');
    const b = load('hot');
    const ra = a.store.invoke(a.main.exportedFunc('fib'), [i32(22)]);
    const rb = b.store.invoke(b.main.exportedFunc('fib'), [i32(22)]);
    assert.deepStrictEqual(rb, ra);
    assert.strictEqual(b.store.ticks, a.store.ticks);
    assert.notStrictEqual(tierOf(b.main.exportedFunc('fib')).fn, null);
    // `divs` never ran: nothing was translated for it.
    assert.strictEqual(b.main.exportedFunc('divs').tier, null);
  });

  it('pauses at every budget where the interpreter pauses, with the same frames, locals and operands', () => {
    lockstep('sum', [i32(400)], budgets(7, 60, 40));
    lockstep('fib', [i32(12)], budgets(11, 80, 25));
    lockstep('mixed', [i32(300)], budgets(13, 40, 30));
    lockstep('deep', [i32(300)], budgets(17, 40, 50));
    // Nested loops and blocks, a br_table, a block with a result and a call inside the inner loop:
    // entries at each loop head and at the call's return position skip what comes before them.
    lockstep('nest', [i32(60)], budgets(19, 120, 45));
    lockstep('nest', [i32(60)], budgets(23, 60, 400), 'hot');
  });

  it('pauses a compiled loop in hot mode at the same moments', () => {
    lockstep('sum', [i32(60_000)], [30_000, 1, 7, 5_000, 1, 20_000], 'hot');
  });

  it('stops at a breakpoint set while a compiled loop runs, at its next iteration, as the interpreter does', () => {
    const a = load('off');
    const b = load('always');
    const ea = a.store.begin(a.main.exportedFunc('sum'), [i32(1000)]);
    const eb = b.store.begin(b.main.exportedFunc('sum'), [i32(1000)]);
    assert.deepStrictEqual(eb.run(1234), ea.run(1234));
    const entered = b.store.tier!.entered;
    assert.ok(entered > 0 && tierOf(b.main.exportedFunc('sum')).fn !== null, 'the loop ran compiled');
    assert.deepStrictEqual(view(b, eb), view(a, ea));
    // A breakpoint on the loop's i32.store.
    const { funcIndex, offset } = offsetOf(mainModule, 'sum', 0x36);
    assert.deepStrictEqual(b.store.setBreakpoints(mainModule, funcIndex, [offset]), [offset]);
    const ra = ea.run();
    const rb = eb.run();
    assert.deepStrictEqual(rb, { status: 'paused', reason: 'breakpoint' });
    assert.deepStrictEqual(rb, ra);
    const at = view(b, eb) as { frames: { func: string; offset: number; locals: string[]; operands: string[] }[] };
    assert.deepStrictEqual(at, view(a, ea));
    const top = at.frames[at.frames.length - 1];
    assert.strictEqual(top.offset, offset);
    // i = 617, acc = 0² + 1² + ... + 617², and i32.store's address ((617 & 255) << 2) and value.
    assert.deepStrictEqual(top.locals, ['1000', '617', '78485485']);
    assert.deepStrictEqual(top.operands, ['420', '78485485']);
    // Steps from there, then the breakpoint goes and the run ends: still the interpreter's.
    for (let i = 0; i < 4; i++) {
      ea.step('over');
      eb.step('over');
      assert.deepStrictEqual(eb.run(), ea.run());
      assert.deepStrictEqual(view(b, eb), view(a, ea));
    }
    b.store.setBreakpoints(mainModule, funcIndex, []);
    assert.deepStrictEqual(eb.run(), ea.run());
    assert.deepStrictEqual(view(b, eb), view(a, ea));
    assert.ok(b.store.tier!.entered > entered, 'compiled again once the breakpoint was gone');
  });

  it('keeps the sparse instance list at a stop inside a compiled call to another instance', () => {
    const a = load('off');
    const b = load('always');
    const { funcIndex, offset } = offsetOf(libModule, 'square', 0x21); // local.set $r
    const ea = a.store.begin(a.main.exportedFunc('sum'), [i32(50)]);
    const eb = b.store.begin(b.main.exportedFunc('sum'), [i32(50)]);
    assert.deepStrictEqual(eb.run(60), ea.run(60));
    b.store.setBreakpoints(libModule, funcIndex, [offset]);
    assert.deepStrictEqual(eb.run(), { status: 'paused', reason: 'breakpoint' });
    ea.run();
    const at = view(b, eb) as { instances: string[]; frames: { func: string }[] };
    assert.deepStrictEqual(at, view(a, ea));
    assert.deepStrictEqual(at.instances, ['0:main', '1:lib']);
    assert.deepStrictEqual(at.frames.map((f) => f.func), ['sum', 'square']);
  });

  it('traps where the interpreter traps, with the same frames', () => {
    const [a, b] = lockstep('divs', [i32(300)], budgets(5, 30, 60));
    const ta = a.store.executions[0].trap!;
    const tb = b.store.executions[0].trap!;
    assert.strictEqual(tb.message, 'integer divide by zero');
    assert.deepStrictEqual([tb.message, tb.funcName, tb.offset], [ta.message, ta.funcName, ta.offset]);
    assert.ok(b.store.tier!.entered > 0);
  });

  it('runs a recursion a million calls deep', () => {
    const a = load('off', 1_100_000);
    const b = load('always', 1_100_000);
    const ra = a.store.invoke(a.main.exportedFunc('deep'), [i32(1_000_000)]);
    const rb = b.store.invoke(b.main.exportedFunc('deep'), [i32(1_000_000)]);
    assert.deepStrictEqual(rb, [i32(1_000_000)]);
    assert.deepStrictEqual(rb, ra);
    assert.strictEqual(b.store.ticks, a.store.ticks);
  });

  it('keeps the bits of NaNs, which a JavaScript number would not', () => {
    const b = load('always');
    assert.deepStrictEqual(b.store.invoke(b.main.exportedFunc('nanBits'), [{ type: 'f32', bits: 0x7fa00001 }]), [i32(0xffa00001 | 0)]);
    const mem = b.main.memories[0];
    const words = [0x7fa00001, 0xffc00123, 0x3f800000, 0x7f800001];
    words.forEach((w, i) => mem.view.setUint32(3072 + 4 * i, w, true));
    b.store.invoke(b.main.exportedFunc('nanCopy'), [i32(words.length)]);
    assert.deepStrictEqual(words.map((_, i) => mem.view.getUint32(2048 + 4 * i, true)), words);
    // A NaN constant: the compiled function hands that instruction to the interpreter.
    assert.deepStrictEqual(b.store.invoke(b.main.exportedFunc('nanConst'), []), [i32(0x7fa00000)]);
    assert.notStrictEqual(tierOf(b.main.exportedFunc('nanConst')).fn, null);
  });

  it('computes every i64 operation as the interpreter does, on the edge values of each', async () => {
    const module = await assemble(I64_OPS);
    const edges = [0n, 1n, -1n, 2n, 31n, 32n, 33n, 63n, 64n, 65n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, -0x80000000n, -0x100000000n,
      (1n << 53n) - 1n, 1n << 53n, -(1n << 53n), 0x123456789abcdef0n, -0x123456789abcdef0n, (1n << 63n) - 1n, -(1n << 63n), 0x7fffffff_ffffff00n, -7n, 1000n];
    const i64 = (value: bigint): Value => ({ type: 'i64', value: BigInt.asIntN(64, value) });
    const run = (tier: TierMode) => {
      const store = new Store({ tier });
      const inst = instantiate(store, module, () => undefined, 'ops');
      const out: string[] = [];
      for (const [name, ext] of inst.exports) {
        if (ext.kind !== 'func') continue;
        const params = ext.func.type.params;
        const argsOf = (x: bigint, y: bigint): Value[] => params.map((t, i) => (t === 'i64' ? i64(i === 0 ? x : y) : t === 'f64' ? { type: 'f64', bits: BigInt.asUintN(64, x) } : { type: 'f32', bits: Number(BigInt.asUintN(32, x)) }));
        for (const x of edges) for (const y of params.length > 1 ? edges : [0n]) {
          const r = store.begin(ext.func, argsOf(x, y)).run(Infinity);
          out.push(`${name}(${x}, ${y}) = ${r.status === 'done' ? r.results.map(formatValue).join(' ') : r.status === 'trapped' ? `trapped ${r.trap.message}` : r.status}`);
        }
      }
      return { out, store, inst };
    };
    const a = run('off');
    const b = run('always');
    assert.deepStrictEqual(b.out, a.out);
    assert.ok(b.out.includes('mul(4294967295, 4294967295) = -8589934591'));
    assert.ok(b.out.includes('div_s(-9223372036854775808, -1) = trapped integer overflow'));
    for (const [name, ext] of b.inst.exports) if (ext.kind === 'func') assert.notStrictEqual(tierOf(ext.func).fn, null, `${name} was compiled`);
    assert.ok(b.store.tier!.entered > 0);
  });

  it('leaves functions with instructions it does not translate to the interpreter, saying why', () => {
    const b = load('always');
    assert.deepStrictEqual(b.store.invoke(b.main.exportedFunc('withRef'), [i32(41)]), [i32(42)]);
    assert.strictEqual(tierOf(b.main.exportedFunc('withRef')).reason, 'a local of type externref');
  });

  it('interprets everything where the host forbids making functions from strings', () => {
    const root = path.join(__dirname, '..', '..');
    const run = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', path.join(root, 'out', 'src', 'cli.js'), 'run', path.join(root, 'bench', 'programs', 'fib.wat'), '--invoke', 'fib', '20'], {
      encoding: 'utf8',
      env: { ...process.env, WAT_TIER: 'always' },
    });
    assert.strictEqual(run.stderr, '');
    assert.strictEqual(run.stdout.trim(), '6765');
    assert.strictEqual(run.status, 0);
  });
});
