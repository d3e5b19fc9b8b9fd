// Exceptions in the engine: unwinding across instances (a property test of random call chains with
// tail calls, caught at every depth by try_table or a legacy try, or by none), tag identity, the
// uncaught end with the stack intact at the throw, and the stops a debugger asks for.

import * as assert from 'assert';
import * as fc from 'fast-check';
import {
  Exception,
  Instance,
  Store,
  UncaughtException,
  Value,
  createGlobal,
  createMemory,
  createTable,
  hostFunction,
  instantiate,
} from '../src/engine/index';
import { assemble, imports } from './engineHelpers';

const i32 = (value: number): Value => ({ type: 'i32', value });

// Frame d runs f(d) in one of three instances of one module. The plan (a memory all share) says
// for each d which instance frame d+1 runs in, whether frame d calls it or tail-calls it, and
// whether frame d catches (0 no, 1 try_table, 2 legacy try). The last frame throws its instance's
// id; a catcher returns after(caught(payload)), every frame below after(result), each reading
// its own memory, so a wrong instance or memory after unwinding changes the result.
const CHAIN = `(module
  (import "t" "e" (tag $e (param i32)))
  (import "t" "plan" (memory $plan 1))
  (import "t" "funcs" (table $funcs 3 funcref))
  (import "t" "id" (global $id i32))
  (import "t" "check" (func $check (param i32)))
  (memory $own 1)
  (type $step (func (param i32) (result i32)))
  (func $init (i32.store $own (i32.const 0) (global.get $id)))
  (start $init)
  (func $marker (result i32) (i32.load $own (i32.const 0)))
  (func $after (param i32) (result i32) (i32.add (i32.mul (local.get 0) (i32.const 4)) (call $marker)))
  (func $caught (param i32) (result i32) (i32.add (i32.mul (local.get 0) (i32.const 1000)) (call $marker)))
  (func $next (param $d i32) (result i32)
    (call_indirect $funcs (type $step)
      (i32.add (local.get $d) (i32.const 1))
      (i32.load8_u $plan (i32.add (i32.const 4) (i32.shl (local.get $d) (i32.const 2))))))
  (func $f (export "f") (type $step)
    (local $at i32)
    (if (i32.ge_u (local.get 0) (i32.load $plan (i32.const 0)))
      (then (throw $e (call $marker))))
    (local.set $at (i32.add (i32.const 4) (i32.shl (local.get 0) (i32.const 2))))
    (if (i32.load8_u $plan offset=1 (local.get $at))
      (then (return_call_indirect $funcs (type $step)
        (i32.add (local.get 0) (i32.const 1))
        (i32.load8_u $plan (local.get $at)))))
    (block $by_table (result i32)
      (block $legacy
        (block $table
          (block $none
            (br_table $none $table $legacy (i32.load8_u $plan offset=2 (local.get $at))))
          (return (call $after (call $next (local.get 0)))))
        (return (call $after (try_table (result i32) (catch $e $by_table) (call $next (local.get 0))))))
      (return (call $after
        (try (result i32)
          (do (call $next (local.get 0)))
          (catch $e (call $check (local.get 0)) (call $caught))))))
    (call $check (local.get 0))
    (call $after (call $caught))))`;

interface Step {
  target: number;
  tail: boolean;
  catchMode: 0 | 1 | 2;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  target: fc.nat(2),
  tail: fc.boolean(),
  catchMode: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
});

describe('exceptions: unwinding across instances', () => {
  it('catches at every depth, across instances and tail calls, and leaves exactly the sparse entries of the frames that remain', async () => {
    const module = await assemble(CHAIN);
    const tags = await assemble('(module (tag (export "e") (param i32)))');
    const store = new Store();
    const tagInstance = instantiate(store, tags, () => undefined, 'tags');
    const plan = createMemory({ limits: { min: 1, max: null } });
    const funcs = createTable({ elem: 'funcref', limits: { min: 3, max: null } });
    let expectedAtCheck: { height: number; instances: (Instance | null)[] } | null = null;
    let checks = 0;
    const check = hostFunction({ params: ['i32'], results: [] }, 'check', () => {
      // Called by the catcher: the frames above it are gone, the host frame is on top.
      const cs = store.callStack;
      assert.ok(expectedAtCheck, 'only the expected catcher catches');
      assert.strictEqual(cs.height, expectedAtCheck.height);
      for (let h = 0; h < cs.height; h++) assert.strictEqual(cs.instanceAt(h), expectedAtCheck.instances[h], `instance of frame ${h}`);
      let switches = 0;
      for (let h = 1; h < cs.height; h++) if (expectedAtCheck.instances[h] !== expectedAtCheck.instances[h - 1]) switches++;
      assert.ok(cs.instanceEntryCount <= switches + 1, `${cs.instanceEntryCount} entries for ${switches} switches`);
      for (const e of cs.instances) assert.ok(e.height < cs.height, 'no entry for an unwound frame');
      checks++;
      return [];
    });
    const instances = [0, 1, 2].map((id) =>
      instantiate(store, module, imports({
        t: {
          e: tagInstance.exports.get('e')!,
          plan: { kind: 'memory', memory: plan },
          funcs: { kind: 'table', table: funcs },
          id: { kind: 'global', global: createGlobal({ type: 'i32', mutable: false }, i32(id + 1)) },
          check: { kind: 'func', func: check },
        },
      }), ['A', 'B', 'C'][id]),
    );
    instances.forEach((inst, i) => (funcs.elements[i] = inst.exportedFunc('f')));

    fc.assert(
      fc.property(fc.nat(2), fc.array(stepArb, { maxLength: 12 }), (entry, steps) => {
        const view = plan.view;
        view.setUint32(0, steps.length, true);
        steps.forEach((s, d) => {
          plan.u8[4 + 4 * d] = s.target;
          plan.u8[5 + 4 * d] = s.tail ? 1 : 0;
          plan.u8[6 + 4 * d] = s.catchMode;
        });
        // The model: which frames remain (a tail call replaces its frame), who throws and who catches.
        const runsIn = [entry];
        for (const s of steps) runsIn.push(s.target);
        const alive: number[] = [];
        for (let d = 0; d < steps.length; d++) if (!steps[d].tail) alive.push(d);
        alive.push(steps.length); // the thrower
        const payload = runsIn[steps.length] + 1;
        let catcherAt = -1; // index into alive
        for (let k = alive.length - 2; k >= 0; k--) if (steps[alive[k]].catchMode !== 0) { catcherAt = k; break; }
        const inst = (k: number) => instances[runsIn[alive[k]]];
        // Each remaining frame below the thrower or catcher has its $next above it, in its instance.
        const framesBelow = (n: number) => alive.slice(0, n).flatMap((_, k) => [inst(k), inst(k)]);
        expectedAtCheck = catcherAt < 0 ? null : {
          height: 2 * catcherAt + 2,
          instances: [...framesBelow(catcherAt), inst(catcherAt), null],
        };
        checks = 0;

        const ex = store.begin(instances[entry].exportedFunc('f'), [i32(0)]);
        const r = ex.run();
        const cs = store.callStack;
        try {
          if (catcherAt < 0) {
            // Uncaught: the run ends like a trap, with every remaining frame still there, the thrower on top.
            assert.strictEqual(r.status, 'trapped');
            const trap = (r as { trap: unknown }).trap;
            assert.ok(trap instanceof UncaughtException);
            assert.strictEqual(trap.message, `uncaught exception tags!e(i32 ${payload})`);
            const expected = [...framesBelow(alive.length - 1), inst(alive.length - 1)];
            assert.strictEqual(cs.height, expected.length);
            for (let h = 0; h < expected.length; h++) assert.strictEqual(cs.instanceAt(h), expected[h], `instance of frame ${h}`);
            ex.unwind();
          } else {
            let v = Math.imul(payload, 1000) + runsIn[alive[catcherAt]] + 1;
            for (let k = catcherAt; k >= 0; k--) v = (Math.imul(v, 4) + runsIn[alive[k]] + 1) | 0;
            assert.deepStrictEqual(r, { status: 'done', results: [i32(v)] });
            assert.strictEqual(checks, 1);
          }
          assert.strictEqual(cs.height, 0);
          assert.strictEqual(cs.instanceEntryCount, 0);
        } finally {
          if (cs.height > 0) ex.unwind(); // a failed run must not leave frames for the next one
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('exceptions: tags, payloads and stops', () => {
  const THROWER = `(module
    (tag $overflow (export "overflow") (param i32 i64))
    (func (export "throw") (param i32)
      (throw $overflow (local.get 0) (i64.const -5)))
    (func (export "catch") (param $f funcref) (result i32)
      (block $h (result i32 i64)
        (try_table (catch $overflow $h) (call $call_it (local.get $f)))
        (return (i32.const -1)))
      (drop))
    (type $v (func (param i32)))
    (table $t 1 funcref)
    (func $call_it (param funcref)
      (table.set $t (i32.const 0) (local.get 0))
      (call_indirect $t (type $v) (i32.const 7) (i32.const 0))))`;

  it('compares tags by identity: two instances of one module throw different exceptions; an imported tag is the exporter\'s', async () => {
    const m = await assemble(THROWER);
    const store = new Store();
    const one = instantiate(store, m, () => undefined, 'one');
    const two = instantiate(store, m, () => undefined, 'two');
    const fn = (inst: Instance, name: string): Value => ({ type: 'funcref', value: inst.exportedFunc(name) });
    assert.deepStrictEqual(store.invoke(one.exportedFunc('catch'), [fn(one, 'throw')]), [i32(7)]);
    assert.throws(() => store.invoke(one.exportedFunc('catch'), [fn(two, 'throw')]), (e: unknown) =>
      e instanceof UncaughtException && e.message === 'uncaught exception two!overflow(i32 7, i64 -5)' && e.exception.tag === two.tags[0]);

    const importer = await assemble(`(module
      (import "one" "overflow" (tag $o (param i32 i64)))
      (func (export "throw") (param i32) (throw $o (local.get 0) (i64.const 1))))`);
    const three = instantiate(store, importer, (imp) => one.exports.get(imp.name), 'three');
    assert.strictEqual(three.tags[0], one.tags[0]);
    assert.deepStrictEqual(store.invoke(one.exportedFunc('catch'), [fn(three, 'throw')]), [i32(7)]);
  });

  it('rethrows with throw_ref, traps on a null exnref, and passes exnref payloads through catch_ref', async () => {
    const m = await assemble(`(module
      (tag $e (param i32))
      (func (export "roundtrip") (param i32) (result i32)
        (block $outer (result i32)
          (try_table (catch $e $outer)
            (block $h (result i32 exnref)
              (try_table (catch_ref $e $h) (throw $e (local.get 0)))
              (unreachable))
            (throw_ref))
          (unreachable)))
      (func (export "null") (throw_ref (ref.null exn))))`);
    const store = new Store();
    const inst = instantiate(store, m, () => undefined, 'm');
    assert.deepStrictEqual(store.invoke(inst.exportedFunc('roundtrip'), [i32(42)]), [i32(42)]);
    assert.throws(() => store.invoke(inst.exportedFunc('null'), []), (e: unknown) => e instanceof Error && e.message === 'null exception reference' && !(e instanceof UncaughtException));
  });

  it('stops before unwinding at a throw no handler catches, or at every throw, and resumes the throw from there', async () => {
    const m = await assemble(`(module
      (tag $e (param i32))
      (func $thrower (param i32) (throw $e (local.get 0)))
      (func (export "caught") (result i32)
        (block $h (result i32)
          (try_table (catch $e $h) (call $thrower (i32.const 3)))
          (i32.const 0)))
      (func (export "uncaught") (call $thrower (i32.const 4))))`);
    const store = new Store();
    const inst = instantiate(store, m, () => undefined, 'm');
    store.stopOnThrow = 'uncaught';
    let ex = store.begin(inst.exportedFunc('caught'), []);
    assert.deepStrictEqual(ex.run(), { status: 'done', results: [i32(3)] });

    ex = store.begin(inst.exportedFunc('uncaught'), []);
    assert.deepStrictEqual(ex.run(), { status: 'paused', reason: 'exception' });
    assert.strictEqual(ex.thrown?.caught, false);
    assert.strictEqual((ex.thrown?.exception as Exception).describe(), 'm!e(i32 4)');
    assert.deepStrictEqual([0, 1].map((h) => ex.frame(h).func.name), ['uncaught', 'thrower']);
    const r = ex.run();
    assert.strictEqual(r.status, 'trapped');
    assert.strictEqual(store.callStack.height, 2, 'the stack stays at the throw');
    ex.unwind();

    store.stopOnThrow = 'all';
    ex = store.begin(inst.exportedFunc('caught'), []);
    assert.deepStrictEqual(ex.run(), { status: 'paused', reason: 'exception' });
    assert.strictEqual(ex.thrown?.caught, true);
    assert.strictEqual(store.callStack.height, 2);
    assert.deepStrictEqual(ex.run(), { status: 'done', results: [i32(3)] });
  });

  it('lets an exception pass through a host function that called back into wasm', async () => {
    const m = await assemble(`(module
      (import "host" "call" (func $call))
      (tag $e (param i32))
      (func (export "throw") (throw $e (i32.const 9)))
      (func (export "main") (result i32)
        (block $h (result i32)
          (try_table (catch $e $h) (call $call))
          (i32.const 0))))`);
    const store = new Store();
    let inst: Instance | null = null;
    const call = hostFunction({ params: [], results: [] }, 'call', (_args, ctx) => ctx.invoke(inst!.exportedFunc('throw'), []));
    inst = instantiate(store, m, imports({ host: { call: { kind: 'func', func: call } } }), 'm');
    assert.deepStrictEqual(store.invoke(inst.exportedFunc('main'), []), [i32(9)]);
    assert.strictEqual(store.callStack.height, 0);
  });

  // return_call, return_call_indirect and return_call_ref each replace the frame whose handler would catch.
  for (const tailCall of ['(return_call $call)', '(return_call_indirect $table (type $f) (i32.const 0))', '(return_call_ref $f (ref.func $call))']) {
    it(`does not catch in a frame that reached the host function the exception came through by ${tailCall.slice(1, tailCall.indexOf(' '))}`, async () => {
      const m = await assemble(`(module
        (type $f (func (result i32)))
        (import "host" "call" (func $call (type $f)))
        (table $table funcref (elem $call))
        (tag $e (param i32))
        (func (export "throw") (throw $e (i32.const 9)))
        (func $tail (result i32)
          (block $h (result i32)
            (try_table (catch $e $h) ${tailCall})
            (unreachable))
          (i32.add (i32.const 1000)))
        (func (export "main") (result i32)
          (block $h (result i32)
            (try_table (result i32) (catch $e $h) (call $tail)))))`);
      const store = new Store();
      let inst: Instance | null = null;
      const call = hostFunction({ params: [], results: ['i32'] }, 'call', (_args, ctx) => ctx.invoke(inst!.exportedFunc('throw'), []));
      inst = instantiate(store, m, imports({ host: { call: { kind: 'func', func: call } } }), 'm');
      assert.deepStrictEqual(store.invoke(inst.exportedFunc('main'), []), [i32(9)]);
      assert.strictEqual(store.callStack.height, 0);
      assert.strictEqual(store.callStack.instanceEntryCount, 0);
    });
  }
});
