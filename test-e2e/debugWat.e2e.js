// End to end in a real VS Code: code-server with our .vsix installed, driven through headless
// Chromium as a person would use it. Run with `npm run test:e2e` (which builds the .vsix first).
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const { setUpCodeServer, startCodeServer } = require('./codeServer');
const { Workbench, waitFor } = require('./workbench');

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const vsix = process.env.WAT_E2E_VSIX ?? path.join(root, `${pkg.name}-${pkg.version}.vsix`);
const workspace = path.join(root, 'testWorkspace');
const screenshots = path.join(root, 'test-output', 'e2e');
const chromiumPath = process.env.WAT_E2E_CHROMIUM ?? '/usr/bin/chromium';

/** The 1-based line of the first line of a testWorkspace file that contains `text`. */
function lineOf(file, text) {
  const lines = fs.readFileSync(path.join(workspace, file), 'utf8').split('\n');
  const index = lines.findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`testWorkspace/${file} no longer contains ${JSON.stringify(text)}`);
  return index + 1;
}

/** A Call Stack row as "instance!function file:line". */
const frameText = (frame) => `${frame.name} ${frame.file}:${frame.line}`;

const settings = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'editor.minimap.enabled': false,
  'editor.stickyScroll.enabled': false,
  'debug.toolBarLocation': 'docked',
};

describe('end to end: wat-debugger in VS Code (code-server + Chromium)', function () {
  // Generous: the machine may be busy, and the first launch assembles three modules.
  this.timeout(180000);
  let server;
  let browser;
  let workbench;
  let runDir;
  let colours; // of math.wat's tokens, by kind
  let failures = 1; // until before() has finished

  /** Continues (F5) until the session ends, then checks the Debug Console shows every expected line. */
  async function continueToEnd(expected) {
    await workbench.page.keyboard.press('F5');
    await waitFor('the debug session to end', async () => !(await workbench.debugging()));
    let output = '';
    await waitFor(`the Debug Console to show ${JSON.stringify(expected)}`, async () => {
      output = (await workbench.debugConsole()).join('\n');
      return expected.every((line) => output.includes(line));
    }).catch((error) => {
      throw new Error(`${error.message}; it shows:\n${output}`);
    });
  }

  before(async function () {
    this.timeout(600000); // the first run sets up code-server
    if (!fs.existsSync(vsix)) throw new Error(`no ${path.relative(root, vsix)}: run \`npm run package\` first (npm run test:e2e does)`);
    if (!fs.existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: apt-get install chromium (or set WAT_E2E_CHROMIUM)`);
    const entry = setUpCodeServer();
    const cache = process.env.WAT_E2E_CACHE ?? path.join(root, '.cache', 'e2e');
    fs.mkdirSync(cache, { recursive: true });
    runDir = fs.mkdtempSync(path.join(cache, 'run-'));
    fs.mkdirSync(screenshots, { recursive: true });
    server = await startCodeServer({ entry, vsix, folder: workspace, runDir, settings });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    workbench = new Workbench(page);
    await workbench.open(server.url);
    failures = 0;
  });

  after(async function () {
    this.timeout(30000);
    if (browser) await browser.close().catch(() => undefined);
    if (server) await server.stop();
    // Keep code-server's log and user data for a look after a failure; otherwise clean up.
    if (runDir && failures === 0) fs.rmSync(runDir, { recursive: true, force: true });
    else if (runDir) console.log(`code-server log and user data kept in ${runDir}`);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') failures++;
    if (this.currentTest?.state === 'failed' && workbench) {
      const name = this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      await workbench.screenshot(path.join(screenshots, `failed-${name}.png`)).catch(() => undefined);
    }
  });

  it('colours math.wat with the grammar: keywords, instructions and $ids each their own colour', async () => {
    await workbench.openFile('math.wat');
    colours = {
      keyword: await workbench.tokenColor('module'),
      control: await workbench.tokenColor('if'),
      instruction: await workbench.tokenColor('local.set'),
      id: await workbench.tokenColor('$n'),
      number: await workbench.tokenColor('1'),
      comment: await workbench.tokenColor((t) => t.startsWith(';; Integer helpers'), 'the first line\'s comment'),
      text: await workbench.tokenColor((t) => t.trim() === '', 'white space (the default text colour)'),
    };
    await workbench.screenshot(path.join(screenshots, 'math-wat-colours.png'));
    const distinct = new Set(Object.values(colours)).size;
    assert.strictEqual(distinct, Object.keys(colours).length, `every kind its own colour: ${JSON.stringify(colours)}`);
    // Other instructions share the instruction colour, other ids the id colour.
    assert.strictEqual(await workbench.tokenColor('i32.const'), colours.instruction);
    assert.strictEqual(await workbench.tokenColor('$current'), colours.id);
  });

  // app.wat (instance "app") calls math.wat ("math") and logger.wat ("logger"); see launch.json.
  const appConfiguration = 'app: three modules (app, math, logger)';
  const gcdLine = lineOf('math.wat', '(if (result i32) (i32.eqz (local.get $b))');
  const fibFirstLine = lineOf('math.wat', '(local.set $current (i32.const 1))');
  const mainFirstLine = lineOf('app.wat', '(local.set $f (call $fib (local.get $n)))');
  const gcdCallLine = lineOf('app.wat', '(local.set $g (call $gcd (local.get $f) (i32.const 60)))');

  it('sets a breakpoint in math.wat with F9', async () => {
    await workbench.openFile('math.wat');
    await workbench.toggleBreakpoint(gcdLine);
    await workbench.page.keyboard.press('Control+Shift+D');
    await waitFor(`math.wat ${gcdLine} in the Breakpoints view`, async () =>
      (await workbench.breakpoints()).some((row) => row.includes('math.wat') && row.includes(String(gcdLine))));
  });

  it('starts the app configuration from the Run and Debug view and stops on entry in app!main', async () => {
    await workbench.startLaunchConfiguration(appConfiguration);
    await workbench.waitForStack([`app!main app.wat:${mainFirstLine}`], frameText);
    await workbench.waitForActiveTab('app.wat');
    await waitFor(`the cursor on app.wat line ${mainFirstLine}`, async () => (await workbench.cursorLine()) === mainFirstLine);
    await workbench.screenshot(path.join(screenshots, '1-stopped-on-entry.png'));
  });

  it('steps into math!fib with F11: the editor switches to math.wat', async () => {
    await workbench.page.keyboard.press('F11');
    await workbench.waitForStack([`math!fib math.wat:${fibFirstLine}`, `app!main app.wat:${mainFirstLine}`], frameText);
    await workbench.waitForActiveTab('math.wat');
    await waitFor(`the cursor on math.wat line ${fibFirstLine}`, async () => (await workbench.cursorLine()) === fibFirstLine);
    await workbench.screenshot(path.join(screenshots, '2-stepped-into-math.png'));
  });

  it('shows the parameter $n = 10 in the Variables view', async () => {
    const variables = await waitFor('$n in the Variables view', async () => {
      const rows = await workbench.variables();
      return rows.some((v) => v.name === '$n') ? rows : false;
    });
    assert.strictEqual(variables.find((v) => v.name === '$n').value, '10');
  });

  it('hovering $n in the editor shows its value', async () => {
    assert.strictEqual(await workbench.debugHover('$n'), '10');
    await workbench.page.keyboard.press('Escape');
  });

  it('continues to the breakpoint in math!gcd, called from app!main, then recursively', async () => {
    await workbench.page.keyboard.press('F5');
    await workbench.waitForStack([`math!gcd math.wat:${gcdLine}`, `app!main app.wat:${gcdCallLine}`], frameText);
    await workbench.page.keyboard.press('F5');
    await workbench.waitForStack(
      [`math!gcd math.wat:${gcdLine}`, `math!gcd math.wat:${gcdLine + 2}`, `app!main app.wat:${gcdCallLine}`],
      frameText,
    );
    await workbench.screenshot(path.join(screenshots, '3-call-stack-with-instances.png'));
  });

  it('goes backwards with the toolbar: Reverse to the previous gcd hit, then Step Back into app!main', async () => {
    await workbench.clickDebugAction('Reverse');
    await workbench.waitForStack([`math!gcd math.wat:${gcdLine}`, `app!main app.wat:${gcdCallLine}`], frameText);
    const variables = await waitFor('$a and $b of the first gcd call', async () => {
      const rows = await workbench.variables();
      return rows.some((v) => v.name === '$a' && v.value === '55') ? rows : false;
    });
    assert.strictEqual(variables.find((v) => v.name === '$b').value, '60');
    await workbench.screenshot(path.join(screenshots, '3b-reverse-continue.png'));
    // Back out of gcd into its caller, on the line that calls it, before $g is set.
    await workbench.clickDebugAction('Step Back');
    await workbench.waitForStack([`app!main app.wat:${gcdCallLine}`], frameText);
    await workbench.waitForActiveTab('app.wat');
    await waitFor(`the cursor on app.wat line ${gcdCallLine}`, async () => (await workbench.cursorLine()) === gcdCallLine);
    const locals = await waitFor('$g in the Variables view', async () => {
      const rows = await workbench.variables();
      return rows.some((v) => v.name === '$g') ? rows : false;
    });
    assert.strictEqual(locals.find((v) => v.name === '$f').value, '55');
    assert.strictEqual(locals.find((v) => v.name === '$g').value, '0');
    // Forward again to the breakpoint: gcd's first call once more.
    await workbench.page.keyboard.press('F5');
    await workbench.waitForStack([`math!gcd math.wat:${gcdLine}`, `app!main app.wat:${gcdCallLine}`], frameText);
  });

  it('removes the breakpoint and continues to the end: the program prints through the logger', async () => {
    await workbench.waitForActiveTab('math.wat');
    await workbench.toggleBreakpoint(gcdLine);
    await waitFor('the breakpoint to leave the Breakpoints view', async () =>
      !(await workbench.breakpoints()).some((row) => row.includes('math.wat')));
    await continueToEnd(['fib(n) = 55', 'gcd(fib(n), 60) = 5', 'n! mod 1000 = 800', 'app!main(10) returned 860']);
  });

  it('debugs a .wasm through its generated text: stops in hello!_start, steps, runs to the end', async () => {
    await workbench.startLaunchConfiguration('c/hello.wasm: C through WASI');
    let entryLine;
    // Each function of the binary has a document of its own, named after the binary and the function.
    await waitFor('hello!_start in hello.wasm/_start.wat', async () => {
      const frames = await workbench.callStack();
      if (frames.length !== 1 || frames[0].name !== 'hello!_start' || frames[0].file !== 'hello.wasm/_start.wat') return false;
      entryLine = frames[0].line;
      return true;
    });
    await workbench.waitForActiveTab('_start.wat');
    // The generated text is WebAssembly text, coloured like math.wat.
    assert.strictEqual(await workbench.tokenColor('func'), colours.keyword);
    assert.strictEqual(await workbench.tokenColor('call'), colours.instruction);
    await workbench.screenshot(path.join(screenshots, '4-wasm-generated-text.png'));

    await workbench.page.keyboard.press('F10');
    await waitFor('a step over to the next line of hello!_start', async () => {
      const [top] = await workbench.callStack();
      return top && top.name === 'hello!_start' && top.line > entryLine;
    });
    await continueToEnd(['argv[1] = 7', 'argv[2] = primes', 'first 7 primes: 2 3 5 7 11 13 17', 'sum = 58']);
  });

  it('stops at a trap in the other module, with the trap message over the trapping line', async () => {
    await workbench.stopDebugging();
    await workbench.startLaunchConfiguration('trap: divide by zero in another module');
    const divideLine = lineOf('math.wat', '(i32.div_s (local.get $dividend) (local.get $divisor)))');
    await workbench.waitForStack(
      [
        `math!divide math.wat:${divideLine}`,
        `trap!average trap.wat:${lineOf('trap.wat', '(call $divide (local.get $total) (local.get $count)))')}`,
        `trap!main trap.wat:${lineOf('trap.wat', '(call $average (call $fill (local.get $from) (local.get $to))))')}`,
      ],
      frameText,
    );
    await workbench.waitForActiveTab('math.wat');
    const widget = workbench.page.locator('.exception-widget');
    await widget.waitFor({ state: 'visible', timeout: 30000 });
    assert.match(await widget.textContent(), /integer divide by zero/);
    await workbench.screenshot(path.join(screenshots, '5-trap.png'));
    await workbench.stopDebugging();
  });

  it('debugs GC structs and an exception across two modules: fields by name, then the handler in the other module', async () => {
    await workbench.stopDebugging();
    const setCountLine = lineOf('shelf.wat', '(struct.set $item $count (local.get $item)');
    const handlerLine = lineOf('shelf.wat', ';; Caught: the missing code is on the stack.') + 1;
    const takeLine = (code) => lineOf('shelf.wat', `(drop (call $take (local.get $list) ${code}))`);
    await workbench.openFile('shelf.wat');
    await workbench.toggleBreakpoint(setCountLine);
    await workbench.startLaunchConfiguration('gc: a list of structs across two modules, a missing item caught');
    await workbench.waitForStack([`shelf!take shelf.wat:${setCountLine}`, `shelf!main shelf.wat:${takeLine('(local.get $code)')}`], frameText);
    // The item stock!find returned: a struct of the other module, shown with its fields by name.
    const item = await waitFor('$item in the Variables view', async () => (await workbench.variables()).find((v) => v.name === '$item'));
    assert.strictEqual(item.value, '$item struct (3 fields)');
    await workbench.expandVariable('$item');
    const fields = await waitFor('the fields of $item', async () => {
      const rows = await workbench.variables();
      return rows.some((v) => v.name === 'count') ? rows : false;
    });
    assert.strictEqual(fields.find((v) => v.name === 'code').value, '101');
    assert.strictEqual(fields.find((v) => v.name === 'count').value, '6');
    await workbench.screenshot(path.join(screenshots, '6-gc-struct-fields.png'));

    // stock!find throws $missing for code 999; shelf!take's handler catches it.
    await workbench.toggleBreakpoint(setCountLine);
    await workbench.openFile('shelf.wat');
    await workbench.toggleBreakpoint(handlerLine);
    await waitFor('only the handler breakpoint in the Breakpoints view', async () => {
      const rows = (await workbench.breakpoints()).filter((row) => row.includes('shelf.wat'));
      return rows.length === 1 && rows[0].includes(String(handlerLine));
    });
    await workbench.page.keyboard.press('F5');
    await workbench.waitForStack([`shelf!take shelf.wat:${handlerLine}`, `shelf!main shelf.wat:${takeLine('(i32.const 999)')}`], frameText);
    await workbench.toggleBreakpoint(handlerLine);
    await continueToEnd(['shelf!main(4, 101) returned 24']);
  });

  it('debugs a JavaScript program: a breakpoint in wasm called from a JavaScript callback, then a click on the [js] frame opens the JavaScript', async () => {
    await workbench.stopDebugging();
    const targetLine = lineOf('js/b.wat', '(call $log (local.get $x))');
    const relayLine = lineOf('js/main.mjs', 'return b.instance.exports.callback_target(x);');
    const callLine = lineOf('js/a.wat', '(call $relay (local.get $doubled))');
    await workbench.openFile('b.wat');
    await workbench.toggleBreakpoint(targetLine);
    await workbench.startLaunchConfiguration('JavaScript: two modules and a callback');
    await workbench.waitForStack(
      [`b!callback_target b.wat:${targetLine}`, `[js] relay main.mjs:${relayLine}`, `a!caller a.wat:${callLine}`, `[js] <module> main.mjs:${lineOf('js/main.mjs', 'console.log(`caller(${n})')}`],
      frameText,
    );
    await workbench.page.locator('.debug-call-stack .monaco-list-row', { hasText: '[js] relay' }).first().click();
    await workbench.waitForActiveTab('main.mjs');
    await workbench.screenshot(path.join(screenshots, '7-javascript-frames.png'));
    await workbench.openFile('b.wat');
    await workbench.toggleBreakpoint(targetLine);
    await continueToEnd(['caller(1) = 5', 'caller(3) = 37']);
  });

  it('runs a .wast script: stops on its first command, then at a breakpoint inside one of its modules', async () => {
    await workbench.stopDebugging();
    await workbench.openFile('example.wast');
    assert.notStrictEqual(await workbench.tokenColor('assert_return'), colours.text, 'script commands are coloured');
    const addLine = lineOf('example.wast', '(global.set $total (i32.add (global.get $total) (local.get $x)))');
    const command = '(assert_return (invoke $Store "add" (i32.const 5)) (i32.const 5))';
    const commandFrame = `example.wast: ${command} example.wast:${lineOf('example.wast', command)}`;
    await workbench.toggleBreakpoint(addLine);
    await workbench.startLaunchConfiguration('example.wast: a script');
    await workbench.waitForStack([commandFrame], frameText);
    await workbench.page.keyboard.press('F5');
    await workbench.waitForStack([`Store!add example.wast:${addLine}`, commandFrame], frameText);
    await workbench.screenshot(path.join(screenshots, '7-wast-script.png'));

    await workbench.toggleBreakpoint(addLine);
    await waitFor('the breakpoint to leave the Breakpoints view', async () =>
      !(await workbench.breakpoints()).some((row) => row.includes('example.wast')));
    await workbench.page.keyboard.press('F5');
    await waitFor('the debug session to end', async () => !(await workbench.debugging()));
    await waitFor('the script summary in the Debug Console', async () =>
      (await workbench.debugConsole()).some((line) => line.includes('example.wast: 17 passed, 0 failed, 0 skipped')));
  });

  it('"Debug This File" on app.wat uses its launch configuration (imports included)', async () => {
    await workbench.stopDebugging(); // the command is disabled while a session runs
    await workbench.openFile('app.wat');
    await workbench.runCommand('WebAssembly: Debug This File');
    await workbench.waitForStack([`app!main app.wat:${mainFirstLine}`], frameText);
    await workbench.page.keyboard.press('Shift+F5');
    await waitFor('the debug session to end', async () => !(await workbench.debugging()));
  });

  it('"Debug This File" on counter.wat, which no configuration runs: pick the export, type its argument', async () => {
    await workbench.openFile('counter.wat');
    await workbench.runCommand('WebAssembly: Debug This File');
    await workbench.pickQuickInput('add', 'Which exported function should run?');
    await workbench.answerInputBox('Arguments for add', '5');
    const addFirstLine = lineOf('counter.wat', '(global.set $calls (i32.add (global.get $calls) (i32.const 1)))');
    await workbench.waitForStack([`counter!add counter.wat:${addFirstLine}`], frameText);
    const variables = await waitFor('$step in the Variables view', async () => {
      const rows = await workbench.variables();
      return rows.some((v) => v.name === '$step') ? rows : false;
    });
    assert.strictEqual(variables.find((v) => v.name === '$step').value, '5');
    await workbench.page.keyboard.press('F5');
    await waitFor('the debug session to end', async () => !(await workbench.debugging()));
    await waitFor('counter!add(5) in the Debug Console', async () =>
      (await workbench.debugConsole()).some((line) => line.includes('counter!add(5) returned 5')));
  });
});
