// Which edition of WebAssembly's rules (src/engine/features.ts) a `.wast` script is run by.
// Spec test suites say which edition they test in the heading of their README.md, e.g.
// "# WebAssembly core spec test suite (WebAssembly 2.0)": a script is run by the edition of the
// nearest README.md above it that names one (so the 2.0 suite, proposals/ included, runs by 2.0
// rules), and by WebAssembly 3.0 when none does. `watdbg test --edition` overrides this.

import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_EDITION, EDITIONS, type Edition } from '../engine/index';

const HEADING = /^#[^\n]*\(WebAssembly (\d+\.\d+)\)/;

/** Directory -> the edition its README.md names, or null when it has none (or names none). */
const byDirectory = new Map<string, Edition | null>();

function readmeEdition(dir: string): Edition | null {
  let edition = byDirectory.get(dir);
  if (edition !== undefined) return edition;
  edition = null;
  try {
    const first = fs.readFileSync(path.join(dir, 'README.md'), 'utf8').split('\n', 1)[0];
    const named = HEADING.exec(first)?.[1];
    if (named && (EDITIONS as readonly string[]).includes(named)) edition = named as Edition;
  } catch {
    // no README.md here
  }
  byDirectory.set(dir, edition);
  return edition;
}

/** The edition the script at `file` is run by (see the top of this file). */
export function scriptEdition(file: string): Edition {
  let dir = path.dirname(path.resolve(file));
  for (;;) {
    const edition = readmeEdition(dir);
    if (edition) return edition;
    const parent = path.dirname(dir);
    if (parent === dir) return DEFAULT_EDITION;
    dir = parent;
  }
}

export type { Edition };

/** An edition given on the command line, or an error message naming the ones there are. */
export function parseEdition(text: string): { edition: Edition } | { error: string } {
  if ((EDITIONS as readonly string[]).includes(text)) return { edition: text as Edition };
  return { error: `unknown edition "${text}": expected ${EDITIONS.join(' or ')}` };
}
