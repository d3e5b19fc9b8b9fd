// The `metadata.code.branch_hint` custom section of WebAssembly 3.0: for some `if` and `br_if`
// instructions, whether the branch is likely taken. Hints never change what a program computes, so
// a broken section does not reject the module: its problems are reported beside it, each with the
// byte offset it concerns and the spec's wording first ("invalid target", as the suite expects).
// The section is read once per module (bytes only); a function's hints are checked against its code
// only when asked, so a large module does not decode every hinted function up front.

import { funcCode } from './decode';
import { DecodeError, Reader } from './decodeReader';
import { importCount, type Module } from './types';

export const BRANCH_HINT_SECTION = 'metadata.code.branch_hint';

interface RawHint {
  /** Offset from the start of the function body (its locals), as the section writes it. */
  pos: number;
  likely: boolean;
  /** Where the hint is in the module's bytes. */
  at: number;
}

/** A function's checked hints: module offset of each hinted instruction, true when likely taken. */
export interface FunctionHints {
  hints: Map<number, boolean>;
  /** Why some hints of this function were dropped. */
  problems: string[];
}

export class BranchHints {
  private static readonly cache = new WeakMap<Module, BranchHints>();
  /** Problems of the section's layout (order, sizes, values, unknown functions). */
  readonly problems: string[] = [];
  private readonly raw = new Map<number, RawHint[]>();
  private readonly checked = new Map<number, FunctionHints>();

  static of(module: Module): BranchHints {
    let hints = BranchHints.cache.get(module);
    if (!hints) BranchHints.cache.set(module, (hints = new BranchHints(module)));
    return hints;
  }

  private constructor(private readonly module: Module) {
    const sections = module.customs.filter((c) => c.name === BRANCH_HINT_SECTION);
    if (sections.length > 1) this.problems.push(`${where(sections[1].offset)}: duplicate section`);
    if (sections.length > 0) this.read(sections[0]);
  }

  /** The hints of function `funcIndex` that point at an `if` or `br_if` (the others are problems). */
  forFunction(funcIndex: number): FunctionHints {
    let checked = this.checked.get(funcIndex);
    if (checked) return checked;
    checked = { hints: new Map(), problems: [] };
    const raw = this.raw.get(funcIndex);
    if (raw) {
      const code = funcIndex - importCount(this.module, 'func');
      const bodyStart = bodyStartOf(this.module, code);
      const ops = new Map(funcCode(this.module, code).body.map((i) => [i.offset, i.op]));
      for (const h of raw) {
        const op = ops.get(bodyStart + h.pos);
        if (op === IF || op === BR_IF) checked.hints.set(bodyStart + h.pos, h.likely);
        else checked.problems.push(`${where(h.at)}: invalid target: function ${funcIndex} has no if or br_if at body offset ${h.pos}`);
      }
    }
    this.checked.set(funcIndex, checked);
    return checked;
  }

  /** Every problem of the section, checking each hinted function's targets against its code. */
  allProblems(): string[] {
    return [...this.problems, ...[...this.raw.keys()].flatMap((f) => this.forFunction(f).problems)];
  }

  private read(section: { offset: number; bytes: Uint8Array }): void {
    const imported = importCount(this.module, 'func');
    const r = new Reader(this.module.bytes, section.offset, section.offset + section.bytes.length);
    const fail = (at: number, message: string) => {
      this.problems.push(`${where(at)}: ${message}`);
      this.raw.clear(); // the rest of the section can no longer be trusted
    };
    try {
      let lastFunc = -1;
      for (let n = r.u32('the number of functions'); n > 0; n--) {
        const at = r.pos;
        const funcIndex = r.u32('a function index');
        if (funcIndex <= lastFunc) return fail(at, `function ${funcIndex} out of order, after function ${lastFunc}`);
        lastFunc = funcIndex;
        if (funcIndex < imported || funcIndex - imported >= this.module.codes.length) {
          return fail(at, `unknown function ${funcIndex}: hints need a function defined in the module`);
        }
        const hints: RawHint[] = [];
        let lastPos = -1;
        for (let m = r.u32('the number of hints'); m > 0; m--) {
          const hintAt = r.pos;
          const pos = r.u32('an instruction offset');
          if (pos <= lastPos) return fail(hintAt, `hint at body offset ${pos} out of order, after ${lastPos}`);
          lastPos = pos;
          if (r.u32('the hint size') !== 1) return fail(hintAt, 'malformed hint: its size must be 1');
          const value = r.byte('the hint');
          if (value > 1) return fail(hintAt, `malformed hint: ${value} is neither 0 (unlikely) nor 1 (likely)`);
          hints.push({ pos, likely: value === 1, at: hintAt });
        }
        this.raw.set(funcIndex, hints);
      }
      if (!r.atEnd()) fail(r.pos, 'unexpected bytes after the last function');
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      fail(err.offset, `malformed section: ${err.message}`);
    }
  }
}

const IF = 0x04;
const BR_IF = 0x0d;

/** Where a body's locals start, just after its size field. */
function bodyStartOf(module: Module, code: number): number {
  const r = new Reader(module.bytes, module.codes[code].offset);
  r.u32('the size of a function body');
  return r.pos;
}

function where(offset: number): string {
  return `${BRANCH_HINT_SECTION} section at byte 0x${offset.toString(16)}`;
}
