// The spec test suite's scripts and the modules in them that are meant to assemble and decode, for
// the tests that check every module of the suite.

import * as fs from 'fs';
import * as path from 'path';
import { ScriptModule, parseScript } from '../src/text/wast';

export function wastFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...wastFiles(full));
    else if (entry.name.endsWith('.wast')) out.push(full);
  }
  return out.sort();
}

/** The modules of a script that are meant to assemble and decode (not the malformed or invalid ones). */
export function scriptModules(file: string): ScriptModule[] {
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
