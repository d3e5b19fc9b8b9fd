// Checks the text assembler against wabt over a folder of .wast scripts: for every text module
// (and quoted module) that wabt assembles, our binary must equal wabt's once custom sections are
// removed. Prints each difference (the first differing section) and the counts.
//
//   node out/scripts/compareWithWabt.js ../shared/wasm-testsuite

import * as fs from 'fs';
import * as path from 'path';
import wabtFactory from 'wabt';
import { parseScript } from '../src/text/wast';
import { assembleText } from '../src/text/wat';

const FEATURES = { mutable_globals: true, sat_float_to_int: true, sign_extension: true, multi_value: true, bulk_memory: true, reference_types: true, tail_call: true, extended_const: true, simd: true, multi_memory: true, relaxed_simd: true };

/** The module's sections other than custom ones, as `id:hex` strings. */
function sections(bytes: Uint8Array): string[] {
  const out: string[] = [];
  let i = 8;
  const u32 = () => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[i++];
      v |= (b & 0x7f) << shift;
      if (!(b & 0x80)) return v >>> 0;
      shift += 7;
    }
  };
  while (i < bytes.length) {
    const id = bytes[i++];
    const size = u32();
    if (id !== 0) out.push(`${id}:${Buffer.from(bytes.subarray(i, i + size)).toString('hex')}`);
    i += size;
  }
  return out;
}

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'proposals' ? [] : files(p);
    return e.name.endsWith('.wast') ? [p] : [];
  });
}

async function main(): Promise<void> {
  const wabt = await wabtFactory();
  const dir = process.argv[2] ?? '../shared/wasm-testsuite';
  let equal = 0;
  let different = 0;
  let wabtRejected = 0;
  let oursRejected = 0;
  for (const file of files(dir).sort()) {
    const script = parseScript(fs.readFileSync(file, 'utf8'), file);
    for (const command of script.commands) {
      if (command.kind !== 'module' && command.kind !== 'assert_trap_module' && command.kind !== 'assert_uninstantiable' && command.kind !== 'assert_unlinkable' && command.kind !== 'assert_invalid') continue;
      const source = command.module.source;
      if (source.kind === 'binary') continue;
      let theirs: Uint8Array;
      try {
        const m = wabt.parseWat(file, new Uint8Array(Buffer.from(source.text, 'utf8')), FEATURES);
        m.resolveNames();
        theirs = new Uint8Array(m.toBinary({}).buffer);
        m.destroy();
      } catch {
        wabtRejected++;
        continue;
      }
      let ours: Uint8Array;
      try {
        ours = source.kind === 'text' ? assembleText(source.text, file, source.start).bytes : assembleText(source.text, file).bytes;
      } catch (e) {
        oursRejected++;
        console.log(`${file}:${command.start.line}: rejected what wabt accepts: ${(e as Error).message}`);
        continue;
      }
      const a = sections(ours);
      const b = sections(theirs);
      const k = a.findIndex((s, j) => s !== b[j]);
      if (k < 0 && a.length === b.length) {
        equal++;
        continue;
      }
      different++;
      const at = k < 0 ? Math.min(a.length, b.length) : k;
      const x = a[at] ?? '';
      const y = b[at] ?? '';
      let d = 0;
      while (d < x.length && x[d] === y[d]) d++;
      const from = Math.max(0, d - 40);
      console.log(`${file}:${command.start.line}: section ${at} differs at hex digit ${d}:\n    ours ${x.slice(from, d + 60)}\n    wabt ${y.slice(from, d + 60)}`);
    }
  }
  console.log(`${equal} equal, ${different} different, ${oursRejected} rejected by us only, ${wabtRejected} rejected by wabt (not compared)`);
}

void main();
