// End to end in a real VS Code: code-server with our .vsix installed, driven through headless
// Chromium as a person would use it. Run with `npm run test:e2e` (which builds the .vsix first).
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const { setUpCodeServer, startCodeServer } = require('./codeServer');
const { Workbench } = require('./workbench');

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const vsix = process.env.WAT_E2E_VSIX ?? path.join(root, `${pkg.name}-${pkg.version}.vsix`);
const workspace = path.join(root, 'testWorkspace');
const screenshots = path.join(root, 'test-output', 'e2e');
const chromiumPath = process.env.WAT_E2E_CHROMIUM ?? '/usr/bin/chromium';

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
  'debug.toolBarLocation': 'docked',
};

describe('end to end: wat-debugger in VS Code (code-server + Chromium)', function () {
  this.timeout(120000);
  let server;
  let browser;
  let workbench;
  let runDir;
  let failures = 1; // until before() has finished

  before(async function () {
    this.timeout(600000); // the first run sets up code-server
    if (!fs.existsSync(vsix)) throw new Error(`no ${path.relative(root, vsix)}: run \`npm run package\` first (npm run test:e2e does)`);
    if (!fs.existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: apt-get install chromium (or set WAT_E2E_CHROMIUM)`);
    const entry = setUpCodeServer();
    runDir = fs.mkdtempSync(path.join(root, '.cache', 'e2e', 'run-'));
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
    const colours = {
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
});
