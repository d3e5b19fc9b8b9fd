// The extension's contributions in package.json are consistent with each other and with the files
// they name: what VS Code would otherwise only report (or silently ignore) when the .vsix is loaded.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const contributes = pkg.contributes ?? {};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bundles } = require(path.join(root, 'scripts', 'build-extension.js')) as { bundles: Record<string, string> };

function readJson(relative: string): any {
  const file = path.join(root, relative);
  assert.ok(fs.existsSync(file), `${relative} (named in package.json) exists`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

const languageIds = (contributes.languages ?? []).map((l: { id: string }) => l.id);
const debuggerContribution = (contributes.debuggers ?? []).find((d: { type: string }) => d.type === 'wat');
const launch = debuggerContribution?.configurationAttributes?.launch;

describe('extension manifest: package.json contributions', () => {
  describe('languages', () => {
    it('wat and wast, by file extension', () => {
      const byId = Object.fromEntries(contributes.languages.map((l: any) => [l.id, l.extensions]));
      assert.deepStrictEqual(byId, { wat: ['.wat'], wast: ['.wast'] });
    });
    for (const language of ['wat', 'wast']) {
      it(`${language}'s language configuration: comments, brackets, auto-closing, folding`, () => {
        const entry = contributes.languages.find((l: any) => l.id === language);
        const config = readJson(entry.configuration);
        assert.deepStrictEqual(config.comments, { lineComment: ';;', blockComment: ['(;', ';)'] });
        assert.deepStrictEqual(config.brackets, [['(', ')']]);
        assert.deepStrictEqual(
          config.autoClosingPairs.map((p: any) => [p.open, p.close]),
          [['(', ')'], ['"', '"']],
        );
        assert.ok(config.folding?.markers?.start && config.folding?.markers?.end, 'folding region markers');
        assert.ok(new RegExp(config.folding.markers.start).test(';; #region helpers'));
        assert.ok(new RegExp(config.folding.markers.end).test('  ;; #endregion'));
      });
    }
    it('the word pattern takes a whole $id, so hovering $n while debugging evaluates $n', () => {
      const config = readJson('language-configuration.json');
      const words = '(local.get $n.count) (i32.add'.match(new RegExp(config.wordPattern, 'g'));
      assert.deepStrictEqual(words, ['local.get', '$n.count', 'i32.add']);
    });
  });

  describe('grammars', () => {
    it('every grammar is for a contributed language, and both languages have one', () => {
      const languages = contributes.grammars.map((g: any) => g.language).sort();
      assert.deepStrictEqual(languages, ['wast', 'wat']);
    });
    for (const grammar of contributes.grammars ?? []) {
      it(`${grammar.language}: ${grammar.path} declares scope ${grammar.scopeName}`, () => {
        const raw = readJson(grammar.path);
        assert.strictEqual(raw.scopeName, grammar.scopeName);
        assert.strictEqual(grammar.scopeName, 'source.wat');
      });
    }
  });

  describe('snippets', () => {
    for (const snippets of contributes.snippets ?? []) {
      it(`${snippets.language}: ${snippets.path} has a prefix, body and description for each snippet`, () => {
        assert.ok(languageIds.includes(snippets.language), `language ${snippets.language} is contributed`);
        const file = readJson(snippets.path);
        assert.ok(Object.keys(file).length > 0);
        for (const [name, snippet] of Object.entries<any>(file)) {
          assert.strictEqual(typeof snippet.prefix, 'string', `${name}.prefix`);
          assert.ok(Array.isArray(snippet.body) && snippet.body.length > 0, `${name}.body`);
          assert.strictEqual(typeof snippet.description, 'string', `${name}.description`);
        }
      });
    }
  });

  describe('debugger', () => {
    it('type "wat", labelled, for both languages', () => {
      assert.strictEqual(debuggerContribution.label, 'WebAssembly (wat-debugger)');
      assert.deepStrictEqual(debuggerContribution.languages, ['wat', 'wast']);
    });
    it('breakpoints can be set in both languages', () => {
      assert.deepStrictEqual(contributes.breakpoints.map((b: any) => b.language).sort(), ['wast', 'wat']);
      for (const b of contributes.breakpoints) assert.ok(languageIds.includes(b.language));
    });
    it('launch requires program', () => assert.deepStrictEqual(launch.required, ['program']));
    it('launch attributes and their JSON types', () => {
      const types = Object.fromEntries(Object.entries<any>(launch.properties).map(([k, v]) => [k, v.type]));
      assert.deepStrictEqual(types, {
        program: 'string',
        imports: 'object',
        invoke: 'string',
        args: 'array',
        stopOnEntry: 'boolean',
        cwd: 'string',
        env: 'object',
        programArgs: 'array',
        stdin: 'string',
        maxCallDepth: 'integer',
        unresolvedImports: 'string',
        record: 'boolean',
        recordingBudget: 'integer',
        compiledTier: 'string',
        trace: 'boolean',
      });
      assert.deepStrictEqual(launch.properties.imports.additionalProperties, { type: 'string' });
      assert.deepStrictEqual(launch.properties.env.additionalProperties, { type: 'string' });
      assert.deepStrictEqual(launch.properties.args.items, { type: ['number', 'string', 'boolean'] });
      assert.deepStrictEqual(launch.properties.programArgs.items, { type: 'string' });
      assert.deepStrictEqual(launch.properties.unresolvedImports.enum, ['error', 'trap']);
      assert.deepStrictEqual(launch.properties.compiledTier.enum, ['off', 'hot', 'always']);
      for (const [name, property] of Object.entries<any>(launch.properties)) {
        assert.ok(property.description?.length > 20, `${name} has a description`);
      }
    });

    it('the schema declares exactly the launch arguments the debug adapter reads', () => {
      const source = fs.readFileSync(path.join(root, 'src', 'debug', 'launchArgs.ts'), 'utf8');
      const body = /export interface WatLaunchArguments \{([^}]*)\}/.exec(source);
      assert.ok(body, 'src/debug/launchArgs.ts declares WatLaunchArguments');
      const read = [...body[1].matchAll(/^\s*(\w+)\?:/gm)].map((m) => m[1]);
      // noDebug is set by VS Code itself (Run Without Debugging), never written in launch.json.
      const expected = read.filter((name) => name !== 'noDebug').sort();
      assert.deepStrictEqual(Object.keys(launch.properties).sort(), expected);
    });

    /** Every key of a configuration is a declared attribute, and the required ones are present. */
    function assertValidConfiguration(config: Record<string, unknown>, where: string): void {
      assert.strictEqual(config.type, 'wat', `${where}: type`);
      assert.strictEqual(config.request, 'launch', `${where}: request`);
      assert.strictEqual(typeof config.name, 'string', `${where}: name`);
      for (const key of Object.keys(config)) {
        if (['type', 'request', 'name'].includes(key)) continue;
        assert.ok(key in launch.properties, `${where}: "${key}" is a declared launch attribute`);
      }
      for (const key of launch.required) assert.ok(key in config, `${where}: required "${key}"`);
    }

    it('initial configurations are valid launch configurations', () => {
      assert.ok(debuggerContribution.initialConfigurations.length > 0);
      debuggerContribution.initialConfigurations.forEach((c: any, i: number) =>
        assertValidConfiguration(c, `initialConfigurations[${i}]`),
      );
    });
    it('configuration snippets are valid launch configurations', () => {
      const snippets = debuggerContribution.configurationSnippets;
      assert.ok(snippets.length >= 3);
      for (const snippet of snippets) {
        assert.ok(snippet.label.startsWith('WebAssembly: '), snippet.label);
        assert.ok(snippet.description);
        assertValidConfiguration(snippet.body, snippet.label);
      }
    });
    it('the example workspace launch.json uses only declared attributes', () => {
      const launchJson = readJson('testWorkspace/.vscode/launch.json');
      launchJson.configurations.forEach((c: any) => assertValidConfiguration(c, `launch.json "${c.name}"`));
    });
  });

  describe('commands, menus and activation', () => {
    const commandIds = (contributes.commands ?? []).map((c: any) => c.command);
    it('"Debug This File" is contributed and registered by the extension', () => {
      assert.deepStrictEqual(commandIds, ['wat-debugger.debugFile']);
      const source = fs.readFileSync(path.join(root, 'src', 'extension.ts'), 'utf8');
      assert.match(source, /DEBUG_FILE_COMMAND = 'wat-debugger\.debugFile'/);
      assert.match(source, /registerCommand\(DEBUG_FILE_COMMAND,/);
    });
    it('menus name only contributed commands, in the editor title and context menus', () => {
      for (const [menu, items] of Object.entries<any[]>(contributes.menus)) {
        for (const item of items) assert.ok(commandIds.includes(item.command), `${menu}: ${item.command}`);
      }
      for (const menu of ['editor/title/run', 'editor/context']) {
        assert.deepStrictEqual(
          contributes.menus[menu].map((m: any) => [m.command, m.when]),
          [['wat-debugger.debugFile', 'resourceLangId == wat || resourceLangId == wast']],
          menu,
        );
      }
    });
    it('activates when a wat debug session is resolved', () => {
      assert.ok(pkg.activationEvents.includes('onDebugResolve:wat'));
      for (const event of pkg.activationEvents) {
        const [, type] = event.split(':');
        if (event.startsWith('onDebug') && type) assert.strictEqual(type, 'wat', event);
      }
    });
    it('categories include Debuggers', () => assert.ok(pkg.categories.includes('Debuggers')));
  });

  describe('bundles and packaging', () => {
    it('main and the debugger program are the esbuild bundles of src/extension.ts and src/debugAdapter.ts', () => {
      assert.strictEqual(path.normalize(pkg.main), path.normalize(bundles['src/extension.ts']));
      assert.strictEqual(path.normalize(debuggerContribution.program), path.normalize(bundles['src/debugAdapter.ts']));
      for (const entry of Object.keys(bundles)) assert.ok(fs.existsSync(path.join(root, entry)), `${entry} exists`);
    });
    it('the .vsix holds the manifest files, bundles and the README screenshot only: no sources, tests, out/ or node_modules', async function () {
      this.timeout(20000);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const vsce = require('@vscode/vsce');
      const files: string[] = await vsce.listFiles({ cwd: root, packageManager: vsce.PackageManager.None });
      const shipped = new Set([
        'package.json',
        'README.md',
        'LICENSE',
        'language-configuration.json',
        ...contributes.grammars.map((g: any) => path.normalize(g.path)),
        ...contributes.snippets.map((s: any) => path.normalize(s.path)),
        ...Object.values(bundles),
        'images/call-stack.png', // the README's screenshot, shown on the extension's page
      ]);
      const unexpected = files.filter((f) => !shipped.has(path.normalize(f)));
      assert.deepStrictEqual(unexpected, []);
      for (const required of ['package.json', 'README.md', 'LICENSE', 'language-configuration.json', 'syntaxes/wat.tmLanguage.json']) {
        assert.ok(files.includes(required), `${required} is packaged`);
      }
    });
  });
});
