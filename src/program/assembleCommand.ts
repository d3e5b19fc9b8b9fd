// `watdbg assemble FILE.wat [-o FILE.wasm]`: the binary of a text module, as our debugger makes it
// (with a name section), for programs that load .wasm files themselves (JavaScript hosts). A .wasm
// made this way is shown in its .wat when a JavaScript program loads it under the debugger.

import * as fs from 'fs';
import * as path from 'path';
import { AssembleError, assembleWat } from '../text/assemble';

export async function assembleCommand(args: string[], out: { stdout: (t: string) => void; stderr: (t: string) => void }): Promise<number> {
  let input: string | null = null;
  let output: string | null = null;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-o') output = args[++i] ?? null;
    else if (input === null && !args[i].startsWith('-')) input = args[i];
    else {
      out.stderr(`watdbg assemble: unexpected argument ${args[i]}\n`);
      return 2;
    }
  }
  if (input === null || (args.includes('-o') && !output)) {
    out.stderr('usage: watdbg assemble FILE.wat [-o FILE.wasm]\n');
    return 2;
  }
  const file = path.resolve(input);
  const target = path.resolve(output ?? file.replace(/\.wat$/i, '') + '.wasm');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    out.stderr(`watdbg assemble: cannot read ${file}: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    const bytes = await assembleWat(text, file);
    fs.writeFileSync(target, bytes);
    out.stdout(`${path.relative(process.cwd(), target) || target}: ${bytes.length} bytes\n`);
    return 0;
  } catch (e) {
    if (e instanceof AssembleError) {
      out.stderr(e.message + '\n');
      return 1;
    }
    throw e;
  }
}
