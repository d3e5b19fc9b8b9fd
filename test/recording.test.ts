// Going back in time in the engine (src/engine/recording.ts, checkpoint.ts, moment.ts): a program
// of two instances with memory, globals, a table, GC objects and WASI calls (random bytes, the
// clock, output) is recorded while it runs in slices; going back to moments seen on the way shows
// exactly the state seen then, replays host calls without calling the host again, and running on
// from there ends with the same results.

import * as assert from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Recording, compareMoments, momentOf, type Execution, type Moment } from '../src/engine';
import { loadProgram, type Program } from '../src/program/launch';

const LIB = `(module $lib
  (type $cell (struct (field $value (mut i32)) (field $next (ref null $cell))))
  (global $total (export "total") (mut i32) (i32.const 0))
  (global $cells (mut (ref null $cell)) (ref.null $cell))
  (table $t (export "table") 4 funcref)
  (func $id (export "id") (param i32) (result i32) (local.get 0))
  ;; Adds $v to the total, to a new cell at the head of the list, and to every cell's value.
  (func (export "add") (param $v i32) (result i32)
    (local $c (ref null $cell))
    (global.set $total (i32.add (global.get $total) (local.get $v)))
    (global.set $cells (struct.new $cell (local.get $v) (global.get $cells)))
    (local.set $c (global.get $cells))
    (block $done
      (loop $next
        (br_if $done (ref.is_null (local.get $c)))
        (struct.set $cell $value (local.get $c) (i32.add (struct.get $cell $value (local.get $c)) (i32.const 1)))
        (local.set $c (struct.get $cell $next (local.get $c)))
        (br $next)))
    (table.set $t (i32.rem_u (local.get $v) (i32.const 4)) (ref.func $id))
    (global.get $total))
  (func (export "sum") (result i32)
    (local $c (ref null $cell)) (local $s i32)
    (local.set $c (global.get $cells))
    (block $done
      (loop $next
        (br_if $done (ref.is_null (local.get $c)))
        (local.set $s (i32.add (local.get $s) (struct.get $cell $value (local.get $c))))
        (local.set $c (struct.get $cell $next (local.get $c)))
        (br $next)))
    (local.get $s))
  (elem declare func $id))`;

const MAIN = `(module $main
  (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "lib" "add" (func $add (param i32) (result i32)))
  (import "lib" "sum" (func $sum (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "tick\\n")
  ;; Twenty rounds: random bytes and the clock into memory, a line of output, a value into lib.
  (func (export "main") (result i32)
    (local $round i32) (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $round) (i32.const 20)))
        (drop (call $random (i32.add (i32.const 256) (i32.shl (local.get $round) (i32.const 3))) (i32.const 8)))
        (drop (call $clock (i32.const 1) (i64.const 0) (i32.const 128)))
        (i32.store (i32.const 0) (i32.const 64))
        (i32.store (i32.const 4) (i32.const 5))
        (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 16)))
        (local.set $acc (i32.add (local.get $acc) (i32.load8_u (i32.add (i32.const 256) (i32.shl (local.get $round) (i32.const 3))))))
        (if (i32.eq (local.get $round) (i32.const 10)) (then (drop (memory.grow (i32.const 1)))))
        (drop (call $add (i32.add (local.get $round) (i32.const 1))))
        (local.set $round (i32.add (local.get $round) (i32.const 1)))
        (br $next)))
    (i32.add (local.get $acc) (call $sum))))`;

interface Seen {
  moment: Moment;
  state: string;
}

/** What a debugger could show at a moment: memories, globals, tables, GC values, every frame's locals and operands. */
function stateOf(program: Program, ex: Execution): string {
  const parts: string[] = [];
  for (const { instance } of program.instances) {
    for (const m of instance.memories) parts.push(`memory ${m.u8.length} ${createHash('sha1').update(m.u8).digest('hex')}`);
    for (const g of instance.globals) parts.push(`global ${JSON.stringify(g.get(), replacer)}`);
    for (const t of instance.tables) parts.push(`table ${t.elements.map((e) => (e === null ? 'null' : 'f')).join('')}`);
  }
  const cs = ex.store.callStack;
  for (let h = 0; h < cs.height; h++) {
    const f = ex.frame(h);
    parts.push(`frame ${f.func.name} @${f.offset} ${JSON.stringify(f.locals(), replacer)} ${JSON.stringify(f.operands(), replacer)}`);
  }
  return parts.join('\n');
}

/** GC values by their contents, so the same struct reads the same at the same moment. */
function replacer(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return `${v}n`;
  if (v && typeof v === 'object' && 'fields' in v) return { fields: (v as { fields: unknown[] }).fields };
  if (v && typeof v === 'object' && 'type' in v && 'name' in v) return `func ${(v as { name: string }).name}`;
  return v;
}

describe('engine: recording a run and going back in time', function () {
  this.timeout(60000);
  let dir = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recording-'));
    fs.writeFileSync(path.join(dir, 'lib.wat'), LIB);
    fs.writeFileSync(path.join(dir, 'main.wat'), MAIN);
  });

  async function start(output: string[]) {
    const program = await loadProgram({
      program: path.join(dir, 'main.wat'),
      imports: { lib: path.join(dir, 'lib.wat') },
      invoke: 'main',
      output: { stdout: (t) => output.push(t), stderr: (t) => output.push(t) },
    });
    const recording = new Recording(program.store, () => program.instances.map((i) => i.instance), { interval: 40, overhead: 0 });
    const ex = program.store.begin(program.entry.func, program.entry.args);
    recording.checkpoint();
    return { program, recording, ex };
  }

  it('shows at every moment gone back to the state seen there, and runs on to the same end without calling the host again', async () => {
    const output: string[] = [];
    const { program, recording, ex } = await start(output);
    const seen: Seen[] = [];
    let result;
    for (let slice = 0; ; slice++) {
      const r = ex.run(3);
      if (r.status === 'done') {
        result = r.results;
        break;
      }
      assert.strictEqual(r.status, 'paused');
      recording.paused(ex);
      if (slice % 5 === 2) seen.push({ moment: momentOf(ex), state: stateOf(program, ex) });
    }
    recording.paused(ex);
    const printed = output.join('');
    assert.strictEqual(printed, 'tick\n'.repeat(20));
    assert.ok(seen.length > 20, `${seen.length} moments seen`);
    assert.ok(recording.checkpointCount > 3, `${recording.checkpointCount} checkpoints`);
    // Moments are ordered as the run went.
    for (let i = 1; i < seen.length; i++) assert.ok(compareMoments(seen[i - 1].moment, seen[i].moment) < 0);

    // Back to each moment, latest first and then in a shuffled order: the same state every time.
    const order = [...seen.keys()].reverse();
    for (let i = 0; i < seen.length; i += 3) order.push((i * 7) % seen.length);
    for (const k of order) {
      recording.goTo(ex, seen[k].moment);
      assert.deepStrictEqual(momentOf(ex), seen[k].moment);
      assert.strictEqual(stateOf(program, ex), seen[k].state, `the state at moment ${k}`);
    }
    // From an early moment the run goes on to the same results; the host printed nothing more.
    recording.goTo(ex, seen[1].moment);
    let again;
    for (;;) {
      const r = ex.run(1000);
      if (r.status === 'done') {
        again = r.results;
        break;
      }
    }
    assert.deepStrictEqual(again, result);
    assert.strictEqual(output.join(''), printed);
  });

  it('keeps the checkpoints within the memory budget by thinning older ones', async () => {
    const { recording, ex } = await start([]);
    const budget = 300 * 1024; // a few memory pages' worth
    (recording as unknown as { budgetBytes: number }).budgetBytes = budget;
    for (;;) {
      const r = ex.run(1);
      if (r.status === 'done') break;
      recording.paused(ex);
      recording.checkpoint();
      assert.ok(recording.checkpointBytes <= budget || recording.checkpointCount <= 2, `${recording.checkpointBytes} bytes in ${recording.checkpointCount} checkpoints`);
    }
  });
});
