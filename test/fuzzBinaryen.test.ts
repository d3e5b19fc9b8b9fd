// Differential fuzzing against binaryen's interpreter (`npm run fuzz -- --oracle binaryen`): its
// import semantics reproduced in our runner on a hand-written module, the reading of its output,
// and a short fixed-seed round of binaryen's translate-to-fuzz modules.

import * as assert from 'assert';
import { compareWithBinaryen } from '../fuzz/compare';
import { FUZZ_FEATURES } from '../fuzz/generate';
import { binaryenOutput, canonicalValue, generateAndRun, parseBinaryenOutput } from '../fuzz/runBinaryen';
import { externPayload, runOursBinaryen } from '../fuzz/runOursBinaryen';
import { loadModule } from '../src/engine';
import { assembleWat } from '../src/text/assemble';

const SEEDS = [1, 2, 3];

function assemble(text: string): Promise<Uint8Array> {
  return assembleWat(text, 'imports.wat');
}

// Every import behaviour where binaryen's interpreter differs from JavaScript, one export each.
const IMPORTS_MODULE = `(module
  (import "fuzzing-support" "log-i32" (func $log (param i32)))
  (import "fuzzing-support" "log-i64" (func $log64 (param i64)))
  (import "fuzzing-support" "log-f32" (func $logf32 (param f32)))
  (import "fuzzing-support" "log-f64" (func $logf64 (param f64)))
  (import "fuzzing-support" "call-export" (func $callExport (param i32 i32)))
  (import "fuzzing-support" "call-export-catch" (func $catch (param i32) (result i32)))
  (global $g (mut i64) (i64.const -5))
  (func $traps unreachable)
  (func $catchesHostError (call $log (call $catch (i32.const 0))))
  (func $trapPassesCatch (call $log (i32.const 7)) (call $log (call $catch (i32.const 1))))
  (func $takesI64 (param i64) (result i64) (i64.add (local.get 0) (i64.const 1)))
  (func $refusesI64 (call $log (call $catch (i32.const 4))))
  (func $uncaughtHostError (call $callExport (i32.const 99) (i32.const 0)))
  (func $values (result i32 i64 f64 f32 v128)
    (i32.const -1) (i64.const -9223372036854775808) (f64.const 0x1p64) (f32.const 1000)
    (v128.const i32x4 1 2 3 0xffffffff))
  (func $logs
    (call $log64 (i64.const 0x123456789))
    (call $logf64 (f64.const 0.1))
    (call $logf32 (f32.const -0))
    (call $logf64 (f64.const 1e21)))
  (func $setsG (global.set $g (i64.const 12345678901234)))
  (func $callsBack (call $callExport (i32.const 8) (i32.const 1)))
  (export "g" (global $g))
  (export "traps" (func $traps))
  (export "catches-host-error" (func $catchesHostError))
  (export "trap-passes-catch" (func $trapPassesCatch))
  (export "takes-i64" (func $takesI64))
  (export "refuses-i64" (func $refusesI64))
  (export "uncaught-host-error" (func $uncaughtHostError))
  (export "values" (func $values))
  (export "logs" (func $logs))
  (export "sets-g" (func $setsG))
  (export "calls-back" (func $callsBack))
  (export "g-after" (global $g)))`;

const LOGS = ['log 4886718345', 'log 0.1', 'log -0', 'log 1000000000000000000000'];

const IMPORTS_TRACE = [
  'global g = -5',
  'call traps', 'trap',
  // export 0 is a global: calling it is a host error, which call-export-catch catches
  'call catches-host-error', 'log 1',
  // a trap is not catchable: it ends the top-level call
  'call trap-passes-catch', 'log 7', 'trap',
  'call takes-i64', 'result 1',
  // JavaScript cannot pass an i64 (binaryen's harness would pass 0, not 0n)
  'call refuses-i64', 'log 1',
  'call uncaught-host-error', 'exception jstag jserror',
  'call values', 'result -1, -9223372036854775808, 18446744073709551616, 1000, v128 00000001 00000002 00000003 ffffffff',
  'call logs', ...LOGS,
  'call sets-g',
  'call calls-back', ...LOGS,
  'global g-after = 12345678901234',
];

describe('differential fuzzing against binaryen\'s interpreter', function () {
  this.timeout(180_000);

  it('our runner gives the fuzzing-support imports binaryen\'s semantics, and both traces are the expected one', async () => {
    const bytes = await assemble(IMPORTS_MODULE);
    const module = await loadModule(bytes);
    const ours: string[] = [];
    runOursBinaryen(module, ours);
    assert.deepStrictEqual(ours, IMPORTS_TRACE);
    const binaryen = parseBinaryenOutput(await binaryenOutput(bytes, FUZZ_FEATURES), module.exports);
    assert.deepStrictEqual(binaryen, IMPORTS_TRACE);
  });

  it('reads binaryen\'s values: floats exactly, NaNs without payload, v128 lanes, references as printed', () => {
    assert.strictEqual(canonicalValue('1e3'), '1000');
    assert.strictEqual(canonicalValue('-3402823466385288598117041e14'), '-340282346638528859811704183484516925440');
    assert.strictEqual(canonicalValue('18446744073709551615'), '18446744073709551616'); // 2^64, printed saturated
    assert.strictEqual(canonicalValue('9223372036854775807'), '9223372036854775807'); // an i64 stays exact
    assert.strictEqual(canonicalValue('0.10000000149011612'), '0.10000000149011612');
    assert.strictEqual(canonicalValue('1.5e-07'), '1.5e-7');
    assert.strictEqual(canonicalValue('-nan:0x8000000000000'), 'nan');
    assert.strictEqual(canonicalValue('-inf'), '-Infinity');
    assert.strictEqual(canonicalValue('i32x4 0x00007648 0x00000000 0xffff0001 0xffffffff'), 'v128 00007648 00000000 ffff0001 ffffffff');
    assert.strictEqual(canonicalValue('externref(105)'), 'externref(105)');
    assert.strictEqual(externPayload('__fuzz_import', 'extern$'), 105);
  });

  it('a line binaryen is not known to print is an error naming it, not a silent skip', () => {
    assert.throws(() => parseBinaryenOutput('[fuzz-exec] export f\n[something new]\n', [{ name: 'f', kind: 'func' }]),
      /binaryen's output line 2: "\[something new\]": not a line binaryen's interpreter is known to print/);
  });

  it('a module ours rejects counts as unsupported when made with a feature ours does not run yet, else as a divergence', async () => {
    // A function body with 0xfb 0x7f, a GC-prefixed opcode that does not exist.
    const bytes = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 6, 1, 4, 0, 0xfb, 0x7f, 0x0b]);
    const unsupported = await compareWithBinaryen(bytes, '', ['gc']);
    assert.strictEqual(unsupported.kind, 'unsupported');
    assert.match((unsupported as { reason: string }).reason, /^ours rejects the module: .* \(made with gc\)$/);
    assert.strictEqual((await compareWithBinaryen(bytes, '', [])).kind, 'divergence');
  });

  it(`seeds ${SEEDS.join(', ')}: our engine and binaryen's interpreter leave the same trace, with results and logged values`, async () => {
    for (const seed of SEEDS) {
      const { bytes, output } = await generateAndRun(seed, FUZZ_FEATURES);
      if (output instanceof Error) assert.fail(`seed ${seed}: binaryen's interpreter failed: ${output.message}`);
      const outcome = await compareWithBinaryen(bytes, output, []);
      if (outcome.kind !== 'same') assert.fail(`seed ${seed}: ${outcome.kind}: ${outcome.reason}`);
      const count = (prefix: string) => outcome.trace.filter((l) => l.startsWith(prefix)).length;
      assert.ok(count('call ') >= 3 && count('result ') >= 1, `seed ${seed} calls exports and compares results: ${outcome.trace.join(' | ')}`);
      if (seed === 1) assert.ok(count('log ') >= 10, `seed 1 compares logged values: ${outcome.trace.join(' | ')}`);
    }
  });
});
