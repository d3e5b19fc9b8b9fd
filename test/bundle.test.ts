// The esbuild bundles that go into the .vsix are self-contained: the debug adapter runs from a
// folder with no node_modules in reach (everything it needs inside), and the extension needs
// nothing but Node's own modules and `vscode`, which the editor provides.
import * as assert from 'assert';
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as os from 'os';
import * as path from 'path';
import { DebugClient } from '@vscode/debugadapter-testsupport';

const root = path.resolve(__dirname, '..', '..');
const workspace = path.join(root, 'testWorkspace');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildOptions } = require(path.join(root, 'scripts', 'build-extension.js')) as {
  buildOptions: () => Array<{ entryPoints: string[]; outfile: string }>;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const esbuild = require('esbuild') as { build: (options: object) => Promise<unknown> };

describe('bundles: dist/extension.js, dist/debugAdapter.js and dist/coreWorker.js are self-contained', function () {
  this.timeout(60000);
  let outDir: string;
  const bundle = (name: string) => path.join(outDir, name);

  before(async () => {
    // Outside the project, so a require() of anything in node_modules would fail.
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-bundle-'));
    await Promise.all(
      buildOptions().map((options) =>
        esbuild.build({ ...options, outfile: bundle(path.basename(options.outfile)), sourcemap: false, logLevel: 'silent' }),
      ),
    );
  });

  after(() => fs.rmSync(outDir, { recursive: true, force: true }));

  for (const name of ['extension.js', 'debugAdapter.js', 'coreWorker.js']) {
    it(`${name} requires only Node's modules${name === 'extension.js' ? ' and vscode' : ''}`, () => {
      const text = fs.readFileSync(bundle(name), 'utf8');
      const required = new Set([...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]));
      const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
      const foreign = [...required].filter((m) => !builtins.has(m) && !(name === 'extension.js' && m === 'vscode'));
      assert.deepStrictEqual(foreign, []);
      if (name === 'extension.js') assert.ok(required.has('vscode'), 'vscode stays external');
    });
  }

  it('the bundled adapter debugs app.wat from a folder without node_modules: stops on entry in app!main', async () => {
    const dc = new DebugClient('node', bundle('debugAdapter.js'), 'wat');
    dc.defaultTimeout = 20000;
    await dc.start();
    try {
      await dc.initializeRequest({ adapterID: 'wat', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
      const launched = dc.launch({
        program: path.join(workspace, 'app.wat'),
        imports: { math: path.join(workspace, 'math.wat'), logger: path.join(workspace, 'logger.wat') },
        invoke: 'main',
        args: [10],
        stopOnEntry: true,
      });
      await dc.waitForEvent('initialized');
      const stopped = dc.waitForEvent('stopped'); // listen before it can happen
      await dc.configurationDoneRequest();
      await launched;
      assert.strictEqual((await stopped).body.reason, 'entry');
      const { body } = await dc.stackTraceRequest({ threadId: 1, startFrame: 0, levels: 20 });
      const line = fs.readFileSync(path.join(workspace, 'app.wat'), 'utf8').split('\n')
        .findIndex((l) => l.includes('(local.set $f (call $fib (local.get $n)))')) + 1;
      assert.deepStrictEqual(body.stackFrames.map((f) => `${f.name} ${f.source?.name}:${f.line}`), [`app!main app.wat:${line}`]);
    } finally {
      await dc.stop();
    }
  });
});
