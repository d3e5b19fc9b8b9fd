// The executor seen from its users: results, traps and where they happened, deep recursion on
// the sparse call stack, calls across instances (each with its own memory), pausing, breakpoints,
// stepping and frame inspection.

import * as assert from 'assert';
import * as fc from 'fast-check';
import { assemble, imports } from './engineHelpers';
import {
  ExternVal,
  Instance,
  LinkError,
  Module,
  Store,
  Trap,
  Value,
  createGlobal,
  createTable,
  decodeModule,
  funcCode,
  hostFunction,
  instantiate,
  invoke,
  loadModule,
} from '../src/engine/index';

const none = () => undefined;
const i32 = (value: number): Value => ({ type: 'i32', value });
const func = (inst: Instance, name: string): ExternVal => ({ kind: 'func', func: inst.exportedFunc(name) });

/** Byte offset of the first instruction with opcode `op` in defined function `name`. */
function offsetOf(module: Module, name: string, op: number, nth = 0): { funcIndex: number; offset: number } {
  for (const [index, n] of module.names!.functions) {
    if (n !== name) continue;
    const body = funcCode(module, index - module.imports.filter((i) => i.desc.kind === 'func').length).body;
    const hits = body.filter((i) => i.op === op);
    return { funcIndex: index, offset: hits[nth].offset };
  }
  throw new Error(`no function ${name}`);
}

describe('executor', () => {
  it('refuses to instantiate a module that was not validated, so invalid code never runs', async () => {
    // (func (result i32) (i64.const 1)) is malformed for validation but decodes fine.
    const bytes = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7f, 3, 2, 1, 0, 10, 6, 1, 4, 0, 0x42, 1, 0x0b]);
    const module = decodeModule(bytes);
    assert.throws(() => instantiate(new Store(), module, none, 'bad'), /cannot instantiate bad: the module was not validated \(load it with loadModule\)/);
    await assert.rejects(loadModule(bytes), /type mismatch/);
  });

  it('computes results and reports a trap with its message, function and byte offset', async () => {
    const m = await assemble(`(module
      (func $fib (export "fib") (param i32) (result i32)
        (if (result i32) (i32.lt_s (local.get 0) (i32.const 2)) (then (local.get 0))
          (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                         (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
      (func $div (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
      (func $inner (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
      (func $outer (export "outer") (param i32) (result i32) (call $inner (local.get 0))))`);
    const store = new Store();
    const inst = instantiate(store, m, none, 'main');
    assert.deepStrictEqual(invoke(store, inst.exportedFunc('fib'), [i32(20)]), [i32(6765)]);
    assert.deepStrictEqual(invoke(store, inst.exportedFunc('div'), [i32(-7), i32(2)]), [i32(-3)]);
    assert.throws(() => invoke(store, inst.exportedFunc('div'), [i32(1), i32(0)]), (e: unknown) => {
      assert.ok(e instanceof Trap);
      assert.strictEqual(e.message, 'integer divide by zero');
      assert.strictEqual(e.funcName, 'div');
      assert.strictEqual(e.offset, offsetOf(m, 'div', 0x6d).offset);
      return true;
    });
    assert.throws(() => invoke(store, inst.exportedFunc('div'), [i32(-2147483648), i32(-1)]), /^Trap: integer overflow$/);
    // The trap names the function it happened in, not the exported entry point.
    assert.throws(() => invoke(store, inst.exportedFunc('outer'), [i32(0)]), (e: Trap) => e.funcName === 'inner');
    assert.strictEqual(store.callStack.height, 0, 'invoke unwinds after a trap');
    assert.deepStrictEqual(invoke(store, inst.exportedFunc('outer'), [i32(1)]), [i32(1)], 'the store is usable after a trap');
  });

  it('keeps the stack intact after a trap until unwind, for the debugger', async () => {
    const m = await assemble(`(module
      (func $leaf (param i32) (result i32) (local i64) (i32.add (i32.const 5) (unreachable)))
      (func $top (export "top") (result i32) (call $leaf (i32.const 42))))`);
    const store = new Store();
    const inst = instantiate(store, m, none, 'main');
    const ex = store.begin(inst.exportedFunc('top'), []);
    const r = ex.run(Infinity);
    assert.strictEqual(r.status, 'trapped');
    assert.strictEqual(r.status === 'trapped' && r.trap.message, 'unreachable');
    assert.strictEqual(ex.callStack.height, 2);
    const leaf = ex.frame(1);
    assert.strictEqual(leaf.func.name, 'leaf');
    assert.strictEqual(leaf.instance, inst);
    assert.strictEqual(leaf.offset, offsetOf(m, 'leaf', 0x00).offset);
    assert.deepStrictEqual(leaf.locals(), [i32(42), { type: 'i64', value: 0n }]);
    assert.deepStrictEqual(leaf.operands(), [i32(5)]);
    assert.strictEqual(ex.frame(0).func.name, 'top');
    assert.strictEqual(ex.frame(0).offset, offsetOf(m, 'top', 0x10).offset, 'the caller is at its call');
    ex.unwind();
    assert.strictEqual(store.callStack.height, 0);
  });

  it('runs a 1,000,000-deep recursion with one sparse instance entry, and exhausts the stack beyond the limit', async () => {
    const m = await assemble(`(module
      (func $rec (export "rec") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0))
          (then (i32.const 0))
          (else (i32.add (call $rec (i32.sub (local.get 0) (i32.const 1))) (i32.const 1))))))`);
    const depth = 1_000_000;
    const store = new Store({ maxCallDepth: depth + 10 });
    const inst = instantiate(store, m, none, 'main');
    // A breakpoint on the base case's `i32.const 0` stops at the deepest point.
    const bp = offsetOf(m, 'rec', 0x41, 0);
    assert.deepStrictEqual(store.setBreakpoints(m, bp.funcIndex, [bp.offset]), [bp.offset]);
    const ex = store.begin(inst.exportedFunc('rec'), [i32(depth)]);
    let r = ex.run(Infinity);
    assert.deepStrictEqual(r, { status: 'paused', reason: 'breakpoint' });
    assert.strictEqual(ex.callStack.height, depth + 1);
    assert.strictEqual(ex.callStack.instances.length, 1);
    assert.strictEqual(ex.callStack.instanceAt(depth), inst);
    assert.deepStrictEqual(ex.frame(depth).locals(), [i32(0)]);
    assert.deepStrictEqual(ex.frame(depth - 1).locals(), [i32(1)]);
    store.setBreakpoints(m, bp.funcIndex, []);
    r = ex.run(Infinity);
    assert.deepStrictEqual(r, { status: 'done', results: [i32(depth)] });
    assert.strictEqual(store.callStack.instances.length, 0);

    const shallow = new Store({ maxCallDepth: 1000 });
    const inst2 = instantiate(shallow, m, none, 'main');
    assert.throws(() => invoke(shallow, inst2.exportedFunc('rec'), [i32(5000)]), (e: unknown) => e instanceof Trap && e.message === 'call stack exhausted');
    assert.deepStrictEqual(invoke(shallow, inst2.exportedFunc('rec'), [i32(900)]), [i32(900)]);
  });

  it('gives "call stack exhausted" for unbounded recursion at the default limit, never a JS RangeError', async () => {
    const m = await assemble(`(module (func $f (export "f") (param i64) (result i64) (i64.add (call $f (local.get 0)) (i64.const 1))))`);
    const store = new Store();
    const inst = instantiate(store, m, none, 'main');
    assert.throws(() => invoke(store, inst.exportedFunc('f'), [{ type: 'i64', value: 0n }]), (e: unknown) => e instanceof Trap && e.message === 'call stack exhausted' && e.funcName === 'f');
    assert.strictEqual(store.callStack.height, 0);
  });

  it('adds exactly one sparse entry per instance switch in a ping-pong, and none remain after return', async () => {
    const m = await assemble(`(module
      (import "env" "table" (table 2 funcref))
      (import "env" "self" (global i32))
      (import "env" "other" (global i32))
      (type $t (func (param i32) (result i32)))
      (func $f (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0))
          (then (i32.const 0))
          (else (i32.add (call_indirect (type $t) (i32.sub (local.get 0) (i32.const 1)) (global.get 1)) (i32.const 1)))))
      (elem (global.get 0) $f)
      (export "f" (func $f)))`);
    const store = new Store();
    const table = createTable({ elem: 'funcref', limits: { min: 2, max: null } });
    const env = (self: number, other: number) => ({
      env: {
        table: { kind: 'table', table } as ExternVal,
        self: { kind: 'global', global: createGlobal({ type: 'i32', mutable: false }, i32(self)) } as ExternVal,
        other: { kind: 'global', global: createGlobal({ type: 'i32', mutable: false }, i32(other)) } as ExternVal,
      },
    });
    const a = instantiate(store, m, imports(env(0, 1)), 'ping');
    const b = instantiate(store, m, imports(env(1, 0)), 'pong');
    const bp = offsetOf(m, 'f', 0x41, 0);
    store.setBreakpoints(m, bp.funcIndex, [bp.offset]);
    const n = 9;
    const ex = store.begin(a.exportedFunc('f'), [i32(n)]);
    assert.deepStrictEqual(ex.run(), { status: 'paused', reason: 'breakpoint' });
    const cs = ex.callStack;
    assert.strictEqual(cs.height, n + 1);
    assert.strictEqual(cs.instances.length, n + 1, 'one entry per switch plus the entry instance');
    assert.deepStrictEqual(cs.instances.map((e) => e.height), [...Array(n + 1).keys()]);
    for (let h = 0; h <= n; h++) {
      assert.strictEqual(cs.instanceAt(h), h % 2 === 0 ? a : b);
      assert.strictEqual(ex.frame(h).instance, h % 2 === 0 ? a : b);
    }
    store.setBreakpoints(m, bp.funcIndex, []);
    assert.deepStrictEqual(ex.run(), { status: 'done', results: [i32(n)] });
    assert.strictEqual(cs.instances.length, 0);
    assert.strictEqual(cs.height, 0);
  });

  it('switches memories correctly for call, call_indirect, return_call and return_call_indirect across instances', async () => {
    const lib = await assemble(`(module
      (import "env" "next" (func $next (result i32)))
      (import "env" "table" (table 4 funcref))
      (type $r (func (result i32)))
      (memory 1)
      (func (export "init") (param i32) (i32.store (i32.const 0) (local.get 0)))
      (func $get (export "get") (result i32) (i32.load (i32.const 0)))
      (func (export "mid_rc") (result i32) (return_call $next))
      (func (export "mid_rci") (param i32) (result i32) (return_call_indirect (type $r) (local.get 0))))`);
    const main = await assemble(`(module
      (import "b" "get" (func $b_get (result i32)))
      (import "b" "mid_rc" (func $b_mid_rc (result i32)))
      (import "b" "mid_rci" (func $b_mid_rci (param i32) (result i32)))
      (import "env" "table" (table 4 funcref))
      (type $r (func (result i32)))
      (memory 1)
      (data (i32.const 0) "\\6f\\00\\00\\00")
      (func $own (result i32) (i32.load (i32.const 0)))
      ;; Each entry returns (value from the callee) * 1000 + (own memory read after the call returned).
      (func (export "call") (result i32) (i32.add (i32.mul (call $b_get) (i32.const 1000)) (call $own)))
      (func (export "call_indirect") (param i32) (result i32)
        (i32.add (i32.mul (call_indirect (type $r) (local.get 0)) (i32.const 1000)) (call $own)))
      (func $rc (result i32) (return_call $b_get))
      (func (export "return_call") (result i32) (i32.add (i32.mul (call $rc) (i32.const 1000)) (call $own)))
      (func $rci (param i32) (result i32) (return_call_indirect (type $r) (local.get 0)))
      (func (export "return_call_indirect") (param i32) (result i32)
        (i32.add (i32.mul (call $rci (local.get 0)) (i32.const 1000)) (call $own)))
      (func (export "chain") (result i32) (i32.add (i32.mul (call $b_mid_rc) (i32.const 1000)) (call $own)))
      (func (export "chain_indirect") (param i32) (result i32)
        (i32.add (i32.mul (call $b_mid_rci (local.get 0)) (i32.const 1000)) (call $own)))
      (func (export "a_get") (result i32) (call $own)))`);
    const store = new Store();
    const table = createTable({ elem: 'funcref', limits: { min: 4, max: null } });
    const tableExt: ExternVal = { kind: 'table', table };
    const c = instantiate(store, lib, imports({ env: { table: tableExt, next: { kind: 'func', func: hostFunction({ params: [], results: ['i32'] }, 'none', () => [i32(-1)]) } } }), 'c');
    const b = instantiate(store, lib, imports({ env: { table: tableExt, next: func(c, 'get') } }), 'b');
    invoke(store, b.exportedFunc('init'), [i32(222)]);
    invoke(store, c.exportedFunc('init'), [i32(333)]);
    const a = instantiate(store, main, imports({ b: { get: func(b, 'get'), mid_rc: func(b, 'mid_rc'), mid_rci: func(b, 'mid_rci') }, env: { table: tableExt } }), 'a');
    table.set(0, b.exportedFunc('get'));
    table.set(1, c.exportedFunc('get'));
    table.set(2, a.exportedFunc('a_get'));
    const run = (name: string, ...args: number[]) => invoke(store, a.exportedFunc(name), args.map(i32))[0];
    assert.deepStrictEqual(run('call'), i32(222111));
    assert.deepStrictEqual(run('call_indirect', 0), i32(222111));
    assert.deepStrictEqual(run('call_indirect', 1), i32(333111));
    assert.deepStrictEqual(run('return_call'), i32(222111));
    assert.deepStrictEqual(run('return_call_indirect', 1), i32(333111));
    assert.deepStrictEqual(run('chain'), i32(333111), 'B tail-calls C: C current for the callee, A restored after');
    assert.deepStrictEqual(run('chain_indirect', 1), i32(333111));
    assert.deepStrictEqual(run('chain_indirect', 2), i32(111111), 'B tail-calls back into A');

    // At a breakpoint in C's `get`, reached by B's tail call, B's frame is gone and the stack says A, C.
    const bp = offsetOf(lib, 'get', 0x28);
    store.setBreakpoints(lib, bp.funcIndex, [bp.offset]);
    const ex = store.begin(a.exportedFunc('chain'), []);
    assert.deepStrictEqual(ex.run(), { status: 'paused', reason: 'breakpoint' });
    assert.deepStrictEqual(ex.callStack.instances.map((e) => [e.height, e.instance!.name]), [[0, 'a'], [1, 'c']]);
    assert.strictEqual(ex.frame(1).func.name, 'get');
    assert.deepStrictEqual(ex.run(), { status: 'done', results: [i32(333111)] });
    store.setBreakpoints(lib, bp.funcIndex, []);
  });

  it('gives the same result when paused and resumed by budget as in one run', async () => {
    const m = await assemble(`(module
      (memory 1)
      (func $fib (param i32) (result i32)
        (if (result i32) (i32.lt_s (local.get 0) (i32.const 2)) (then (local.get 0))
          (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1))) (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
      (func (export "work") (param i32) (result i64) (local i32) (local i64)
        (loop $l
          (i32.store (i32.mul (i32.and (local.get 1) (i32.const 255)) (i32.const 4)) (call $fib (i32.and (local.get 1) (i32.const 15))))
          (local.set 2 (i64.add (i64.mul (local.get 2) (i64.const 31)) (i64.load32_u (i32.mul (i32.and (local.get 1) (i32.const 255)) (i32.const 4)))))
          (local.set 1 (i32.add (local.get 1) (i32.const 1)))
          (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
        (local.get 2)))`);
    const store = new Store();
    const inst = instantiate(store, m, none, 'main');
    const whole = invoke(store, inst.exportedFunc('work'), [i32(300)]);
    const ex = store.begin(inst.exportedFunc('work'), [i32(300)]);
    let pauses = 0;
    let r = ex.run(37);
    while (r.status === 'paused') {
      assert.strictEqual(r.reason, 'budget');
      pauses++;
      r = ex.run(37);
    }
    assert.ok(pauses > 100, `paused ${pauses} times`);
    assert.deepStrictEqual(r, { status: 'done', results: whole });
  });

  it('computes i64 arithmetic, shifts and comparisons exactly (against BigInt)', async () => {
    const binops = ['add', 'sub', 'mul', 'shl', 'shr_s', 'shr_u', 'rotl', 'rotr', 'and', 'or', 'xor'];
    const compares = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'];
    const m = await assemble(`(module
      ${binops.map((op) => `(func (export "${op}") (param i64 i64) (result i64) (i64.${op} (local.get 0) (local.get 1)))`).join('\n')}
      ${compares.map((op) => `(func (export "${op}") (param i64 i64) (result i32) (i64.${op} (local.get 0) (local.get 1)))`).join('\n')})`);
    const store = new Store();
    const inst = instantiate(store, m, none, 'main');
    const s64 = (v: bigint) => BigInt.asIntN(64, v);
    const u64 = (v: bigint) => BigInt.asUintN(64, v);
    const rot = (x: bigint, k: bigint) => s64((u64(x) << (k & 63n)) | (u64(x) >> ((64n - (k & 63n)) & 63n)));
    const expect: Record<string, (x: bigint, y: bigint) => bigint | boolean> = {
      add: (x, y) => s64(x + y), sub: (x, y) => s64(x - y), mul: (x, y) => s64(x * y),
      shl: (x, y) => s64(x << (u64(y) & 63n)), shr_s: (x, y) => x >> (u64(y) & 63n), shr_u: (x, y) => s64(u64(x) >> (u64(y) & 63n)),
      rotl: (x, y) => rot(x, u64(y)), rotr: (x, y) => rot(x, (64n - (u64(y) & 63n)) & 63n),
      and: (x, y) => x & y, or: (x, y) => x | y, xor: (x, y) => x ^ y,
      eq: (x, y) => x === y, ne: (x, y) => x !== y, lt_s: (x, y) => x < y, lt_u: (x, y) => u64(x) < u64(y),
      gt_s: (x, y) => x > y, gt_u: (x, y) => u64(x) > u64(y), le_s: (x, y) => x <= y, le_u: (x, y) => u64(x) <= u64(y),
      ge_s: (x, y) => x >= y, ge_u: (x, y) => u64(x) >= u64(y),
    };
    // Values near the interesting edges: 0, ±1, 32-bit boundaries, the 64-bit extremes.
    const edge = fc.constantFrom(0n, 1n, -1n, 0xffffffffn, 0x100000000n, 0x7fffffffn, -0x80000000n, 2n ** 63n - 1n, -(2n ** 63n));
    const i64 = fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), edge, fc.bigInt({ min: -70n, max: 70n }));
    fc.assert(
      fc.property(fc.constantFrom(...binops, ...compares), i64, i64, (op, x, y) => {
        const [r] = invoke(store, inst.exportedFunc(op), [{ type: 'i64', value: x }, { type: 'i64', value: y }]);
        const want = expect[op](x, y);
        assert.deepStrictEqual(r, typeof want === 'boolean' ? i32(want ? 1 : 0) : { type: 'i64', value: want }, `i64.${op} ${x} ${y}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('moves f32 signalling NaNs through locals, globals, memory and select bit-exactly', async () => {
    const m = await assemble(`(module
      (memory 1)
      (global $g (mut f32) (f32.const 0))
      (func (export "move") (param f32 i32) (result f32) (local f32)
        (local.set 2 (local.get 0))
        (global.set $g (local.get 2))
        (f32.store (i32.const 8) (global.get $g))
        (select (f32.load (i32.const 8)) (f32.const 1) (local.get 1)))
      (func (export "neg") (param f32) (result f32) (f32.neg (local.get 0))))`);
    const store = new Store();
    const inst = instantiate(store, m, none, 'main');
    const snan = 0x7fa00001;
    assert.deepStrictEqual(invoke(store, inst.exportedFunc('move'), [{ type: 'f32', bits: snan }, i32(1)]), [{ type: 'f32', bits: snan }]);
    assert.deepStrictEqual(invoke(store, inst.exportedFunc('neg'), [{ type: 'f32', bits: snan }]), [{ type: 'f32', bits: (snan | 0x80000000) >>> 0 }]);
  });

  it('steps over, into and out of calls, and reports frames at each stop', async () => {
    const m = await assemble(`(module
      (func $callee (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
      (func $main (export "main") (result i32)
        (drop (call $callee (i32.const 1)))
        (call $callee (i32.const 5))))`);
    const store = new Store();
    const inst = instantiate(store, m, none, 'main');
    const firstCall = offsetOf(m, 'main', 0x10, 0).offset;
    const drop = offsetOf(m, 'main', 0x1a, 0).offset;
    const ex = store.begin(inst.exportedFunc('main'), []);
    ex.step('instruction');
    assert.deepStrictEqual(ex.run(), { status: 'paused', reason: 'step' });
    assert.strictEqual(ex.frame(0).offset, offsetOf(m, 'main', 0x41, 0).offset, 'the first instruction');
    ex.step('instruction');
    ex.run();
    assert.strictEqual(ex.frame(0).offset, firstCall);
    assert.deepStrictEqual(ex.frame(0).operands(), [i32(1)]);
    ex.step('over');
    assert.deepStrictEqual(ex.run(), { status: 'paused', reason: 'step' });
    assert.strictEqual(ex.callStack.height, 1);
    assert.strictEqual(ex.frame(0).offset, drop);
    assert.deepStrictEqual(ex.frame(0).operands(), [i32(2)]);
    ex.step('over'); // drop
    ex.run();
    ex.step('over'); // i32.const 5
    ex.run();
    ex.step('in');
    ex.run();
    assert.strictEqual(ex.callStack.height, 2, 'stepped into the callee');
    assert.strictEqual(ex.frame(1).func.name, 'callee');
    assert.strictEqual(ex.frame(1).offset, offsetOf(m, 'callee', 0x20).offset);
    assert.deepStrictEqual(ex.frame(1).locals(), [i32(5)]);
    ex.frame(1).setLocal(0, i32(50));
    ex.step('out');
    assert.deepStrictEqual(ex.run(), { status: 'paused', reason: 'step' });
    assert.strictEqual(ex.callStack.height, 1);
    assert.deepStrictEqual(ex.frame(0).operands(), [i32(100)], 'the changed local took effect');
    assert.deepStrictEqual(ex.run(), { status: 'done', results: [i32(100)] });
  });

  it('keeps a step armed across budget pauses until it completes', async () => {
    const m = await assemble(`(module
      (func $spin (param i32) (result i32)
        (loop $l (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
        (i32.const 9))
      (func $main (export "main") (result i32) (i32.add (call $spin (i32.const 1000)) (i32.const 1))))`);
    const store = new Store();
    const inst = instantiate(store, m, none, 'main');
    const bp = offsetOf(m, 'main', 0x10);
    store.setBreakpoints(m, bp.funcIndex, [bp.offset]);
    const ex = store.begin(inst.exportedFunc('main'), []);
    assert.deepStrictEqual(ex.run(), { status: 'paused', reason: 'breakpoint' });
    store.setBreakpoints(m, bp.funcIndex, []);
    ex.step('over');
    let budgetPauses = 0;
    let r = ex.run(50);
    while (r.status === 'paused' && r.reason === 'budget') {
      budgetPauses++;
      r = ex.run(50);
    }
    assert.ok(budgetPauses >= 10, `${budgetPauses} budget pauses inside the call`);
    assert.deepStrictEqual(r, { status: 'paused', reason: 'step' });
    assert.strictEqual(ex.callStack.height, 1);
    assert.strictEqual(ex.frame(0).offset, offsetOf(m, 'main', 0x41, 1).offset, 'stopped after the call, at i32.const 1');
    assert.deepStrictEqual(ex.frame(0).operands(), [i32(9)]);
  });

  it('pauses on request at the next backward branch or call, and resumes', async () => {
    const m = await assemble(`(module
      (import "host" "tick" (func $tick))
      (func (export "spin") (param i32) (result i32)
        (loop $l (call $tick) (local.set 0 (i32.sub (local.get 0) (i32.const 1))) (br_if $l (local.get 0)))
        (i32.const 7)))`);
    const store = new Store();
    let ticks = 0;
    let ex: ReturnType<Store['begin']> | null = null;
    const tick = hostFunction({ params: [], results: [] }, 'tick', () => {
      if (++ticks === 10) ex!.requestPause();
      return [];
    });
    const inst = instantiate(store, m, imports({ host: { tick: { kind: 'func', func: tick } } }), 'main');
    ex = store.begin(inst.exportedFunc('spin'), [i32(100)]);
    assert.deepStrictEqual(ex.run(), { status: 'paused', reason: 'pause' });
    assert.strictEqual(ticks, 10);
    assert.deepStrictEqual(ex.run(), { status: 'done', results: [i32(7)] });
    assert.strictEqual(ticks, 100);
  });

  it('lets host functions call back into wasm on the same call stack, and turns host errors into traps', async () => {
    const m = await assemble(`(module
      (import "host" "twice" (func $twice (param i32) (result i32)))
      (import "host" "probe" (func $probe))
      (import "host" "fail" (func $fail))
      (func $inc (export "inc") (param i32) (result i32) (call $probe) (i32.add (local.get 0) (i32.const 1)))
      (func (export "run") (param i32) (result i32) (call $twice (local.get 0)))
      (func (export "bad") (call $fail)))`);
    const store = new Store();
    let inst: Instance | null = null;
    const seen: string[] = [];
    const host = {
      twice: hostFunction({ params: ['i32'], results: ['i32'] }, 'host.twice', (args, ctx) => {
        assert.strictEqual(ctx.callerInstance, inst);
        const once = ctx.invoke(inst!.exportedFunc('inc'), args);
        return ctx.invoke(inst!.exportedFunc('inc'), once);
      }),
      probe: hostFunction({ params: [], results: [] }, 'host.probe', () => {
        const cs = store.callStack;
        const names: string[] = [];
        for (let h = 0; h < cs.height; h++) names.push(`${cs.funcs[h].name}@${cs.instanceAt(h)?.name ?? 'host'}`);
        // The host frame keeps its arguments while the nested call runs above it.
        const hostFrame = store.executions[0].frame(1);
        seen.push(`${names.join(' > ')} (twice got ${(hostFrame.locals()[0] as { value: number }).value})`);
        return [];
      }),
      fail: hostFunction({ params: [], results: [] }, 'host.fail', () => {
        throw new Error('the host gave up');
      }),
    };
    const resolve = imports({ host: Object.fromEntries(Object.entries(host).map(([k, f]) => [k, { kind: 'func', func: f } as ExternVal])) });
    inst = instantiate(store, m, resolve, 'main');
    assert.deepStrictEqual(invoke(store, inst.exportedFunc('run'), [i32(40)]), [i32(42)]);
    assert.deepStrictEqual(seen, [
      'run@main > host.twice@host > inc@main > host.probe@host (twice got 40)',
      'run@main > host.twice@host > inc@main > host.probe@host (twice got 40)',
    ]);
    assert.throws(() => invoke(store, inst!.exportedFunc('bad'), []), (e: unknown) => e instanceof Trap && e.message === 'the host gave up' && e.funcName === 'bad');
    assert.strictEqual(store.callStack.height, 0);
  });

  it('checks bulk memory and table ranges before writing anything', async () => {
    const m = await assemble(`(module
      (memory 1 2)
      (table 3 funcref)
      (func $f (result i32) (i32.const 1))
      (elem func $f $f)
      (func (export "fill") (param i32 i32) (memory.fill (local.get 0) (i32.const 0xaa) (local.get 1)))
      (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0)))
      (func (export "init") (param i32 i32) (table.init 0 (local.get 0) (i32.const 0) (local.get 1)))
      (func (export "isnull") (param i32) (result i32) (ref.is_null (table.get (local.get 0))))
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
      (func (export "load") (param i32) (result i32) (i32.load offset=0xffffffff (local.get 0))))`);
    const store = new Store();
    const inst = instantiate(store, m, none, 'main');
    const run = (name: string, ...args: number[]) => invoke(store, inst.exportedFunc(name), args.map(i32));
    assert.throws(() => run('fill', 65530, 7), /out of bounds memory access/);
    assert.deepStrictEqual(run('byte', 65535), [i32(0)], 'nothing was written');
    run('fill', 65530, 6);
    assert.deepStrictEqual(run('byte', 65535), [i32(0xaa)]);
    assert.throws(() => run('init', 2, 2), /out of bounds table access/);
    assert.deepStrictEqual(run('isnull', 2), [i32(1)], 'nothing was written');
    run('init', 1, 2);
    assert.deepStrictEqual(run('isnull', 2), [i32(0)]);
    assert.deepStrictEqual(run('grow', 1), [i32(1)]);
    assert.deepStrictEqual(run('grow', 1), [i32(-1)], 'the maximum is 2 pages');
    assert.throws(() => run('load', 1), /out of bounds memory access/, 'offset + address beyond 2^32');
  });

  it('runs a call made at a stop on top of the stopped execution, which then resumes unchanged', async () => {
    const m = await assemble(`(module
      (global $g (mut i32) (i32.const 0))
      (func $bump (export "bump") (result i32) (global.set $g (i32.add (global.get $g) (i32.const 10))) (global.get $g))
      (func $main (export "main") (param i32) (result i32) (i32.add (local.get 0) (call $bump))))`);
    const store = new Store();
    const inst = instantiate(store, m, none, 'main');
    const bp = offsetOf(m, 'bump', 0x23);
    store.setBreakpoints(m, bp.funcIndex, [bp.offset]);
    const outer = store.begin(inst.exportedFunc('main'), [i32(1)]);
    assert.deepStrictEqual(outer.run(), { status: 'paused', reason: 'breakpoint' });
    store.setBreakpoints(m, bp.funcIndex, []);
    const call = store.begin(inst.exportedFunc('bump'), []);
    assert.strictEqual(call.base, 2, 'the call starts above the two stopped frames');
    assert.throws(() => outer.run(), /nested execution is still active/);
    assert.deepStrictEqual(call.run(), { status: 'done', results: [i32(10)] });
    assert.strictEqual(store.callStack.height, 2);
    assert.strictEqual(outer.frame(1).offset, bp.offset);
    assert.deepStrictEqual(outer.run(), { status: 'done', results: [i32(21)] });
  });

  it('names the import, the instance and the reason in link errors', async () => {
    const m = await assemble(`(module (import "math" "fib" (func (param i32) (result i32))))`);
    const store = new Store();
    assert.throws(() => instantiate(store, m, none, 'app'), (e: unknown) => {
      assert.ok(e instanceof LinkError);
      assert.strictEqual(e.message, 'cannot link import "math"."fib" of instance app: unknown import');
      return true;
    });
    const wrong: ExternVal = { kind: 'func', func: hostFunction({ params: [], results: [] }, 'x', () => []) };
    assert.throws(() => instantiate(store, m, () => wrong, 'app'), {
      name: 'LinkError',
      message: 'cannot link import "math"."fib" of instance app: incompatible import type: expected (func (param i32) (result i32)), got (func)',
    });
  });

  it('stops at every instruction with a breakpoint on each, in the order instruction steps visit them', async () => {
    // Fused instruction groups (local.get + i32.const + i32.add, compare + br_if, ...) must all come apart.
    const m = await assemble(`(module
      (memory 1)
      (func $sum (export "sum") (param i32) (result i32) (local i32 i32)
        (loop $l
          (i32.store (local.get 2) (i32.add (local.get 0) (local.get 2)))
          (local.set 1 (i32.add (local.get 1) (i32.load (local.get 2))))
          (local.set 2 (i32.add (local.get 2) (i32.const 4)))
          (br_if $l (i32.lt_u (local.get 2) (i32.const 12))))
        (if (result i32) (i32.eqz (local.get 1)) (then (i32.const -1)) (else (local.get 1)))))`);
    const store = new Store();
    const inst = instantiate(store, m, none, 'main');
    const sum = funcCode(m, 0).body;
    const stepped: number[] = [];
    const ex1 = store.begin(inst.exportedFunc('sum'), [i32(5)]);
    for (;;) {
      ex1.step('instruction');
      const r = ex1.run();
      if (r.status === 'done') {
        assert.deepStrictEqual(r.results, [i32(27)]);
        break;
      }
      stepped.push(ex1.frame(0).offset);
    }
    assert.ok(stepped.length > 40, `${stepped.length} steps`);
    // All instructions, then every second, third and fourth one (splitting fused groups at each position).
    for (const [every, from] of [[1, 0], [2, 0], [2, 1], [3, 0], [3, 1], [3, 2], [4, 0], [4, 1], [4, 2], [4, 3]]) {
      const chosen = sum.filter((_, i) => i % every === from).map((i) => i.offset);
      const placed = store.setBreakpoints(m, 0, chosen);
      if (every === 1) assert.ok(placed.length >= sum.length - 5, 'every instruction that compiles to code takes a breakpoint');
      const hit: number[] = [];
      const ex2 = store.begin(inst.exportedFunc('sum'), [i32(5)]);
      let r = ex2.run();
      for (; r.status === 'paused'; r = ex2.run()) {
        assert.strictEqual(r.reason, 'breakpoint');
        hit.push(ex2.frame(0).offset);
      }
      assert.deepStrictEqual(r, { status: 'done', results: [i32(27)] });
      assert.deepStrictEqual(hit, stepped.filter((o) => placed.includes(o)), `breakpoints on every ${every} from ${from}`);
    }
    store.setBreakpoints(m, 0, []);
  });

  it('stops at a block or loop instruction once per entry, not per iteration', async () => {
    const m = await assemble(`(module
      (func $count (export "count") (param i32) (result i32) (local i32)
        (block $done
          (loop $l
            (br_if $done (i32.eqz (local.get 0)))
            (local.set 1 (i32.add (local.get 1) (i32.const 1)))
            (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
            (br $l)))
        (local.get 1)))`);
    const store = new Store();
    const inst = instantiate(store, m, none, 'main');
    const block = offsetOf(m, 'count', 0x02);
    const loop = offsetOf(m, 'count', 0x03);
    assert.deepStrictEqual(store.setBreakpoints(m, block.funcIndex, [block.offset, loop.offset]), [block.offset, loop.offset]);
    const ex = store.begin(inst.exportedFunc('count'), [i32(5)]);
    assert.deepStrictEqual(ex.run(), { status: 'paused', reason: 'breakpoint' });
    assert.strictEqual(ex.frame(0).offset, block.offset);
    assert.deepStrictEqual(ex.run(), { status: 'paused', reason: 'breakpoint' });
    assert.strictEqual(ex.frame(0).offset, loop.offset);
    assert.deepStrictEqual(ex.run(), { status: 'done', results: [i32(5)] });
    store.setBreakpoints(m, block.funcIndex, []);
  });

  it('applies breakpoints to every instance of a module, and stops where they are', async () => {
    const m = await assemble(`(module
      (func $work (export "work") (param i32) (result i32)
        (local.set 0 (i32.add (local.get 0) (i32.const 1)))
        (local.get 0)))`);
    const store = new Store();
    const one = instantiate(store, m, none, 'one');
    const two = instantiate(store, m, none, 'two');
    const bp = offsetOf(m, 'work', 0x6a);
    store.setBreakpoints(m, bp.funcIndex, [bp.offset, bp.offset + 1000]);
    for (const inst of [one, two]) {
      const ex = store.begin(inst.exportedFunc('work'), [i32(1)]);
      assert.deepStrictEqual(ex.run(), { status: 'paused', reason: 'breakpoint' });
      assert.strictEqual(ex.frame(0).instance, inst);
      assert.strictEqual(ex.frame(0).offset, bp.offset);
      assert.deepStrictEqual(ex.frame(0).operands(), [i32(1), i32(1)]);
      assert.deepStrictEqual(ex.run(), { status: 'done', results: [i32(2)] });
    }
    store.setBreakpoints(m, bp.funcIndex, []);
    assert.deepStrictEqual(store.begin(one.exportedFunc('work'), [i32(1)]).run(), { status: 'done', results: [i32(2)] });
  });
});
