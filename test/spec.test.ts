import * as path from 'path';
import * as assert from 'assert';
import { collectScripts, locateSuite, runScriptFile, type ScriptReport } from '../src/program/script';

describe('WebAssembly spec test suite', function () {
  this.timeout(15 * 60 * 1000);

  it('passes every script command by the rules of its edition (2.0 for this suite), SIMD included, skipping none', async function () {
    const suite = locateSuite();
    if ('missing' in suite) {
      console.log(`      spec suite skipped: ${suite.missing}`);
      return this.skip();
    }
    const reports: ScriptReport[] = [];
    for (const file of collectScripts([suite.dir])) reports.push(await runScriptFile(file));
    const failures = reports.flatMap((r) => r.failures.map((f) => `${r.file}:${f.line}:${f.column}: ${f.message}`));
    const skips = reports.flatMap((r) => r.skipReasons.map((reason) => `${path.relative(suite.dir, r.file)}: ${reason}`));
    const passed = reports.reduce((n, r) => n + r.passed, 0);
    console.log(`      ${reports.length} scripts: ${passed} passed, ${failures.length} failed, ${skips.length} skipped`);
    assert.deepStrictEqual(failures.slice(0, 30), [], `${failures.length} commands failed`);
    assert.deepStrictEqual(skips, []);
    const nothingPassed = reports.filter((r) => r.passed === 0).map((r) => r.file);
    assert.deepStrictEqual(nothingPassed, []);
  });
});
