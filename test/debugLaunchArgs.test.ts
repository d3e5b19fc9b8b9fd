import * as assert from 'assert';
import * as path from 'path';
import { checkLaunchArgs, LaunchArgError, WatLaunchArguments } from '../src/debug/launchArgs';

const ws = path.resolve(__dirname, '../../testWorkspace');

function failure(args: WatLaunchArguments): string {
  try {
    checkLaunchArgs(args);
  } catch (e) {
    assert.ok(e instanceof LaunchArgError, String(e));
    return e.message;
  }
  assert.fail('the launch arguments were accepted');
}

describe('debug launch arguments', () => {
  it('accepts the three-module app and resolves paths against cwd', () => {
    const config = checkLaunchArgs({
      program: 'app.wat',
      cwd: ws,
      imports: { math: 'math.wat', logger: path.join(ws, 'logger.wat') },
      invoke: 'main',
      args: [10],
      stopOnEntry: true,
      maxCallDepth: 5000,
    });
    assert.strictEqual(config.program, path.join(ws, 'app.wat'));
    assert.strictEqual(config.kind, 'wat');
    assert.deepStrictEqual([...config.imports], [
      ['math', path.join(ws, 'math.wat')],
      ['logger', path.join(ws, 'logger.wat')],
    ]);
    assert.strictEqual(config.invoke, 'main');
    assert.deepStrictEqual(config.args, [10]);
    assert.strictEqual(config.stopOnEntry, true);
    assert.strictEqual(config.maxCallDepth, 5000);
    assert.strictEqual(config.cwd, ws);
  });

  it("defaults cwd to the program's directory", () => {
    const config = checkLaunchArgs({ program: path.join(ws, 'twice.wat'), imports: { left: 'counter.wat', right: 'counter.wat' } });
    assert.strictEqual(config.cwd, ws);
    assert.strictEqual(config.imports.get('left'), path.join(ws, 'counter.wat'));
    assert.strictEqual(config.invoke, null);
    assert.strictEqual(config.stopOnEntry, false);
    assert.strictEqual(config.programArgs, undefined);
    assert.strictEqual(config.unresolvedImports, 'error');
    assert.strictEqual(checkLaunchArgs({ program: path.join(ws, 'host.wat'), unresolvedImports: 'trap' }).unresolvedImports, 'trap');
  });

  it('names the argument at fault', () => {
    assert.strictEqual(failure({}), "launch argument 'program': missing: give the .wat, .wasm or .wast file to run");
    assert.strictEqual(failure({ program: 42 }), "launch argument 'program': expected a file path, got number 42");
    assert.strictEqual(failure({ program: path.join(ws, 'nope.wat') }), `launch argument 'program': file not found: ${path.join(ws, 'nope.wat')}`);
    assert.strictEqual(failure({ program: path.join(ws, 'app.wat'), compiledTier: 'fast' }), `launch argument 'compiledTier': expected "off", "hot", "always", got "fast"`);
    assert.strictEqual(failure({ program: path.join(ws, 'js/main.mjs'), record: true }), "launch argument 'record': a JavaScript program's run cannot be recorded (its JavaScript cannot be replayed); remove record");
    assert.strictEqual(failure({ program: path.join(ws, 'js/main.mjs'), imports: { a: path.join(ws, 'js/a.wat') } }), "launch argument 'imports': a JavaScript program loads its own modules; remove imports");
    assert.strictEqual(failure({ program: path.join(ws, 'js/main.mjs'), args: [1] }), "launch argument 'args[0]': a JavaScript program's command-line arguments are strings, got number 1");
    assert.strictEqual(failure({ program: path.join(ws, 'c/hello.c') }), "launch argument 'program': expected a .wat, .wasm, .wast or JavaScript (.js, .mjs, .cjs) file, got hello.c");
    assert.strictEqual(failure({ program: 'app.wat', cwd: ws, imports: { math: 'maths.wat' } }), `launch argument 'imports.math': file not found: ${path.join(ws, 'maths.wat')}`);
    assert.strictEqual(failure({ program: 'app.wat', cwd: ws, imports: ['math.wat'] }), "launch argument 'imports': expected an object mapping import-module names to files, got an array");
    assert.strictEqual(failure({ program: 'app.wat', cwd: ws, args: [10, { x: 1 }] }), 'launch argument \'args[1]\': expected a number or a string such as "0x10" or "9223372036854775807", got an object');
    assert.strictEqual(failure({ program: 'app.wat', cwd: ws, stopOnEntry: 'yes' }), 'launch argument \'stopOnEntry\': expected true or false, got "yes"');
    assert.strictEqual(failure({ program: 'app.wat', cwd: path.join(ws, 'missing') }), `launch argument 'cwd': directory not found: ${path.join(ws, 'missing')}`);
    assert.strictEqual(failure({ program: 'app.wat', cwd: ws, maxCallDepth: 0 }), "launch argument 'maxCallDepth': expected a whole number from 1 to 100000000, got number 0");
    assert.strictEqual(failure({ program: 'app.wat', cwd: ws, env: { HOME: 1 } }), "launch argument 'env.HOME': expected a string, got number 1");
    assert.strictEqual(failure({ program: 'app.wat', cwd: ws, programArgs: ['a', 2] }), "launch argument 'programArgs[1]': expected a string, got number 2");
    assert.strictEqual(failure({ program: 'example.wast', cwd: ws, programArgs: ['7'] }), "launch argument 'programArgs': a .wast script has no command line; remove programArgs");
    assert.strictEqual(failure({ program: 'example.wast', cwd: ws, invoke: 'main' }), "launch argument 'invoke': a .wast script runs its own commands; remove invoke");
    assert.strictEqual(failure({ program: 'host.wat', cwd: ws, unresolvedImports: true }), 'launch argument \'unresolvedImports\': expected "error" or "trap", got boolean true');
    assert.strictEqual(failure({ program: 'example.wast', cwd: ws, unresolvedImports: 'trap' }), "launch argument 'unresolvedImports': a .wast script links its own modules; remove unresolvedImports");
    assert.strictEqual(failure({ program: 'example.wast', cwd: ws, imports: { m: 'math.wat' } }), "launch argument 'imports': a .wast script makes its own modules; use (register ...) in the script instead");
  });
});
