// The loaded program as the debugger names it: its units and instances, and for any frame its
// name (`math!fib`), its instance, and the source position of its current instruction.

import { FuncInst, UncaughtException, type Execution, type FrameView, type Instance, type Trap } from '../engine/index';
import { HostTrap } from '../host/unresolved';
import type { SourceLocation } from '../text/sourceMap';
import type { DebugInstance } from './inspect';
import { ModuleNames } from '../text/print/names';
import { CodeUnit, functionName, locationOf } from './units';
import { formatReference } from './values';

/** Frames a trap report shows at most: the innermost ones and the outermost ones. */
const REPORT_INNER = 20;
const REPORT_OUTER = 5;

export class ProgramView {
  readonly units: CodeUnit[] = [];
  readonly instances: DebugInstance[] = [];
  private readonly byInstance = new Map<Instance, DebugInstance>();

  /** Forgets everything (a restart loads the program again). */
  clear(): void {
    this.units.length = 0;
    this.instances.length = 0;
    this.byInstance.clear();
  }

  /** Records a unit (a module, before or with its first instance); says whether it is new. */
  addUnit(unit: CodeUnit): boolean {
    if (this.units.includes(unit)) return false;
    this.units.push(unit);
    return true;
  }

  /** Records an instance of `unit` (recorded first with addUnit). Instance ids count from 1. */
  add(unit: CodeUnit, instance: Instance, name: string): DebugInstance {
    unit.instanceNames.push(name);
    const inst: DebugInstance = { id: this.instances.length + 1, name, instance, unit };
    this.instances.push(inst);
    this.byInstance.set(instance, inst);
    return inst;
  }

  instanceOf(instance: Instance | null): DebugInstance | undefined {
    return instance ? this.byInstance.get(instance) : undefined;
  }

  unitOf(frame: FrameView): CodeUnit | undefined {
    return this.instanceOf(frame.instance)?.unit;
  }

  /** Where the frame's current instruction is in the text; undefined for host frames and code without text. */
  location(frame: FrameView): SourceLocation | undefined {
    if (frame.offset < 0) return undefined;
    const unit = this.unitOf(frame);
    return unit && locationOf(unit, frame.func.index, frame.offset);
  }

  /** `math!fib`; a host function by its own name (`[host] console.log_str`). */
  frameName(frame: FrameView): string {
    if (!frame.instance) return `[host] ${frame.func.name}`;
    const inst = this.instanceOf(frame.instance);
    const name = inst ? functionName(inst.unit, frame.func.index) : frame.func.name;
    return `${inst?.name ?? frame.instance.name}!${name}`;
  }

  /** A function reference named as in the stack (`math!fib`); other references as values. */
  referenceName(ref: unknown): string {
    if (ref instanceof FuncInst) {
      if (!ref.instance) return `[host] ${ref.name}`;
      const inst = this.instanceOf(ref.instance);
      const named = inst?.unit ?? { module: ref.instance.module, names: ModuleNames.of(ref.instance.module) };
      return `${inst?.name ?? ref.instance.name}!${functionName(named, ref.index)}`;
    }
    return formatReference(ref);
  }

  /**
   * `trap: integer divide by zero` and the wasm stack of `exec` at the trap, innermost first; a
   * very deep stack (call stack exhausted) shows its innermost and outermost frames only.
   */
  trapReport(trap: Trap, exec: Execution | null): string {
    // An exception nobody caught ends the run like a trap; its message already says what it is.
    const heading = trap instanceof UncaughtException ? trap.message : `trap: ${trap.message}`;
    return this.stackReport(heading, exec, trap instanceof HostTrap ? trap.func.name : null);
  }

  /** `heading`, then the wasm stack of `exec` innermost first (below a host function's frame when one trapped). */
  stackReport(heading: string, exec: Execution | null, hostTop: string | null = null): string {
    const lines = [heading];
    if (hostTop !== null) lines.push(`    at [host] ${hostTop} (host)`);
    if (exec) {
      const top = exec.callStack.height - 1;
      const depth = top - exec.base + 1;
      const line = (h: number) => {
        const frame = exec.frame(h);
        const loc = this.location(frame);
        const where = loc ? `${loc.file}:${loc.line}:${loc.column}` : frame.offset >= 0 ? `offset 0x${frame.offset.toString(16)}` : 'host';
        lines.push(`    at ${this.frameName(frame)} (${where})`);
      };
      if (depth <= REPORT_INNER + REPORT_OUTER) {
        for (let h = top; h >= exec.base; h--) line(h);
      } else {
        for (let h = top; h > top - REPORT_INNER; h--) line(h);
        lines.push(`    ... ${depth - REPORT_INNER - REPORT_OUTER} more frames ...`);
        for (let h = exec.base + REPORT_OUTER - 1; h >= exec.base; h--) line(h);
      }
    }
    return lines.join('\n') + '\n';
  }
}
