// The `disassemble` request: a window of instructions around an instruction address, each with its
// bytes, its text, the function it belongs to and the source line it came from.

import * as path from 'path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { formatInstr, funcCode, importCount, type Instr, type Module } from '../engine/index';
import { CodeUnit, functionName, instructionAddress, parseInstructionAddress } from './units';
import { RequestError } from './variables';

/**
 * A place in a unit's code: instruction `index` of defined function `code`. Places outside the
 * code count on from its edges: `code` -1 with `index` -1, -2, ... before the first instruction,
 * `code` = the number of functions with `index` 0, 1, ... after the last.
 */
interface Place {
  code: number;
  index: number;
}

/**
 * Walks a unit's instructions in binary order, decoding only the bodies it passes through, so a
 * window of the disassembly costs the same in a module of any size.
 */
class CodeWalker {
  private readonly count: number;

  constructor(private readonly module: Module) {
    this.count = module.codes.length;
  }

  instrs(code: number): Instr[] {
    return funcCode(this.module, code).body;
  }

  /** The instruction at `target`, or the first one after it. */
  locate(target: number): Place {
    const codes = this.module.codes;
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (codes[mid].endOffset <= target) lo = mid + 1;
      else hi = mid;
    }
    if (lo === this.count) return { code: lo, index: 0 };
    const body = this.instrs(lo);
    let i = 0;
    let j = body.length;
    while (i < j) {
      const mid = (i + j) >> 1;
      if (body[mid].offset < target) i = mid + 1;
      else j = mid;
    }
    return i < body.length ? { code: lo, index: i } : this.next({ code: lo, index: i - 1 });
  }

  next(p: Place): Place {
    if (p.code < 0) return p.index === -1 ? { code: 0, index: 0 } : { code: -1, index: p.index + 1 };
    if (p.code < this.count && p.index + 1 < this.instrs(p.code).length) return { code: p.code, index: p.index + 1 };
    return p.code < this.count ? { code: p.code + 1, index: 0 } : { code: p.code, index: p.index + 1 };
  }

  previous(p: Place): Place {
    if (p.code < 0) return { code: -1, index: p.index - 1 };
    if (p.index > 0) return { code: p.code, index: p.index - 1 };
    return p.code === 0 ? { code: -1, index: -1 } : { code: p.code - 1, index: this.instrs(p.code - 1).length - 1 };
  }

  move(p: Place, by: number): Place {
    for (; by > 0; by--) p = this.next(p);
    for (; by < 0; by++) p = this.previous(p);
    return p;
  }

  /** The address to show for a place outside the code: distinct and in order around it. */
  edgeAddress(p: Place): number {
    if (p.code < 0) return this.instrs(0)[0].offset + p.index;
    return this.module.codes[this.count - 1].endOffset + p.index;
  }

  /** Offset of the instruction after the one at `p` (or of the body's end): its bytes end there. */
  endOf(p: Place): number {
    const body = this.instrs(p.code);
    return p.index + 1 < body.length ? body[p.index + 1].offset : this.module.codes[p.code].endOffset;
  }
}

/** Who runs this code: `math` for one instance, `left/right` for two instances of one module. */
function symbolPrefix(unit: CodeUnit): string {
  return unit.instanceNames.length ? unit.instanceNames.join('/') : unit.label;
}

export function disassemble(units: CodeUnit[], args: DebugProtocol.DisassembleArguments): DebugProtocol.DisassembledInstruction[] {
  const address = parseInstructionAddress(args.memoryReference);
  const unit = address && units.find((u) => u.id === address.unitId);
  if (!address || !unit) throw new RequestError(`unknown instruction reference ${args.memoryReference}`);
  const walker = new CodeWalker(unit.module);
  const hasCode = unit.module.codes.length > 0;
  const target = address.offset + (args.offset ?? 0);
  let place = walker.move(walker.locate(target), args.instructionOffset ?? 0);
  const imported = importCount(unit.module, 'func');
  const out: DebugProtocol.DisassembledInstruction[] = [];
  const bytes = unit.module.bytes;
  let lastLocation: string | undefined;
  for (let k = 0; k < args.instructionCount; k++, place = walker.next(place)) {
    if (!hasCode || place.code < 0 || place.code >= unit.module.codes.length) {
      // Outside the code: fill with distinct addresses so the client's list stays ordered.
      const edge = hasCode ? walker.edgeAddress(place) : target;
      out.push({ address: instructionAddress(unit.id, Math.max(0, edge)), instruction: '', presentationHint: 'invalid' });
      continue;
    }
    const instr = walker.instrs(place.code)[place.index];
    const funcIndex = imported + place.code;
    const end = walker.endOf(place);
    const entry: DebugProtocol.DisassembledInstruction = {
      address: instructionAddress(unit.id, instr.offset),
      instructionBytes: [...bytes.subarray(instr.offset, Math.min(end, instr.offset + 16))].map((b) => b.toString(16).padStart(2, '0')).join(' '),
      instruction: formatInstr(instr, unit.module, unit.names),
      symbol: `${symbolPrefix(unit)}!${functionName(unit, funcIndex)}`,
    };
    const loc = unit.sourceMap?.location(funcIndex, instr.offset);
    if (loc) {
      // The client shows the source line above the first instruction of each run of one location.
      const key = `${loc.file}:${loc.line}`;
      if (key !== lastLocation) entry.location = { name: path.basename(loc.file), path: loc.file };
      entry.line = loc.line;
      entry.column = loc.column;
      lastLocation = key;
    }
    out.push(entry);
  }
  return out;
}
