// Scopes and variables of a stopped frame: Locals (parameters first), the operand stack, the
// instance's globals, its memories (rows of 16 bytes, and a memoryReference for the memory view)
// and its tables. References are valid until the program runs again (`reset`).

import type { DebugProtocol } from '@vscode/debugprotocol';
import type { FrameView, Value } from '../engine/index';
import { assign } from './assign';
import { evalTypeName, formatEvalValue } from './evaluate';
import { DebugInstance, globalLabel, localLabel, type Invoker } from './inspect';
import { itemName } from './units';
import { formatValue, type FormatOptions } from './values';

type Container =
  | { kind: 'locals'; inst: DebugInstance; height: number }
  | { kind: 'operands'; inst: DebugInstance; height: number }
  | { kind: 'globals'; inst: DebugInstance }
  | { kind: 'memories'; inst: DebugInstance }
  | { kind: 'memory'; inst: DebugInstance; index: number }
  | { kind: 'tables'; inst: DebugInstance }
  | { kind: 'table'; inst: DebugInstance; index: number };

export const ROW_BYTES = 16;

/** A problem the client caused (unknown reference, bad value): becomes an error response. */
export class RequestError extends Error {}

/** `memory/<instance id>/<memory index>`: what readMemory/writeMemory and the memory view use. */
export function memoryReference(inst: DebugInstance, index: number): string {
  return `memory/${inst.id}/${index}`;
}

export function parseMemoryReference(ref: string): { instanceId: number; index: number } | undefined {
  const m = /^memory\/(\d+)\/(\d+)$/.exec(ref);
  return m ? { instanceId: Number(m[1]), index: Number(m[2]) } : undefined;
}

function hex(n: number, width: number): string {
  return '0x' + n.toString(16).padStart(width, '0');
}

export class Variables {
  private containers = new Map<number, Container>();
  private nextRef = 1;

  constructor(
    private readonly frameAt: (height: number) => FrameView,
    /** Names function references as the stack does (`math!fib`). */
    private readonly referenceName: (ref: unknown) => string,
    /** Runs calls written in a new value (`$n = fib(3)`). */
    private readonly invoker?: Invoker,
  ) {}

  /** Forget every reference: the program is about to run. */
  reset(): void {
    this.containers.clear();
    this.nextRef = 1;
  }

  private ref(c: Container): number {
    const id = this.nextRef++;
    this.containers.set(id, c);
    return id;
  }

  scopes(inst: DebugInstance, height: number | null): DebugProtocol.Scope[] {
    const scopes: DebugProtocol.Scope[] = [];
    if (height !== null) {
      const frame = this.frameAt(height);
      scopes.push({ name: 'Locals', presentationHint: 'locals', variablesReference: this.ref({ kind: 'locals', inst, height }), namedVariables: frame.locals().length, expensive: false });
      scopes.push({ name: 'Operand Stack', variablesReference: this.ref({ kind: 'operands', inst, height }), indexedVariables: frame.operands().length, expensive: false });
    }
    const i = inst.instance;
    scopes.push({ name: `Globals (${inst.name})`, variablesReference: this.ref({ kind: 'globals', inst }), namedVariables: i.globals.length, expensive: false });
    if (i.memories.length) scopes.push({ name: `Memory (${inst.name})`, variablesReference: this.ref({ kind: 'memories', inst }), namedVariables: i.memories.length, expensive: false });
    if (i.tables.length) scopes.push({ name: `Tables (${inst.name})`, variablesReference: this.ref({ kind: 'tables', inst }), namedVariables: i.tables.length, expensive: false });
    return scopes;
  }

  variables(args: DebugProtocol.VariablesArguments): DebugProtocol.Variable[] {
    const c = this.containers.get(args.variablesReference);
    if (!c) throw new RequestError(`unknown variablesReference ${args.variablesReference}`);
    const options: FormatOptions = { hex: args.format?.hex, reference: this.referenceName };
    return this.list(c, options, args);
  }

  private list(c: Container, options: FormatOptions, args: DebugProtocol.VariablesArguments): DebugProtocol.Variable[] {
    const window = <T>(items: T[], total: number, make: (item: T, i: number) => DebugProtocol.Variable) => {
      const start = args.start ?? 0;
      const count = args.count ?? total - start;
      const out: DebugProtocol.Variable[] = [];
      for (let i = start; i < Math.min(total, start + count); i++) out.push(make(items[i], i));
      return out;
    };
    switch (c.kind) {
      case 'locals': {
        const frame = this.frameAt(c.height);
        return frame.locals().map((v, i) => {
          const name = localLabel(c.inst, frame.func.index, i);
          return valueVariable(name, v, options, name);
        });
      }
      case 'operands': {
        const operands = this.frameAt(c.height).operands();
        return window(operands, operands.length, (v, i) => {
          const variable = valueVariable(`[${i}]`, v, options);
          variable.presentationHint = { kind: 'data', attributes: ['readOnly'] };
          return variable;
        });
      }
      case 'globals':
        return c.inst.instance.globals.map((g, i) => {
          const name = globalLabel(c.inst, i);
          const variable = valueVariable(name, g.get(), options, name);
          variable.type = `${g.type.mutable ? 'mut ' : ''}${g.type.type}`;
          if (!g.type.mutable) variable.presentationHint = { kind: 'data', attributes: ['readOnly', 'constant'] };
          return variable;
        });
      case 'memories':
        return c.inst.instance.memories.map((m, i) => {
          const bytes = m.buffer.byteLength;
          const pages = m.pages();
          const name = itemName(c.inst.unit, 'memories', i);
          return {
            name: name ? `$${name}` : `memory${i}`,
            value: `${pages} page${pages === 1 ? '' : 's'} (${bytes} bytes)`,
            type: 'memory',
            variablesReference: bytes > 0 ? this.ref({ kind: 'memory', inst: c.inst, index: i }) : 0,
            indexedVariables: Math.ceil(bytes / ROW_BYTES),
            memoryReference: memoryReference(c.inst, i),
          };
        });
      case 'memory': {
        const mem = c.inst.instance.memories[c.index];
        const u8 = new Uint8Array(mem.buffer);
        const rows = Math.ceil(u8.length / ROW_BYTES);
        const width = Math.max(4, (u8.length - 1).toString(16).length);
        return window(new Array<undefined>(rows), rows, (_, row) => {
          const at = row * ROW_BYTES;
          const chunk = u8.subarray(at, Math.min(u8.length, at + ROW_BYTES));
          const bytesText = [...chunk].map((b) => b.toString(16).padStart(2, '0')).join(' ');
          const ascii = [...chunk].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
          return {
            name: hex(at, width),
            value: `${bytesText}  ${ascii}`,
            variablesReference: 0,
            memoryReference: memoryReference(c.inst, c.index),
            presentationHint: { kind: 'data', attributes: ['rawString'] },
          };
        });
      }
      case 'tables':
        return c.inst.instance.tables.map((t, i) => {
          const name = itemName(c.inst.unit, 'tables', i);
          const size = t.size();
          return {
            name: name ? `$${name}` : `table${i}`,
            value: `${t.type.elem}[${size}]`,
            type: 'table',
            variablesReference: size > 0 ? this.ref({ kind: 'table', inst: c.inst, index: i }) : 0,
            indexedVariables: size,
          };
        });
      case 'table': {
        const table = c.inst.instance.tables[c.index];
        const size = table.size();
        return window(new Array<undefined>(size), size, (_, i) => ({
          name: `[${i}]`,
          value: this.referenceName(table.get(i)),
          type: table.type.elem,
          variablesReference: 0,
        }));
      }
    }
  }

  /** Changes a local or a mutable global; `value` is an expression evaluated in the frame. */
  setVariable(args: DebugProtocol.SetVariableArguments): DebugProtocol.SetVariableResponse['body'] {
    const c = this.containers.get(args.variablesReference);
    if (!c) throw new RequestError(`unknown variablesReference ${args.variablesReference}`);
    if (c.kind === 'operands') throw new RequestError('values on the operand stack cannot be changed');
    if (c.kind !== 'locals' && c.kind !== 'globals') throw new RequestError(`${args.name} cannot be changed here; use the memory view to edit memory`);
    // Locals are set in their frame; globals without one, so a local of the same name cannot shadow them.
    const frame = c.kind === 'locals' ? this.frameAt(c.height) : null;
    const result = assign(args.name, args.value, c.inst, frame, this.invoker);
    return { value: formatEvalValue(result, { hex: args.format?.hex, reference: this.referenceName }), type: evalTypeName(result) };
  }
}

/** A variable for one value: typed, exact, with the expression that reads it again. */
export function valueVariable(name: string, v: Value, options: FormatOptions, evaluateName?: string): DebugProtocol.Variable {
  return { name, value: formatValue(v, options), type: v.type, variablesReference: 0, evaluateName };
}
