// Differential fuzzing against binaryen's interpreter (`npm run fuzz -- --oracle binaryen`): its
// import semantics reproduced in our runner on a hand-written module, the reading of its output,
// and a short fixed-seed round of binaryen's translate-to-fuzz modules.

import * as assert from 'assert';
import { compareWithBinaryen } from '../fuzz/compare';
import { EXTRA_FEATURES, FUZZ_FEATURES, featureFlags } from '../fuzz/generate';
import { binaryenOutput, canonicalValue, generateAndRun, parseBinaryenOutput } from '../fuzz/runBinaryen';
import { externPayload, runOursBinaryen } from '../fuzz/runOursBinaryen';
import { Module, loadModule } from '../src/engine';
import { assembleWat } from '../src/text/assemble';

const SEEDS = [1, 2, 3];
/** Seeds whose modules, made with every feature, leave exceptions of binaryen's two tags and of their own tags uncaught. */
const EXCEPTION_SEEDS = [1010, 1027, 1039];

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

// Exceptions under binaryen's harness: its two tags, host errors as jstag exceptions the module
// catches, call-export-catch catching any wasm exception (not a trap), tag names as binaryen gives
// them (the name section's, or tag$N counting defined tags), and exnref refused at the JS boundary.
const EXCEPTIONS_MODULE = `(module
  (import "fuzzing-support" "log-i32" (func $log (param i32)))
  (import "fuzzing-support" "throw" (func $throw (param i32)))
  (import "fuzzing-support" "call-export" (func $callExport (param i32 i32)))
  (import "fuzzing-support" "call-export-catch" (func $catch (param i32) (result i32)))
  (import "fuzzing-support" "wasmtag" (tag $wasmtag (param i32)))
  (import "fuzzing-support" "jstag" (tag $jstag (param externref)))
  (tag $boom (param i32 i64 v128))
  (tag (param f64))
  (func (export "throws-boom") (throw $boom (i32.const 7) (i64.const -1) (v128.const i32x4 1 2 3 4)))
  (func (export "throws-unnamed") (throw 3 (f64.const 1.5)))
  (func (export "throw-import") (call $throw (i32.const 42)))
  (func (export "throw-import-zero") (call $throw (i32.const 0)))
  (func (export "catches-js-error") (result externref)
    (block $h (result externref)
      (try_table (catch $jstag $h) (call $callExport (i32.const 99) (i32.const 0)))
      (ref.null extern)))
  (func (export "catches-wasmtag") (result i32)
    (block $h (result i32)
      (try_table (catch $wasmtag $h) (call $throw (i32.const 5)))
      (i32.const -1)))
  (func (export "catch-export-catches-tag") (call $log (call $catch (i32.const 0))))
  (func (export "returns-exnref") (result exnref)
    (block $h (result exnref)
      (try_table (catch_all_ref $h) (throw $boom (i32.const 1) (i64.const 2) (v128.const i64x2 0 0)))
      (ref.null exn)))
  (func (export "refuses-exnref") (call $log (call $catch (i32.const 7))))
  (func (export "trap-not-caught")
    (block $h (try_table (catch_all $h) (call $log (call $catch (i32.const 10))))))
  (func (export "traps") unreachable))`;

const EXCEPTIONS_TRACE = [
  'call throws-boom', 'exception boom 7 -1 v128 00000001 00000002 00000003 00000004',
  'call throws-unnamed', 'exception tag$1 1.5',
  'call throw-import', 'exception wasmtag 42',
  'call throw-import-zero', 'exception jstag jserror',
  'call catches-js-error', 'result jserror',
  'call catches-wasmtag', 'result 5',
  'call catch-export-catches-tag', 'log 1',
  'call returns-exnref', 'result object(null)',
  'call refuses-exnref', 'log 1',
  // neither call-export-catch nor catch_all catches a trap
  'call trap-not-caught', 'trap',
  'call traps', 'trap',
];

/** Our runner's trace of `module`, checked to be the same interpreted and with the compiled tier. */
function runOursTiers(module: Module): string[] {
  const interpreted: string[] = [];
  const compiled: string[] = [];
  runOursBinaryen(module, interpreted, 'off');
  runOursBinaryen(module, compiled, 'always');
  assert.deepStrictEqual(compiled, interpreted, 'the compiled tier gives the interpreter\'s trace');
  return interpreted;
}

describe('differential fuzzing against binaryen\'s interpreter', function () {
  this.timeout(180_000);

  it('our runner gives the fuzzing-support imports binaryen\'s semantics, and both traces are the expected one', async () => {
    const bytes = await assemble(IMPORTS_MODULE);
    const module = await loadModule(bytes);
    const ours = runOursTiers(module);
    assert.deepStrictEqual(ours, IMPORTS_TRACE);
    const binaryen = parseBinaryenOutput(await binaryenOutput(bytes, FUZZ_FEATURES), module.exports);
    assert.deepStrictEqual(binaryen, IMPORTS_TRACE);
  });

  it('exceptions: binaryen\'s tags and host errors as wasm exceptions, the same in our runner and in binaryen', async () => {
    const bytes = await assemble(EXCEPTIONS_MODULE);
    const module = await loadModule(bytes);
    const ours = runOursTiers(module);
    assert.deepStrictEqual(ours, EXCEPTIONS_TRACE);
    const features = featureFlags(['exceptions']);
    assert.deepStrictEqual(parseBinaryenOutput(await binaryenOutput(bytes, features), module.exports), EXCEPTIONS_TRACE);
  });

  it('an exception leaving the start function, a host error from an import called while instantiating included, is `instantiation threw`', async () => {
    const start = (body: string) => `(module
      (import "fuzzing-support" "call-export-catch" (func $catch (param i32) (result i32)))
      (import "fuzzing-support" "call-export" (func $callExport (param i32 i32)))
      (tag $t (param i32))
      (func $start ${body})
      (start $start))`;
    for (const body of ['(throw $t (i32.const 1))', '(call $callExport (i32.const 0) (i32.const 0))', '(drop (call $catch (i32.const 0))) unreachable']) {
      const bytes = await assemble(start(body));
      const module = await loadModule(bytes);
      const ours = runOursTiers(module);
      const binaryen = parseBinaryenOutput(await binaryenOutput(bytes, featureFlags(['exceptions'])), module.exports);
      const expected = body.endsWith('unreachable') ? ['instantiation trapped'] : ['instantiation threw'];
      assert.deepStrictEqual({ body, ours, binaryen }, { body, ours: expected, binaryen: expected });
    }
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
    const exports = [{ name: 'f', kind: 'func' as const }, { name: 'g', kind: 'func' as const }];
    const thrown = '[fuzz-exec] export f\n[exception thrown: tag$0 1 i32x4 0x00000001 0x00000000 0x00000000 0x00000000 -inf]\n'
      + '[fuzz-exec] export g\n[exception thrown: imported-js-tag jserror]\n';
    assert.deepStrictEqual(parseBinaryenOutput(thrown, exports),
      ['call f', 'exception tag$0 1 v128 00000001 00000000 00000000 00000000 -Infinity', 'call g', 'exception jstag jserror']);
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

  it(`seeds ${EXCEPTION_SEEDS.join(', ')}, made with every feature: the same trace, exceptions left uncaught included`, async () => {
    const features = featureFlags(Object.keys(EXTRA_FEATURES));
    const tags = new Set<string>();
    for (const seed of EXCEPTION_SEEDS) {
      const { bytes, output } = await generateAndRun(seed, features);
      if (output instanceof Error) assert.fail(`seed ${seed}: binaryen's interpreter failed: ${output.message}`);
      const outcome = await compareWithBinaryen(bytes, output, []);
      if (outcome.kind !== 'same') assert.fail(`seed ${seed}: ${outcome.kind}: ${outcome.reason}`);
      for (const line of outcome.trace) if (line.startsWith('exception ')) tags.add(line.split(' ')[1]);
    }
    for (const tag of ['jstag', 'wasmtag', 'tag$0', 'tag$1', 'tag$2']) assert.ok(tags.has(tag), `an exception of ${tag} is compared (seen: ${[...tags].join(', ')})`);
  });
});
