// Scopes and variables of a stopped frame: Locals (parameters first), the operand stack, the
// instance's globals, its memories (rows of 16 bytes, and a memoryReference for the memory view)
// and its tables. A v128 expands into its lane shapes and each shape into its lanes.
// References are valid until the program runs again (`reset`).

import type { ChangedValueView, ScopeView, VariableView } from './views';

export interface VariablesRequest {
  variablesReference: number;
  filter?: 'indexed' | 'named';
  start?: number;
  count?: number;
  format?: { hex?: boolean };
}

export interface SetVariableRequest {
  variablesReference: number;
  name: string;
  value: string;
  format?: { hex?: boolean };
}
import type { FrameView, Value } from '../engine/index';
import { assign } from './assign';
import { EvalError, evalTypeName, evaluate, formatEvalValue, type EvalValue } from './evaluate';
import { AssignError } from './evalValue';
import { writeSlot } from './evaluateGc';
import { DebugInstance, frameContext, globalLabel, localLabel, memoryLabel, type Invoker } from './inspect';
import { memoryReference } from './memoryRefs';
import { itemName } from './units';
import { formatValue, hexBytes, type FormatOptions } from './values';
import { arrayElement, fieldLabel, isGcObject, isMutable, storageLabel, storedValue } from './gcValues';
import { Exception, GcArray, GcStruct, isRefType } from '../engine/index';
import { parseStored } from './gcAssign';
import { SHOWN_SHAPES, formatLane, formatShape, isLaneShape, laneTypeName, type LaneShape, LANE_SHAPES } from './vectors';
import { RequestError } from './requestError';

type Container =
  | { kind: 'locals'; inst: DebugInstance; height: number }
  | { kind: 'operands'; inst: DebugInstance; height: number }
  /** `height`: the frame the scope was asked for, whose locals a value typed into a global's struct may name. */
  | { kind: 'globals'; inst: DebugInstance; height: number | null }
  | { kind: 'memories'; inst: DebugInstance }
  | { kind: 'memory'; inst: DebugInstance; index: number }
  | { kind: 'tables'; inst: DebugInstance }
  | { kind: 'table'; inst: DebugInstance; index: number }
  /** A v128's shapes, and one shape's lanes. */
  | { kind: 'vector'; src: VectorSource }
  | { kind: 'lanes'; src: VectorSource; shape: LaneShape }
  /** A struct's fields, an array's elements or an exception's tag and payload; `label` is the expression naming it. */
  | { kind: 'gc'; object: GcStruct | GcArray | Exception; scope: Scope; label: string | null };

/** The frame (null: none, for a global) whose context evaluates what is typed into a container. */
interface Scope {
  inst: DebugInstance;
  height: number | null;
}

/** Where a shown v128 lives: read again on every request, written through its expression (`$v`, `global2`). */
interface VectorSource {
  inst: DebugInstance;
  /** The frame of a local or operand; null for a global. */
  height: number | null;
  /** The expression that names it, when it can be changed (locals and mutable globals). */
  label: string | null;
  read(): Uint8Array;
}

export const ROW_BYTES = 16;

/** A problem the client caused (unknown reference, bad value): becomes an error response. */


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

  /** The local or global a variable of the Locals or a Globals scope is, for a data breakpoint; null for any other. */
  watchable(variablesReference: number, name: string): { kind: 'local'; inst: DebugInstance; height: number; index: number } | { kind: 'global'; inst: DebugInstance; index: number } | null {
    const c = this.containers.get(variablesReference);
    if (c?.kind === 'locals') {
      const frame = this.frameAt(c.height);
      const index = frame.locals().findIndex((_, i) => localLabel(c.inst, frame.func.index, i) === name);
      return index < 0 ? null : { kind: 'local', inst: c.inst, height: c.height, index };
    }
    if (c?.kind === 'globals') {
      const index = c.inst.instance.globals.findIndex((_, i) => globalLabel(c.inst, i) === name);
      return index < 0 ? null : { kind: 'global', inst: c.inst, index };
    }
    return null;
  }

  scopes(inst: DebugInstance, height: number | null): ScopeView[] {
    const scopes: ScopeView[] = [];
    if (height !== null) {
      const frame = this.frameAt(height);
      scopes.push({ name: 'Locals', presentationHint: 'locals', variablesReference: this.ref({ kind: 'locals', inst, height }), namedVariables: frame.locals().length, expensive: false });
      scopes.push({ name: 'Operand Stack', variablesReference: this.ref({ kind: 'operands', inst, height }), indexedVariables: frame.operands().length, expensive: false });
    }
    const i = inst.instance;
    scopes.push({ name: `Globals (${inst.name})`, variablesReference: this.ref({ kind: 'globals', inst, height }), namedVariables: i.globals.length, expensive: false });
    if (i.memories.length) scopes.push({ name: `Memory (${inst.name})`, variablesReference: this.ref({ kind: 'memories', inst }), namedVariables: i.memories.length, expensive: false });
    if (i.tables.length) scopes.push({ name: `Tables (${inst.name})`, variablesReference: this.ref({ kind: 'tables', inst }), namedVariables: i.tables.length, expensive: false });
    return scopes;
  }

  variables(args: VariablesRequest): VariableView[] {
    const c = this.containers.get(args.variablesReference);
    if (!c) throw new RequestError(`unknown variablesReference ${args.variablesReference}`);
    const options: FormatOptions = { hex: args.format?.hex, reference: this.referenceName };
    return this.list(c, options, args);
  }

  private list(c: Container, options: FormatOptions, args: VariablesRequest): VariableView[] {
    const window = <T>(items: T[], total: number, make: (item: T, i: number) => VariableView) => {
      const start = args.start ?? 0;
      const count = args.count ?? total - start;
      const out: VariableView[] = [];
      for (let i = start; i < Math.min(total, start + count); i++) out.push(make(items[i], i));
      return out;
    };
    switch (c.kind) {
      case 'locals': {
        const frame = this.frameAt(c.height);
        return frame.locals().map((v, i) => {
          const name = localLabel(c.inst, frame.func.index, i);
          const read = () => vectorBytes(this.frameAt(c.height).locals()[i]);
          return withAddress(this.withLanes(valueVariable(name, v, options, name), v, { inst: c.inst, height: c.height, label: name, read }), c.inst, v);
        });
      }
      case 'operands': {
        const operands = this.frameAt(c.height).operands();
        return window(operands, operands.length, (v, i) => {
          const read = () => vectorBytes(this.frameAt(c.height).operands()[i]);
          const variable = withAddress(this.withLanes(valueVariable(`[${i}]`, v, options), v, { inst: c.inst, height: c.height, label: null, read }), c.inst, v);
          variable.presentationHint = { kind: 'data', attributes: ['readOnly'] };
          return variable;
        });
      }
      case 'vector': {
        const bytes = c.src.read();
        return SHOWN_SHAPES.map((shape) => ({
          name: shape,
          value: formatShape(bytes, shape, options.hex),
          type: 'v128',
          variablesReference: this.ref({ kind: 'lanes', src: c.src, shape }),
          indexedVariables: LANE_SHAPES[shape].count,
          presentationHint: c.src.label ? undefined : { kind: 'data', attributes: ['readOnly'] },
        }));
      }
      case 'lanes': {
        const bytes = c.src.read();
        const count = LANE_SHAPES[c.shape].count;
        return window(new Array<undefined>(count), count, (_, i) => ({
          name: `[${i}]`,
          value: formatLane(bytes, c.shape, i, options.hex),
          type: laneTypeName(c.shape),
          variablesReference: 0,
          evaluateName: c.src.label ? `${c.src.label}.${c.shape}[${i}]` : undefined,
          presentationHint: c.src.label ? undefined : { kind: 'data', attributes: ['readOnly'] },
        }));
      }
      case 'globals':
        return c.inst.instance.globals.map((g, i) => {
          const name = globalLabel(c.inst, i);
          const label = g.type.mutable ? name : null;
          const variable = withAddress(this.withLanes(valueVariable(name, g.get(), options, name), g.get(), { inst: c.inst, height: null, label, read: () => vectorBytes(g.get()) }, c), c.inst, g.get());
          variable.type = `${g.type.mutable ? 'mut ' : ''}${g.type.type}`;
          if (!g.type.mutable) variable.presentationHint = { kind: 'data', attributes: ['readOnly', 'constant'] };
          return variable;
        });
      case 'memories':
        return c.inst.instance.memories.map((m, i) => {
          const bytes = m.buffer.byteLength;
          const pages = m.pages();
          return {
            name: memoryLabel(c.inst, i),
            value: `${pages} page${pages === 1 ? '' : 's'} (${bytes} bytes)`,
            type: 'memory',
            variablesReference: bytes > 0 ? this.ref({ kind: 'memory', inst: c.inst, index: i }) : 0,
            indexedVariables: Math.ceil(bytes / ROW_BYTES),
            memoryReference: memoryReference(c.inst.id, i),
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
          const bytesText = hexBytes(chunk);
          const ascii = [...chunk].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
          return {
            name: hex(at, width),
            value: `${bytesText}  ${ascii}`,
            variablesReference: 0,
            memoryReference: memoryReference(c.inst.id, c.index, BigInt(at)),
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
      case 'gc': {
        const o = c.object;
        const child = (name: string, access: string, v: Value, type: string, readOnly: boolean) => {
          const variable: VariableView = { name, value: formatValue(v, options), type, variablesReference: 0, evaluateName: c.label === null ? undefined : c.label + access };
          if (readOnly) variable.presentationHint = { kind: 'data', attributes: ['readOnly'] };
          return this.withGc(variable, (v as { value?: unknown }).value, c.scope);
        };
        if (o instanceof Exception) {
          const tag: VariableView = { name: 'tag', value: o.tag.name, type: 'tag', variablesReference: 0, presentationHint: { kind: 'data', attributes: ['readOnly'] } };
          return [tag, ...o.payload.map((v, i) => child(`[${i}]`, `[${i}]`, v, o.tag.type.params[i], true))];
        }
        const t = o.type;
        if (o instanceof GcStruct) {
          return o.fields.map((stored, i) => {
            const name = fieldLabel(t, i);
            return child(name, `.${name === `field ${i}` ? `field${i}` : name}`, storedValue(t.types[i], stored), storageLabel(t.types[i], isMutable(t, i)), !isMutable(t, i));
          });
        }
        const mutable = isMutable(t, 0);
        return window(new Array<undefined>(o.length), o.length, (_, i) => child(`[${i}]`, `[${i}]`, storedValue(t.types[0], arrayElement(o, i)), storageLabel(t.types[0], mutable), !mutable));
      }
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

  /**
   * An evaluate result's children: a v128's lanes (read-only), a struct's fields, an array's elements
   * or an exception's tag and payload as in Variables (`expression` names it, `height` is the frame
   * it was evaluated in); 0 for anything else.
   */
  resultReference(result: EvalValue, inst: DebugInstance, height: number | null, expression: string): { variablesReference: number; namedVariables?: number; indexedVariables?: number } {
    if (result.kind !== 'opaque') return { variablesReference: 0 };
    if (result.value.type === 'v128') {
      const bytes = result.value.bytes;
      return { variablesReference: this.ref({ kind: 'vector', src: { inst, height: null, label: null, read: () => bytes } }) };
    }
    const { variablesReference, namedVariables, indexedVariables } = this.withGc({ name: '', value: '', variablesReference: 0, evaluateName: expression }, (result.value as { value?: unknown }).value, { inst, height });
    return { variablesReference, namedVariables, indexedVariables };
  }

  /** A v128 variable gets its shapes as children. */
  private withLanes(variable: VariableView, v: Value, src: VectorSource, gcScope: Scope = src): VariableView {
    if (v.type !== 'v128') return this.withGc(variable, (v as { value?: unknown }).value, gcScope);
    variable.variablesReference = this.ref({ kind: 'vector', src });
    variable.namedVariables = SHOWN_SHAPES.length;
    return variable;
  }

  /**
   * A struct, an array or an exception gets its fields, elements (paged: indexedVariables) or tag
   * and payload as children, named by expressions under the variable's own `evaluateName`.
   */
  private withGc(variable: VariableView, value: unknown, scope: Scope): VariableView {
    if (!isGcObject(value)) return variable;
    variable.variablesReference = this.ref({ kind: 'gc', object: value, scope: { inst: scope.inst, height: scope.height }, label: variable.evaluateName ?? null });
    if (value instanceof GcArray) variable.indexedVariables = value.length;
    else variable.namedVariables = value instanceof GcStruct ? value.fields.length : 1 + value.payload.length;
    return variable;
  }

  /**
   * Sets a mutable struct field (by its shown name) or array element (`[3]`): a number field to a
   * number, a reference one to `null` or an expression's reference of its type (`$other`, `$p.next`).
   */
  private setGc(c: Container & { kind: 'gc' }, args: SetVariableRequest): ChangedValueView {
    const object = c.object;
    if (object instanceof Exception) throw new RequestError(`setVariable: ${args.name} cannot be changed: an exception's tag and payload are immutable`);
    const t = object.type;
    let index: number;
    if (object instanceof GcStruct) {
      index = object.fields.findIndex((_, i) => fieldLabel(t, i) === args.name);
      if (index < 0) throw new RequestError(`setVariable: ${t.module.names?.types?.get(t.index) ?? 'the struct'} has no field ${JSON.stringify(args.name)}`);
    } else {
      const m = /^\[(\d+)\]$/.exec(args.name);
      index = m ? Number(m[1]) : -1;
      if (index < 0 || index >= object.length) throw new RequestError(`setVariable: ${JSON.stringify(args.name)} is not an element [0] to [${object.length - 1}] of the array`);
    }
    const storage = t.types[object instanceof GcStruct ? index : 0];
    if (!isMutable(t, object instanceof GcStruct ? index : 0)) throw new RequestError(`setVariable: ${args.name} is immutable (its type declares it without mut)`);
    const options = { hex: args.format?.hex, reference: this.referenceName };
    if (isRefType(storage)) {
      const frame = c.scope.height === null ? null : this.frameAt(c.scope.height);
      let result: EvalValue;
      try {
        result = writeSlot({ object, index, name: args.name }, evaluate(args.value, frameContext(c.scope.inst, frame, this.invoker)), args.value);
      } catch (e) {
        if (e instanceof AssignError || e instanceof EvalError) throw new RequestError(`setVariable: ${e.message}`);
        throw e;
      }
      const label = c.label === null ? undefined : `${c.label}${object instanceof GcStruct ? `.${args.name}` : args.name}`;
      const shown = this.withGc({ name: args.name, value: formatEvalValue(result, options), type: storageLabel(storage, true), variablesReference: 0, evaluateName: label }, (result as { value?: { value?: unknown } }).value?.value, c.scope);
      return { value: shown.value, type: shown.type, variablesReference: shown.variablesReference, namedVariables: shown.namedVariables, indexedVariables: shown.indexedVariables };
    }
    const stored = parseStored(storage, args.value, args.name);
    if (object instanceof GcStruct) object.fields[index] = stored;
    else (object.data as unknown[])[index] = stored;
    return { value: formatValue(storedValue(storage, stored), options), type: storageLabel(storage, true) };
  }

  /** Sets a whole vector in one shape (`1 2 3 4` under `i32x4`) or one lane (`[2]` under `i32x4`). */
  private setVector(c: Container & { kind: 'vector' | 'lanes' }, args: SetVariableRequest): ChangedValueView {
    const { src } = c;
    if (!src.label) throw new RequestError(`${args.name} cannot be changed: it is on the operand stack or in an immutable global`);
    const frame = src.height === null ? null : this.frameAt(src.height);
    const options = { hex: args.format?.hex, reference: this.referenceName };
    if (c.kind === 'lanes') {
      if (!/^\[\d+\]$/.test(args.name)) throw new RequestError(`setVariable: name ${JSON.stringify(args.name)} is not a lane such as [0]`);
      const result = assign(`${src.label}.${c.shape}${args.name}`, args.value, src.inst, frame, this.invoker);
      return { value: formatEvalValue(result, options), type: evalTypeName(result) };
    }
    if (!isLaneShape(args.name)) throw new RequestError(`setVariable: name ${JSON.stringify(args.name)} is not a lane shape such as i32x4`);
    const value = isLaneShape(args.value.trim().split(/\s+/)[0]) ? args.value : `${args.name} ${args.value}`;
    assign(src.label, value, src.inst, frame, this.invoker);
    return { value: formatShape(src.read(), args.name, options.hex), type: 'v128' };
  }

  /** Changes a local or a mutable global; `value` is an expression evaluated in the frame. */
  setVariable(args: SetVariableRequest): ChangedValueView {
    const c = this.containers.get(args.variablesReference);
    if (!c) throw new RequestError(`unknown variablesReference ${args.variablesReference}`);
    if (c.kind === 'vector' || c.kind === 'lanes') return this.setVector(c, args);
    if (c.kind === 'gc') return this.setGc(c, args);
    if (c.kind === 'operands') throw new RequestError('values on the operand stack cannot be changed');
    if (c.kind !== 'locals' && c.kind !== 'globals') throw new RequestError(`${args.name} cannot be changed here; use the memory view to edit memory`);
    // Locals are set in their frame; globals without one, so a local of the same name cannot shadow them.
    const frame = c.kind === 'locals' ? this.frameAt(c.height) : null;
    const result = assign(args.name, args.value, c.inst, frame, this.invoker);
    return { value: formatEvalValue(result, { hex: args.format?.hex, reference: this.referenceName }), type: evalTypeName(result) };
  }
}

function vectorBytes(v: Value | undefined): Uint8Array {
  if (!v || v.type !== 'v128') throw new RequestError('the vector is no longer there: the program has moved on');
  return v.bytes;
}

/** A variable for one value: typed, exact, with the expression that reads it again. */
/**
 * An integer of memory 0's address type (i32, or i64 for a memory64) may be an address: its
 * memoryReference opens the memory view there (VS Code's "View Binary Data").
 */
function withAddress(variable: VariableView, inst: DebugInstance, v: Value): VariableView {
  const memory = inst.instance.memories[0];
  if (!memory) return variable;
  if (v.type === 'i32' && !memory.type.limits.address64) variable.memoryReference = memoryReference(inst.id, 0, BigInt(v.value >>> 0));
  if (v.type === 'i64' && memory.type.limits.address64) variable.memoryReference = memoryReference(inst.id, 0, BigInt.asUintN(64, v.value));
  return variable;
}

export function valueVariable(name: string, v: Value, options: FormatOptions, evaluateName?: string): VariableView {
  return { name, value: formatValue(v, options), type: v.type, variablesReference: 0, evaluateName };
}
