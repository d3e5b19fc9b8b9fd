// Differential fuzzing, a short fixed-seed round: binaryen's translate-to-fuzz modules (SIMD
// included) run in our engine (interpreted and with the compiled tier) and in V8 and leave the same trace. `npm run fuzz -- N` runs long rounds.

import * as assert from 'assert';
import { runBoth, sameLine, tierDifference } from '../fuzz/compare';
import { FUZZ_FEATURES, generateModule, randomBytes } from '../fuzz/generate';

const SEEDS = [1, 2, 3];

describe('differential fuzzing against V8', function () {
  this.timeout(120_000);

  it('the random input of a seed is the same every time and differs between seeds', () => {
    assert.deepStrictEqual(randomBytes(7, 16), randomBytes(7, 16));
    assert.notDeepStrictEqual(randomBytes(7, 16), randomBytes(8, 16));
    assert.strictEqual(Buffer.from(randomBytes(1, 8)).toString('hex'), Buffer.from(randomBytes(1, 8)).toString('hex'));
  });

  it('NaNs compare equal whatever their payload, in scalars and in v128 lanes read as f32 or f64', () => {
    assert.ok(sameLine('log v128 7fc00000 00000001 00000002 00000003', 'log v128 ffc00000 00000001 00000002 00000003'));
    assert.ok(sameLine('result v128 00000000 7ff80000 00000001 00000002', 'result v128 00000001 fff80000 00000001 00000002'));
    assert.ok(!sameLine('log v128 7fc00000 00000001 00000002 00000003', 'log v128 7fc00000 00000001 00000002 00000004'));
    assert.ok(!sameLine('log v128 3f800000 00000000 00000000 00000000', 'log v128 7fc00000 00000000 00000000 00000000'));
    assert.ok(!sameLine('log 1', 'log 2'));
  });

  it('the compiled tier\'s trace must equal the interpreter\'s exactly, NaN payloads included', () => {
    const interpreted = ['call f', 'result v128 7fc00000 00000000 00000000 00000000'];
    assert.strictEqual(tierDifference([interpreted, [...interpreted]]), null);
    const nan = ['call f', 'result v128 ffc00000 00000000 00000000 00000000'];
    assert.strictEqual(tierDifference([interpreted, nan])?.reason,
      'line 2: interpreter "result v128 7fc00000 00000000 00000000 00000000", compiled tier (always) "result v128 ffc00000 00000000 00000000 00000000"');
    assert.strictEqual(tierDifference([interpreted, ['call f']])?.reason,
      'line 2: interpreter "result v128 7fc00000 00000000 00000000 00000000", compiled tier (always) "(end)"');
  });

  it(`seeds ${SEEDS.join(', ')} (${FUZZ_FEATURES.length - 1} features, SIMD among them): our engine and V8 leave the same trace`, async () => {
    const modules = await Promise.all(SEEDS.map((seed) => generateModule(seed)));
    for (let i = 0; i < SEEDS.length; i++) {
      const outcome = await runBoth(modules[i]);
      assert.notStrictEqual(outcome.kind, 'invalid', `seed ${SEEDS[i]}: binaryen made a module V8 rejects`);
      if (outcome.kind === 'divergence') assert.fail(`seed ${SEEDS[i]}: ${outcome.reason}`);
      assert.ok(outcome.kind === 'same' && outcome.trace.some((l) => l.startsWith('call ')), `seed ${SEEDS[i]} calls exports`);
    }
  });
});
