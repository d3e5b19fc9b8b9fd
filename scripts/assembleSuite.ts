// Runs only the text assembler over a folder of .wast scripts (proposals/ left out): counts the
// text and quoted modules it assembles, lists those it rejects, and checks that it rejects every
// quoted module of an assert_malformed.
//
//   node out/scripts/assembleSuite.js ../shared/wasm-testsuite-3

import * as fs from 'fs';
import * as path from 'path';
import { Position, SList, TextSyntaxError, headKeyword, parseSExprs } from '../src/text/sexpr';
import { withoutAnnotations } from '../src/text/wat/cursor';
import { parseScript } from '../src/text/wast';
import { assembleText } from '../src/text/wat';

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'proposals' ? [] : files(p);
    return e.name.endsWith('.wast') ? [p] : [];
  });
}

/** The `(module ...)` lists in text form of a script: commands, and modules inside assertions other than assert_malformed. */
function textModulesOf(text: string, file: string): { text: string; start: Position }[] {
  const out: { text: string; start: Position }[] = [];
  const isText = (e: SList) => !e.items.some((x, k) => k <= 3 && x.kind === 'atom' && (x.token.text === 'binary' || x.token.text === 'quote' || x.token.text === 'instance'));
  for (const e of withoutAnnotations(parseSExprs(text, file), file)) {
    if (e.kind !== 'list') continue;
    const head = headKeyword(e);
    const target = head === 'module' ? e : head !== 'assert_malformed' && e.items[1]?.kind === 'list' && headKeyword(e.items[1]) === 'module' ? (e.items[1] as SList) : null;
    if (target && isText(target)) out.push({ text: text.slice(target.start.offset, target.end.offset), start: target.start });
  }
  return out;
}

const dir = process.argv[2] ?? '../shared/wasm-testsuite-3';
let assembled = 0;
let failed = 0;
let malformed = 0;
let malformedRejected = 0;
let scriptsUnread = 0;
for (const file of files(dir).sort()) {
  let script;
  try {
    script = parseScript(fs.readFileSync(file, 'utf8'), file);
  } catch (e) {
    // The script reader does not know every 3.0 command yet: assemble the text modules it holds.
    scriptsUnread++;
    console.log(`script not read, its text modules assembled one by one: ${(e as Error).message}`);
    for (const m of textModulesOf(fs.readFileSync(file, 'utf8'), file)) {
      try {
        assembleText(m.text, file, m.start);
        assembled++;
      } catch (err) {
        if (!(err instanceof TextSyntaxError)) throw err;
        failed++;
        console.log(`${file}:${m.start.line}: ${err.message}`);
      }
    }
    continue;
  }
  for (const command of script.commands) {
    if (!('module' in command) || typeof command.module !== 'object' || command.module === null) continue;
    const source = command.module.source;
    if (source.kind === 'binary') continue;
    const assemble = () => (source.kind === 'text' ? assembleText(source.text, file, source.start) : assembleText(source.text, file));
    if (command.kind === 'assert_malformed') {
      malformed++;
      try {
        assemble();
        console.log(`${file}:${command.start.line}: accepted a malformed module ("${command.message}")`);
      } catch (e) {
        if (!(e instanceof TextSyntaxError)) throw e;
        malformedRejected++;
      }
      continue;
    }
    try {
      assemble();
      assembled++;
    } catch (e) {
      if (!(e instanceof TextSyntaxError)) throw e;
      failed++;
      console.log(`${file}:${command.start.line}: ${command.kind}: ${e.message}`);
    }
  }
}
console.log(`${assembled} modules assembled, ${failed} rejected; assert_malformed: ${malformedRejected} of ${malformed} rejected; ${scriptsUnread} scripts the script reader cannot read yet (their text modules counted above)`);
