#!/usr/bin/env node
// The `watdbg` command line. Each subcommand lives in its own function; this file only dispatches.

import * as path from 'path';
import { runCommand } from './program/runCommand';
import { assembleCommand } from './program/assembleCommand';
import { collectScripts, locateSuite, runScriptFile, type ScriptReport } from './program/script';
import { PositionTally } from './text/positionCheck';
import { parseEdition, type Edition } from './program/editions';
import { parseTierMode, setDefaultTierMode } from './engine/index';

type Subcommand = (args: string[]) => Promise<number>;

const USAGE = `usage: watdbg test [--suite] [--check-positions] [--edition=2.0|3.0] [--tier=off|hot|always] PATH...   run .wast scripts (files, or directories searched recursively)
       --suite   run the WebAssembly spec test suite ($WASM_TESTSUITE, or ../shared/wasm-testsuite)
       --tier   the compiled tier: off, hot functions (the default, or $WAT_TIER), or every function
       --check-positions   also check that every text module's source map pairs each instruction with its token
       --edition   the rules modules are checked by; by default the edition the suite's README.md names, else 3.0
       watdbg run FILE.wat|FILE.wasm|FILE.wast [--invoke NAME] [ARGS...] [--import NAME=FILE]... [--unresolved-imports=trap]   run a program
       watdbg assemble FILE.wat [-o FILE.wasm]   write the binary of a text module (with its names)`;

const subcommands: Record<string, Subcommand> = {
  test: testCommand,
  assemble: (args) => assembleCommand(args, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }),
  run: (args) =>
    runCommand(args, { cwd: process.cwd(), stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }),
};

/** How many failures of one script are listed before "... and N more". */
const FAILURES_SHOWN = 5;

async function testCommand(args: string[]): Promise<number> {
  const paths: string[] = [];
  let suite = false;
  let positions: PositionTally | undefined;
  let edition: Edition | undefined;
  for (const arg of args) {
    if (arg === '--suite') suite = true;
    else if (arg === '--check-positions') positions = new PositionTally();
    else if (arg.startsWith('--edition=')) {
      const parsed = parseEdition(arg.slice('--edition='.length));
      if ('error' in parsed) return usageError(parsed.error);
      edition = parsed.edition;
    }
    else if (arg.startsWith('--tier=')) {
      try {
        setDefaultTierMode(parseTierMode(arg.slice('--tier='.length), '--tier'));
      } catch (err) {
        return usageError((err as Error).message);
      }
    }
    else if (arg.startsWith('--')) return usageError(`unknown option ${arg}`);
    else paths.push(arg);
  }
  if (suite) {
    const suiteDir = locateSuite();
    if ('missing' in suiteDir) {
      console.log(`spec suite skipped: ${suiteDir.missing}`);
      return 0;
    }
    paths.push(suiteDir.dir);
  }
  if (paths.length === 0) return usageError('no .wast file or directory given');

  let files: { file: string; shown: string }[];
  try {
    files = paths.flatMap((root) => collectScripts([root]).map((file) => ({ file, shown: displayName(root, file) })));
  } catch (err) {
    console.error(`watdbg: ${(err as Error).message}`);
    return 2;
  }
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const { file, shown } of files) {
    const report = await runScriptFile(file, { positions, edition });
    total.passed += report.passed;
    total.failed += report.failed;
    total.skipped += report.skipped;
    for (const line of reportLines(report, shown)) console.log(line);
  }
  if (positions) {
    for (const m of positions.mismatches) console.log(`  ${m.message}`);
    console.log(positions.summary());
  }
  console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return total.failed > 0 || (positions?.mismatches.length ?? 0) > 0 ? 1 : 0;
}

/** A script's name relative to the directory it was found in (or as given, for a file argument). */
function displayName(root: string, file: string): string {
  return file === root ? file : path.relative(root, file);
}

function reportLines(report: ScriptReport, shown: string): string[] {
  const status = report.failed > 0 ? 'FAIL' : report.skipped > 0 ? 'SKIP' : 'PASS';
  const counts = [`${report.passed} passed`];
  if (report.failed) counts.push(`${report.failed} failed`);
  if (report.skipped) counts.push(`${report.skipped} skipped (${report.skipReasons.join('; ')})`);
  const lines = [`${status} ${shown}  ${counts.join(', ')}`];
  for (const f of report.failures.slice(0, FAILURES_SHOWN)) lines.push(`  ${report.file}:${f.line}:${f.column}: ${f.message}`);
  if (report.failures.length > FAILURES_SHOWN) lines.push(`  ... and ${report.failures.length - FAILURES_SHOWN} more`);
  return lines;
}

function usageError(message: string): number {
  console.error(`watdbg: ${message}\n${USAGE}`);
  return 2;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const subcommand = name === undefined ? undefined : subcommands[name];
  if (!subcommand) return usageError(name === undefined ? 'no command given' : `unknown command ${name}`);
  return subcommand(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exitCode = 2;
  },
);
