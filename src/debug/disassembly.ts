// The `disassemble` request: a window of instructions around an instruction address, each with its
// bytes, its text, the function it belongs to and the source line it came from.

import * as path from 'path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { formatInstr, importCount, type Instr } from '../engine/index';
import { CodeUnit, functionName, instructionAddress, parseInstructionAddress } from './units';
import { RequestError } from './variables';

interface FlatInstr {
  instr: Instr;
  funcIndex: number;
  /** Offset of the next instruction (or the body's end): the instruction's bytes end there. */
  end: number;
}

const flatCache = new WeakMap<CodeUnit, FlatInstr[]>();

/** Every instruction of the unit's code, in binary order. */
function flatten(unit: CodeUnit): FlatInstr[] {
  let flat = flatCache.get(unit);
  if (flat) return flat;
  flat = [];
  const imported = importCount(unit.module, 'func');
  unit.module.codes.forEach((code, i) => {
    code.body.forEach((instr, j) => {
      const next = code.body[j + 1];
      flat!.push({ instr, funcIndex: imported + i, end: next ? next.offset : code.endOffset });
    });
  });
  flatCache.set(unit, flat);
  return flat;
}

/** Who runs this code: `math` for one instance, `left/right` for two instances of one module. */
function symbolPrefix(unit: CodeUnit): string {
  return unit.instanceNames.length ? unit.instanceNames.join('/') : unit.label;
}

export function disassemble(units: CodeUnit[], args: DebugProtocol.DisassembleArguments): DebugProtocol.DisassembledInstruction[] {
  const address = parseInstructionAddress(args.memoryReference);
  const unit = address && units.find((u) => u.id === address.unitId);
  if (!address || !unit) throw new RequestError(`unknown instruction reference ${args.memoryReference}`);
  const flat = flatten(unit);
  const target = address.offset + (args.offset ?? 0);
  // The instruction at the target offset, or the first one after it.
  let lo = 0;
  let hi = flat.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (flat[mid].instr.offset < target) lo = mid + 1;
    else hi = mid;
  }
  const first = lo + (args.instructionOffset ?? 0);
  const out: DebugProtocol.DisassembledInstruction[] = [];
  const bytes = unit.module.bytes;
  let lastLocation: string | undefined;
  for (let k = 0; k < args.instructionCount; k++) {
    const i = first + k;
    if (flat.length === 0 || i < 0 || i >= flat.length) {
      // Outside the code: fill with distinct addresses so the client's list stays ordered.
      const edge = flat.length === 0 ? target : i < 0 ? flat[0].instr.offset + i : flat[flat.length - 1].end + (i - flat.length);
      out.push({ address: instructionAddress(unit.id, Math.max(0, edge)), instruction: '', presentationHint: 'invalid' });
      continue;
    }
    const { instr, funcIndex, end } = flat[i];
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
