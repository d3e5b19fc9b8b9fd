// Drives the VS Code workbench in the browser the way a person would: keys, the command palette,
// quick open, the gutter, and reads back what is on screen (token colours, views, the editor).
'use strict';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns something truthy; fails with `what` after `timeout` ms. */
async function waitFor(what, probe, timeout = 30000, interval = 200) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? `: ${last.message}` : '';
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${detail}`);
    }
    await sleep(interval);
  }
}

class Workbench {
  constructor(page) {
    this.page = page;
  }

  async open(url) {
    await this.page.goto(url);
    await this.page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    // The status bar is drawn once the window has restored its parts.
    await this.page.waitForSelector('.statusbar', { timeout: 30000 });
  }

  /**
   * Runs a command by its palette title. The palette can answer "No matching commands" while
   * extensions are still registering, so it retries.
   */
  async runCommand(title, timeout = 20000) {
    await waitFor(`command "${title}" in the palette`, async () => {
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('F1');
      const input = this.page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 3000 });
      await input.fill(`>${title}`);
      const row = this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).first();
      try {
        await row.waitFor({ state: 'visible', timeout: 2000 });
      } catch {
        return false;
      }
      await this.page.keyboard.press('Enter');
      return true;
    }, timeout, 500);
  }

  /** Picks `label` in the quick pick that shows `placeholder`. */
  async pickQuickInput(label, placeholder) {
    const input = this.page.locator(`.quick-input-widget input[placeholder="${placeholder}"]`);
    await input.waitFor({ state: 'visible', timeout: 30000 });
    await input.fill(label);
    await this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: label }).first()
      .waitFor({ state: 'visible', timeout: 5000 });
    await this.page.keyboard.press('Enter');
  }

  /** Types `text` into the input box whose title starts with `title`, and confirms it. */
  async answerInputBox(title, text) {
    await this.page.locator('.quick-input-widget .quick-input-title', { hasText: title })
      .waitFor({ state: 'visible', timeout: 30000 });
    const input = this.page.locator('.quick-input-widget input');
    await input.fill(text);
    await this.page.keyboard.press('Enter');
  }

  /** Opens a workspace file by name with Quick Open (Ctrl+P) and waits for its editor tab. */
  async openFile(name) {
    await waitFor(`${name} in Quick Open`, async () => {
      await this.page.keyboard.press('Escape');
      await this.page.keyboard.press('Control+P');
      const input = this.page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 3000 });
      await input.fill(name);
      // Enter opens the focused row; the list first shows recent editors, then the filtered files.
      const row = this.page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).first();
      try {
        await row.waitFor({ state: 'visible', timeout: 3000 });
      } catch {
        return false;
      }
      await this.page.keyboard.press('Enter');
      return true;
    }, 20000, 500);
    await this.waitForActiveTab(name);
  }

  async waitForActiveTab(name, timeout = 15000) {
    await waitFor(`the active editor tab to be ${name}`, async () => (await this.activeTabName()) === name, timeout);
  }

  async activeTabName() {
    const tab = this.page.locator('.tabs-container .tab.active .label-name').first();
    if ((await tab.count()) === 0) return null;
    return (await tab.textContent()).trim();
  }

  /** Every rendered token of the active editor: its text, colour, and the line it is on. */
  async editorTokens() {
    return this.page.evaluate(() => {
      const editor = document.querySelector('.editor-group-container.active .monaco-editor .view-lines')
        ?? document.querySelector('.monaco-editor .view-lines');
      if (!editor) return [];
      const tokens = [];
      for (const line of editor.querySelectorAll('.view-line')) {
        const top = parseFloat(line.style.top);
        for (const span of line.querySelectorAll('span > span')) {
          // The editor renders some spaces as no-break spaces.
          const text = span.textContent.replace(/\u00a0/g, ' ');
          tokens.push({ text, color: getComputedStyle(span).color, top });
        }
      }
      return tokens;
    });
  }

  /**
   * The text colour of the first rendered token whose text is exactly `text`, or that satisfies
   * `text` when it is a function. Tokens appear once the grammar has coloured the line.
   */
  async tokenColor(text, what = JSON.stringify(text)) {
    const matches = typeof text === 'function' ? text : (t) => t === text;
    return waitFor(`a token ${what} in the editor`, async () => {
      const token = (await this.editorTokens()).find((t) => matches(t.text));
      return token?.color;
    });
  }

  /** Hovers the first rendered token `text` of the active editor; returns the debug hover's text. */
  async debugHover(text) {
    const token = this.page
      .locator('.editor-group-container.active .view-lines .view-line span > span')
      .filter({ hasText: new RegExp(`^${text.replace(/[$.*+?^(){}|[\]\\]/g, '\\$&')}$`) })
      .first();
    await token.hover();
    // A plain value is shown in the hover's .value element (a structured one as a tree).
    const value = this.page.locator('.debug-hover-widget .value').first();
    await value.waitFor({ state: 'visible', timeout: 10000 });
    return waitFor(`the debug hover over ${text} to show a value`, async () => (await value.textContent())?.trim());
  }

  /** Moves the cursor to a 1-based line with Go to Line (Ctrl+G). */
  async goToLine(line) {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 5000 });
    await input.fill(`:${line}`);
    await this.page.keyboard.press('Enter');
    await waitFor(`the cursor on line ${line}`, async () => (await this.cursorLine()) === line, 5000);
  }

  /** The 1-based cursor line, from the status bar's "Ln X, Col Y". */
  async cursorLine() {
    const item = this.page.locator('#status\\.editor\\.selection').first();
    if ((await item.count()) === 0) return null;
    const match = /Ln (\d+)/.exec((await item.textContent()) ?? '');
    return match ? Number(match[1]) : null;
  }

  /** Toggles a breakpoint on a line of the active editor with F9, as from the keyboard. */
  async toggleBreakpoint(line) {
    await this.goToLine(line);
    await this.page.keyboard.press('F9');
  }

  /** Opens the Run and Debug view, picks a launch configuration by name and presses its start button. */
  async startLaunchConfiguration(name) {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Control+Shift+D');
    const select = this.page.locator('select[aria-label="Debug Launch Configurations"]');
    await select.waitFor({ state: 'attached', timeout: 15000 });
    await waitFor(`launch configuration "${name}" in the Run and Debug view`, async () =>
      (await select.locator('option').allTextContents()).includes(name));
    await select.selectOption({ label: name });
    await this.page.locator('.start-debug-action-item .codicon-debug-start').click();
    await this.parkMouse(); // else the debug toolbar's "Continue" tooltip stays under the pointer
  }

  /** Clicks a button of the debug toolbar by its label ("Step Back", "Reverse"), as a person would. */
  async clickDebugAction(label) {
    const button = this.page.locator(`.action-label[aria-label^="${label}"]`).first();
    await button.waitFor({ state: 'visible', timeout: 15000 });
    await button.click();
    await this.parkMouse();
  }

  /** Moves the mouse to an empty part of the title bar, where it shows no hover. */
  async parkMouse() {
    const viewport = this.page.viewportSize();
    if (viewport) await this.page.mouse.move(Math.round(viewport.width * 0.8), 15);
  }

  /** The Breakpoints view's rows as text, e.g. "math.wat 23". */
  async breakpoints() {
    return this.page.locator('.debug-breakpoints .monaco-list-row').allTextContents();
  }

  /** Stack frames shown in the Call Stack view: { name, file, line }. */
  async callStack() {
    return this.page.evaluate(() =>
      [...document.querySelectorAll('.debug-call-stack .monaco-list-row .stack-frame')].map((frame) => ({
        name: frame.querySelector('.expression')?.textContent?.trim() ?? '',
        file: frame.querySelector('.file-name')?.textContent?.trim() ?? '',
        line: Number(frame.querySelector('.line-number')?.textContent?.split(':')[0] ?? NaN),
      })),
    );
  }

  /**
   * Waits until the Call Stack view shows exactly `expected` (frames formatted by `format`). On a
   * stop VS Code first shows the new top frame above the previous stop's frames, then the rest.
   */
  async waitForStack(expected, format, timeout = 60000) {
    let shown = [];
    try {
      await waitFor(`the Call Stack view to show ${JSON.stringify(expected)}`, async () => {
        shown = (await this.callStack()).map(format);
        return JSON.stringify(shown) === JSON.stringify(expected);
      }, timeout);
    } catch (error) {
      throw new Error(`${error.message}; it shows ${JSON.stringify(shown)}`);
    }
  }

  /** Name/value pairs of the rows the Variables view shows (scopes included, values empty). */
  async variables() {
    return this.page.evaluate(() =>
      [...document.querySelectorAll('.debug-variables .monaco-list-row')].map((row) => ({
        // The name element also holds the " = " or ":" separator before the value.
        name: ((row.querySelector('.name') ?? row.querySelector('.scope'))?.textContent ?? '').replace(/\s*[=:]?\s*$/, ''),
        value: row.querySelector('.value')?.textContent?.trim() ?? '',
      })),
    );
  }

  /** Expands the Variables view's row named `name` (a struct, an array) by clicking it. */
  async expandVariable(name) {
    const row = this.page.locator('.debug-variables .monaco-list-row').filter({ has: this.page.locator('.name', { hasText: new RegExp(`^${name.replace(/\$/g, '\\$')}\\s*[=:]?\\s*$`) }) });
    await row.first().waitFor({ state: 'visible', timeout: 15000 });
    if ((await row.first().getAttribute('aria-expanded')) !== 'true') await row.first().click();
  }

  /** The lines of the Debug Console. */
  async debugConsole() {
    return this.page.locator('.repl .monaco-list-row').allTextContents();
  }

  /**
   * Whether a debug session is running: the Call Stack view (in the Run and Debug view, which VS
   * Code shows when a session starts) lists its session or thread.
   */
  async debugging() {
    return (await this.page.locator('.debug-call-stack .monaco-list-row').count()) > 0;
  }

  /** Ends the debug session, if one is running, with Shift+F5. */
  async stopDebugging() {
    if (!(await this.debugging())) return;
    await this.page.keyboard.press('Shift+F5');
    await waitFor('the debug session to end', async () => !(await this.debugging()));
  }

  async screenshot(file) {
    await this.parkMouse();
    await this.page.screenshot({ path: file });
  }
}

module.exports = { Workbench, waitFor, sleep };
