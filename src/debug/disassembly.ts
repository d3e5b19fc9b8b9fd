// The `disassemble` request: a window of instructions around an instruction address, each with its
// bytes, its text, the function it belongs to and the source line it came from. Only the functions
// the window touches are read, so a module of any size answers at once.

import type { InstructionView } from './views';
import { funcIndexAt, importCount } from '../engine/index';
import { functionBody, type FunctionBody } from '../text/print/body';
import { formatInstr } from '../text/print/instr';
import { CodeUnit, functionName, instructionAddress, locationOf, parseInstructionAddress } from './units';
import { hexBytes } from './values';
import { RequestError } from './requestError';

/** Who runs this code: `math` for one instance, `left/right` for two instances of one module. */
function symbolPrefix(unit: CodeUnit): string {
  return unit.instanceNames.length ? unit.instanceNames.join('/') : unit.label;
}

/** A place in the unit's code: defined function `code` (0 = the first after the imports), instruction `index` of its body. */
interface Cursor {
  code: number;
  index: number;
}

/** The index of the first item whose `offset` is at or after `offset` (items sorted by it); the length when none is. */
function firstAtOrAfter(items: readonly { offset: number }[], offset: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first instruction at or after byte `offset` of the module (past the last one when none is). */
function cursorAt(unit: CodeUnit, offset: number): Cursor {
  const inside = funcIndexAt(unit.module, offset);
  // Between or outside bodies: the first body that starts after `offset`.
  if (inside === null) return { code: firstAtOrAfter(unit.module.codes, offset), index: 0 };
  const code = inside - importCount(unit.module, 'func');
  const body = functionBody(unit.module, code).body;
  const index = firstAtOrAfter(body, offset);
  return index < body.length ? { code, index } : { code: code + 1, index: 0 };
}

/** The cursor `n` instructions after (or before, for negative `n`) `at`; null beyond the code. */
function move(unit: CodeUnit, at: Cursor, n: number): Cursor | null {
  const codes = unit.module.codes.length;
  let { code, index } = at;
  if (code >= codes) {
    if (n >= 0) return null;
    code = codes - 1;
    index = functionBody(unit.module, code).body.length;
  }
  index += n;
  while (code >= 0 && code < codes) {
    const length = functionBody(unit.module, code).body.length;
    if (index < 0) {
      code--;
      if (code >= 0) index += functionBody(unit.module, code).body.length;
    } else if (index >= length) {
      index -= length;
      code++;
    } else return { code, index };
  }
  return null;
}

export interface DisassembleRequest {
  memoryReference: string;
  offset?: number;
  instructionOffset?: number;
  instructionCount: number;
  resolveSymbols?: boolean;
}

export function disassemble(units: CodeUnit[], args: DisassembleRequest): InstructionView[] {
  const address = parseInstructionAddress(args.memoryReference);
  const unit = address && units.find((u) => u.id === address.unitId);
  if (!address || !unit) throw new RequestError(`unknown instruction reference ${args.memoryReference}`);
  const module = unit.module;
  const imported = importCount(module, 'func');
  const target = address.offset + (args.offset ?? 0);
  const origin = cursorAt(unit, target);
  const firstOffset = args.instructionOffset ?? 0;
  // The window's instructions; null where it reaches before or past the code.
  const cursors: (Cursor | null)[] = [];
  for (let k = 0; k < args.instructionCount; k++) {
    const previous = k > 0 ? cursors[k - 1] : null;
    cursors.push(previous ? move(unit, previous, 1) : move(unit, origin, firstOffset + k));
  }
  const firstValid = cursors.findIndex((c) => c !== null);
  const out: InstructionView[] = [];
  const bytes = module.bytes;
  let lastLocation: string | undefined;
  let lastEnd = target;
  for (let k = 0; k < cursors.length; k++) {
    const cursor = cursors[k];
    if (!cursor) {
      // Outside the code: distinct addresses so the client's list stays ordered.
      const first = firstValid >= 0 && k < firstValid ? functionBody(module, cursors[firstValid]!.code).body[cursors[firstValid]!.index].offset : null;
      const edge = first !== null ? first - (firstValid - k) : firstValid >= 0 ? lastEnd++ : target + k;
      out.push({ address: instructionAddress(unit.id, Math.max(0, edge)), instruction: '', presentationHint: 'invalid' });
      continue;
    }
    const code: FunctionBody = functionBody(module, cursor.code);
    const instr = code.body[cursor.index];
    const next = code.body[cursor.index + 1];
    const end = next ? next.offset : code.endOffset;
    lastEnd = end;
    const funcIndex = imported + cursor.code;
    const entry: InstructionView = {
      address: instructionAddress(unit.id, instr.offset),
      instructionBytes: hexBytes(bytes.subarray(instr.offset, Math.min(end, instr.offset + 16))),
      instruction: formatInstr(instr, unit.names, funcIndex),
      symbol: `${symbolPrefix(unit)}!${functionName(unit, funcIndex)}`,
    };
    const loc = locationOf(unit, funcIndex, instr.offset);
    if (loc) {
      // The client shows the source line above the first instruction of each run of one location.
      const key = `${loc.file}:${loc.line}`;
      if (key !== lastLocation) entry.file = loc.file;
      entry.line = loc.line;
      entry.column = loc.column;
      lastLocation = key;
    }
    out.push(entry);
  }
  return out;
}
