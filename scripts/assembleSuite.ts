// Runs only the text assembler over a folder of .wast scripts (proposals/ left out): counts the
// text and quoted modules it assembles, lists those it rejects, and checks that it rejects every
// quoted module of an assert_malformed.
//
//   node out/scripts/assembleSuite.js ../shared/wasm-testsuite-3

import * as fs from 'fs';
import * as path from 'path';
import { TextSyntaxError } from '../src/text/sexpr';
import { parseScript } from '../src/text/wast';
import { assembleText } from '../src/text/wat';

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'proposals' ? [] : files(p);
    return e.name.endsWith('.wast') ? [p] : [];
  });
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
    scriptsUnread++;
    console.log(`script not read: ${(e as Error).message}`);
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
console.log(`${assembled} modules assembled, ${failed} rejected; assert_malformed: ${malformedRejected} of ${malformed} rejected; ${scriptsUnread} scripts not read`);
