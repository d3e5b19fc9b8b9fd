import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatF32, formatF64 } from '../src/engine/format';
import { loadProgram } from '../src/program/launch';
import { runProgram, type Outcome } from '../src/program/run';

/** Writes `text` as NAME.wat in a fresh directory and runs `invoke` with `args`; returns what it printed. */
async function runWat(text: string, invoke: string, args: (string | number)[] = []) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watdbg-hosts-'));
  try {
    const file = path.join(dir, 'prog.wat');
    fs.writeFileSync(file, text);
    const stdout: string[] = [];
    const program = await loadProgram({ program: file, invoke, args, output: { stdout: (t) => stdout.push(t), stderr: () => {} } });
    const outcome: Outcome = runProgram(program);
    return { stdout: stdout.join(''), outcome };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const LOGGING = `(module
  (import "console" "log_i32" (func $log_i32 (param i32)))
  (import "console" "log_i64" (func $log_i64 (param i64)))
  (import "console" "log_f32" (func $log_f32 (param f32)))
  (import "console" "log_f64" (func $log_f64 (param f64)))
  (import "console" "log_str" (func $log_str (param i32 i32)))
  (memory 1)
  (data (i32.const 16) "h\\c3\\a9llo \\e2\\9c\\93 \\ff!")
  (func (export "numbers")
    (call $log_i32 (i32.const -7))
    (call $log_i32 (i32.const 0xffffffff))
    (call $log_i64 (i64.const 9223372036854775807))
    (call $log_f32 (f32.const 0.1))
    (call $log_f32 (f32.const -inf))
    (call $log_f32 (f32.const nan:0x200))
    (call $log_f64 (f64.const 0.1))
    (call $log_f64 (f64.const -0))
    (call $log_f64 (f64.const nan)))
  (func (export "str") (param $ptr i32) (param $len i32)
    (call $log_str (local.get $ptr) (local.get $len))))`;

describe('console host module', () => {
  it('log_i32/i64/f32/f64 print one line each, floats as the text format writes them', async () => {
    const { stdout, outcome } = await runWat(LOGGING, 'numbers');
    assert.deepStrictEqual(outcome, { kind: 'returned', values: [] });
    assert.strictEqual(stdout, ['-7', '-1', '9223372036854775807', '0.1', '-inf', 'nan:0x200', '0.1', '-0', 'nan', ''].join('\n'));
  });

  it('log_str prints UTF-8 from the caller\'s memory (invalid bytes as U+FFFD)', async () => {
    const { stdout } = await runWat(LOGGING, 'str', [16, 13]);
    assert.strictEqual(stdout, 'héllo ✓ \ufffd!\n');
    const empty = await runWat(LOGGING, 'str', [65536, 0]);
    assert.strictEqual(empty.stdout, '\n');
  });

  it('log_str with a range outside memory traps with the range and the memory size', async () => {
    const { stdout, outcome } = await runWat(LOGGING, 'str', [65530, 7]);
    assert.strictEqual(stdout, '');
    assert.strictEqual(outcome.kind, 'trapped');
    assert.strictEqual(
      (outcome as { message: string }).message,
      "console.log_str: string of 7 bytes at address 65530 is out of bounds of prog's memory (65536 bytes)",
    );
    const negative = await runWat(LOGGING, 'str', [-1, 2]);
    assert.strictEqual(
      (negative.outcome as { message: string }).message,
      "console.log_str: string of 2 bytes at address 4294967295 is out of bounds of prog's memory (65536 bytes)",
    );
  });

  it('log_str from a module without memory traps saying so', async () => {
    const { outcome } = await runWat(
      '(module (import "console" "log_str" (func $s (param i32 i32))) (func (export "f") (call $s (i32.const 0) (i32.const 1))))',
      'f',
    );
    assert.strictEqual((outcome as { message: string }).message, 'console.log_str: the calling module prog has no memory');
  });

  it('formats floats with the shortest digits that read back exactly', () => {
    assert.strictEqual(formatF32(0x3f800000), '1');
    assert.strictEqual(formatF32(0x3dcccccd), '0.1');
    assert.strictEqual(formatF32(0x7f7fffff), '3.4028235e+38');
    assert.strictEqual(formatF32(0x00000001), '1e-45');
    assert.strictEqual(formatF32(0x80000000), '-0');
    assert.strictEqual(formatF32(0xffc00000), '-nan');
    assert.strictEqual(formatF64(0x3ff8000000000000n), '1.5');
    assert.strictEqual(formatF64(0x7ff0000000000000n), 'inf');
    assert.strictEqual(formatF64(0x7ff0000000000001n), 'nan:0x1');
  });
});
