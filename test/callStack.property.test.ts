// The sparse-instance call stack against the naive model (every frame stores its instance), on
// random sequences of calls within and across instances, host calls, tail calls, returns, traps and
// thrown exceptions caught at any depth of the invocation (or by none).

import * as assert from 'assert';
import * as fc from 'fast-check';
import { CallStack, NaiveCallStack } from '../src/engine/callStack';

type Inst = string | null; // null = host code
const INSTANCES = ['A', 'B', 'C'];

type Op =
  | { kind: 'call'; other: boolean; pick: number }
  | { kind: 'host' } // a call to a host function (its frame runs in no instance)
  | { kind: 'hostInvoke'; pick: number } // the host function calls back into wasm: a nested invocation
  | { kind: 'tail'; other: boolean; pick: number }
  | { kind: 'return' }
  | { kind: 'trap' } // unwinds to where the innermost invocation started
  /** An exception caught by the frame `depth` below the top (unwinding the frames above it), or uncaught beyond the invocation. */
  | { kind: 'throw'; depth: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('call' as const), other: fc.boolean(), pick: fc.nat(2) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'host' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('hostInvoke' as const), pick: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('tail' as const), other: fc.boolean(), pick: fc.nat(2) }) },
  { weight: 4, arbitrary: fc.constant({ kind: 'return' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'trap' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('throw' as const), depth: fc.nat(12) }) },
);

function otherInstance(current: Inst | undefined, pick: number): string {
  const choices = INSTANCES.filter((i) => i !== current);
  return choices[pick % choices.length];
}

describe('call stack with sparse instance attribution', () => {
  it('attributes every frame like the naive model and keeps at most switches + 1 entries', () => {
    fc.assert(
      fc.property(fc.constantFrom(...INSTANCES), fc.array(opArb, { maxLength: 80 }), (entry, ops) => {
        const sparse = new CallStack<number, Inst>();
        const naive = new NaiveCallStack<number, Inst>();
        // Invocation segments: the height each (possibly nested) invocation started at.
        const segments: number[] = [0];
        let fn = 0;
        const both = (f: (s: CallStack<number, Inst> | NaiveCallStack<number, Inst>) => Inst | undefined) => {
          const a = f(sparse);
          const b = f(naive);
          assert.strictEqual(a, b, 'both stacks report the same instance change');
        };
        both((s) => s.push(fn, 0, entry));
        for (const op of ops) {
          const top = naive.current;
          fn++;
          const h = sparse.height;
          switch (op.kind) {
            case 'call':
              if (sparse.height === 0) both((s) => s.push(fn, 0, entry));
              else if (top === null) continue; // host frames only call wasm through an invocation
              else both((s) => s.push(fn, h, op.other ? otherInstance(top, op.pick) : undefined));
              break;
            case 'host':
              if (sparse.height === 0) continue;
              both((s) => s.push(fn, h, null));
              break;
            case 'hostInvoke':
              if (top !== null || sparse.height === 0) continue;
              segments.push(sparse.height);
              both((s) => s.push(fn, h, INSTANCES[op.pick]));
              break;
            case 'tail':
              if (sparse.height === 0 || top === null || sparse.height === segments[segments.length - 1]) continue;
              both((s) => s.replaceTop(fn, h - 1, op.other ? otherInstance(top, op.pick) : undefined));
              break;
            case 'return':
              if (sparse.height === 0) continue;
              both((s) => s.pop());
              if (segments.length > 1 && sparse.height === segments[segments.length - 1]) segments.pop();
              break;
            case 'trap': {
              const base = segments.length > 1 ? segments.pop()! : 0;
              both((s) => s.unwindTo(base));
              break;
            }
            case 'throw': {
              // A throw happens in wasm code: the catching frame is a wasm frame of this invocation.
              if (sparse.height === 0 || top === null) continue;
              const base = segments[segments.length - 1];
              const catcher = h - 1 - op.depth;
              if (catcher < base || naive.instanceAt(catcher) === null) {
                // Uncaught in this invocation: it ends like a trap.
                if (segments.length > 1) segments.pop();
                both((s) => s.unwindTo(base));
              } else {
                both((s) => s.unwindTo(catcher + 1));
              }
              break;
            }
          }
          assert.strictEqual(sparse.height, naive.height);
          assert.strictEqual(sparse.current, naive.current);
          for (let h = 0; h < naive.height; h++) {
            assert.strictEqual(sparse.instanceAt(h), naive.instanceAt(h), `instance of frame ${h}`);
            assert.strictEqual(sparse.funcs[h], naive.frames[h].func, `function of frame ${h}`);
          }
          const limit = naive.height === 0 ? 0 : naive.switches() + 1;
          assert.ok(sparse.instanceEntryCount <= limit, `${sparse.instanceEntryCount} entries for ${naive.switches()} switches`);
          for (const e of sparse.instances) assert.ok(e.height < sparse.height, 'no entry for a frame that no longer exists');
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('keeps one entry for a deep recursion within one instance', () => {
    const s = new CallStack<number, string>();
    s.push(0, 0, 'A');
    for (let i = 1; i < 100_000; i++) assert.strictEqual(s.push(i, i, 'A'), undefined);
    assert.deepStrictEqual(s.instances, [{ height: 0, instance: 'A' }]);
    assert.strictEqual(s.instanceAt(77_777), 'A');
  });

  it('re-points the entry a tail-calling frame introduced, and drops it when it returns to the caller instance', () => {
    const s = new CallStack<string, string>();
    s.push('main', 0, 'A');
    assert.strictEqual(s.push('b.f', 1, 'B'), 'B');
    assert.strictEqual(s.replaceTop('c.g', 1, 'C'), 'C');
    assert.deepStrictEqual(s.instances.map((e) => [e.height, e.instance]), [[0, 'A'], [1, 'C']]);
    assert.strictEqual(s.replaceTop('a.h', 1, 'A'), 'A');
    assert.deepStrictEqual(s.instances.map((e) => [e.height, e.instance]), [[0, 'A']]);
    assert.strictEqual(s.pop(), undefined);
    assert.strictEqual(s.current, 'A');
  });
});
