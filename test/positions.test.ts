// The source map must agree with the decoder for every function of every text module of the
// WebAssembly spec test suite (DESIGN.md, "Positions"): each decoded instruction paired with a token
// of the same name.

import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decodeModule } from '../src/engine';
import { assembleWat } from '../src/text/assemble';
import { generatedText } from '../src/text/generatedText';
import { PositionTally, checkModulePositions } from '../src/text/positionCheck';
import { ScriptModule, parseScript } from '../src/text/wast';
import { locateSuite } from '../src/program/script';

const suite = locateSuite();

function wastFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...wastFiles(full));
    else if (entry.name.endsWith('.wast')) out.push(full);
  }
  return out.sort();
}

/** The modules of a script that are meant to assemble and decode (not the malformed or invalid ones). */
function scriptModules(file: string): ScriptModule[] {
  const script = parseScript(fs.readFileSync(file, 'utf8'), file);
  const modules: ScriptModule[] = [];
  for (const command of script.commands) {
    switch (command.kind) {
      case 'module':
      case 'assert_trap_module':
      case 'assert_unlinkable':
      case 'assert_uninstantiable':
        modules.push(command.module);
    }
  }
  return modules;
}

describe('watdbg test --check-positions', () => {
  it('prints the positions line before the final counts', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watdbg-positions-'));
    try {
      const file = path.join(dir, 'small.wast');
      fs.writeFileSync(
        file,
        [
          '(module',
          '  (func (export "f") (result i32)',
          '    (i32.add (i32.const 1) (i32.const 2)))',
          '  (func (drop (i32.const 0))))',
          '(assert_return (invoke "f") (i32.const 3))',
          ';; a binary module has no text to check',
          '(module binary "\\00asm" "\\01\\00\\00\\00")',
          ';; a SIMD module is checked and runs like any other',
          '(module (func (export "v") (result v128) (v128.const i32x4 1 2 3 4)))',
          '(assert_return (invoke "v") (v128.const i32x4 1 2 3 4))',
          ';; quoted text has no place in the script: counted as not checked',
          '(module quote "(func nop)")',
        ].join('\n'),
      );
      const cli = path.resolve(__dirname, '../src/cli.js');
      const out = execFileSync(process.execPath, [cli, 'test', '--check-positions', file], { encoding: 'utf8' });
      assert.deepStrictEqual(out.trimEnd().split('\n').slice(-3), [
        'position check: 2 text modules; 1 quoted module not checked',
        'positions: 3 functions, 9 instructions, 0 mismatches',
        '6 passed, 0 failed, 0 skipped',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('positions over the spec test suite', function () {
  this.timeout(300_000);

  before(function () {
    if ('missing' in suite) {
      console.log(`    skipped: ${suite.missing}`);
      this.skip();
    }
  });
  const suiteDir = () => (suite as { dir: string }).dir;

  it('pairs every decoded instruction with a token of the same name', async function () {
    const tally = new PositionTally();
    for (const file of wastFiles(suiteDir())) {
      for (const m of scriptModules(file)) {
        if (m.source.kind !== 'text') continue;
        const { text, start } = m.source;
        const bytes = await assembleWat(text, file, { base: start });
        tally.add(checkModulePositions(text, file, decodeModule(bytes), start));
      }
    }
    console.log(`    ${tally.summary()}`);
    assert.deepStrictEqual(tally.mismatches.map((m) => m.message), []);
    // The suite holds over 6000 functions; a run that silently checked few would pass above.
    assert.ok(tally.functions > 5000, `only ${tally.functions} functions checked`);
    assert.ok(tally.instructions > 30000, `only ${tally.instructions} instructions checked`);
  });

  it('maps the generated text of every module (text, binary and quoted) to its binary', async function () {
    const tally = new PositionTally();
    for (const file of wastFiles(suiteDir())) {
      for (const m of scriptModules(file)) {
        const source = m.source;
        const bytes =
          source.kind === 'binary'
            ? source.bytes
            : await assembleWat(source.text, file, source.kind === 'text' ? { base: source.start } : {});
        const module = decodeModule(bytes);
        const { text } = await generatedText(bytes);
        tally.add(checkModulePositions(text, `${file}:${m.start.line}.wat`, module));
      }
    }
    console.log(`    ${tally.summary()}`);
    assert.deepStrictEqual(tally.mismatches.map((m) => m.message), []);
    assert.ok(tally.functions > 5000, `only ${tally.functions} functions checked`);
  });
});
