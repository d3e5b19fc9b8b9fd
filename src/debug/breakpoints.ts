// Breakpoints of every kind the client sets (source lines, functions, instructions), resolved to
// instruction positions in the loaded units and handed to the engine per (module, function).
// When the engine stops at one, `check` decides whether the user sees a stop: instance filter,
// condition, hit count; log points print instead of stopping.

import type { BreakpointLocationView, BreakpointView } from './views';
import { funcCode, funcIndexAt, importCount, type Module } from '../engine/index';
import { EvalContext, EvalError, Expr, evaluateExpression, formatEvalValue, isTruthy, parseExpression } from './evaluate';
import { CodeUnit, fileMap, functionsNamed, instructionAddress, lineEntries, locationOf, nextLineWithEntries, parseInstructionAddress, pathKey } from './units';
import { functionBody } from '../text/print/body';
import type { SourceMap } from '../text/sourceMap';

export { pathKey };

/** The engine's breakpoint hook (Store.setBreakpoints). */
export type SetEngineBreakpoints = (module: Module, funcIndex: number, offsets: number[]) => void;

export interface Location {
  unit: CodeUnit;
  funcIndex: number;
  offset: number;
}

type HitTest = (hits: number) => boolean;

interface LogPart {
  text?: string;
  expr?: Expr;
  source?: string;
}

interface Spec {
  id: number;
  kind: 'source' | 'function' | 'instruction';
  condition: Expr | null;
  hitTest: HitTest | null;
  log: LogPart[] | null;
  /** Only stop in this instance (function breakpoints written `instance!function`). */
  instance: string | null;
  /** Why the breakpoint cannot work as written (a bad condition); it never resolves then. */
  problem: string | null;
  /** A breakpoint on a .wast invocation command: the command's first line. */
  commandLine: number | null;
  hits: number;
  locations: Location[];
  /** What the user asked for: source line/column, function name, instruction address. */
  request: { file?: string; line?: number; column?: number; name?: string; reference?: string; offset?: number };
}

/** A source breakpoint as the client asked for it; `problem` (a line that is not one) keeps it unverified. */
export interface FunctionBreakpointRequest {
  name: string;
  condition?: string;
  hitCondition?: string;
}

export interface InstructionBreakpointRequest {
  instructionReference: string;
  offset?: number;
  condition?: string;
  hitCondition?: string;
}

export interface SourceBreakpointRequest {
  line?: number;
  column?: number;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
  problem?: string;
}

export interface HitResult {
  /** The user should see a stop here. */
  stop: boolean;
  hitBreakpointIds: number[];
  /** Log-point messages to print. */
  logs: string[];
  /** Conditions that failed to evaluate (the stop happens so the user sees the problem). */
  errors: string[];
}

const HIT_CONDITION = /^(>=|<=|==|=|>|<|%)?\s*([0-9]+)$/;

/** `5` (the 5th hit), `>= 5`, `> 5`, `< 5`, `<= 5`, `== 5`, `% 5` (every 5th hit). */
export function parseHitCondition(text: string): HitTest {
  const m = HIT_CONDITION.exec(text.trim());
  if (!m) throw new Error(`hit count '${text}': expected a number, optionally after >, >=, <, <=, == or % (e.g. ">= 3")`);
  const n = Number(m[2]);
  switch (m[1]) {
    case '>=': return (h) => h >= n;
    case '<=': return (h) => h <= n;
    case '>': return (h) => h > n;
    case '<': return (h) => h < n;
    case '%': return (h) => n !== 0 && h % n === 0;
    default: return (h) => h === n;
  }
}

/** A log message with `{expression}` parts; `{{` and `}}` write braces. */
export function parseLogMessage(text: string): LogPart[] {
  const parts: LogPart[] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ((c === '{' || c === '}') && text[i + 1] === c) {
      literal += c;
      i++;
    } else if (c === '{') {
      const close = text.indexOf('}', i);
      if (close < 0) throw new Error(`log message: '{' at column ${i + 1} is not closed`);
      if (literal) parts.push({ text: literal });
      literal = '';
      const source = text.slice(i + 1, close);
      try {
        parts.push({ expr: parseExpression(source), source });
      } catch (e) {
        throw new Error(`log message {${source}}: ${(e as Error).message}`);
      }
      i = close;
    } else {
      literal += c;
    }
  }
  if (literal) parts.push({ text: literal });
  return parts;
}

export class Breakpoints {
  private nextId = 1;
  private units: CodeUnit[] = [];
  private sourceSpecs = new Map<string, Spec[]>();
  private functionSpecs: Spec[] = [];
  private instructionSpecs: Spec[] = [];
  /** Breakpoints by module and offset, for `check`. */
  private index = new Map<Module, Map<number, Spec[]>>();
  /** What the engine currently has, per module and function. */
  private applied = new Map<Module, Map<number, string>>();
  /** Invocation commands of .wast scripts, by file key. */
  private commands = new Map<string, { line: number; column: number; endLine: number }[]>();
  /** Whether the program's files are all known (launch has loaded it): a file not among them is not part of it. */
  private loaded = false;

  constructor(private readonly setEngine: SetEngineBreakpoints) {}

  /** A new program (restart): forget the loaded units; the breakpoints stay and resolve again as units load. */
  reset(): void {
    this.units = [];
    this.commands.clear();
    this.index.clear();
    this.applied.clear();
    this.loaded = false;
    for (const spec of this.allSpecs()) spec.locations = [];
  }

  /** Every file of the program has its unit now (see `unresolvedReason`). */
  programLoaded(): void {
    this.loaded = true;
  }

  /** Hands every breakpoint to the engine again (once the engine exists for units added before it). */
  reapply(): void {
    this.applied.clear();
    this.sync();
  }

  /**
   * A module was loaded (launch, or a .wast module command): resolve what waits for it. Returns
   * the breakpoints whose state changed, for `breakpoint` events.
   */
  addUnit(unit: CodeUnit): BreakpointView[] {
    this.units.push(unit);
    const changed: Spec[] = [];
    for (const spec of this.allSpecs()) {
      const before = spec.locations.length;
      this.resolve(spec);
      if (spec.locations.length !== before) changed.push(spec);
    }
    this.sync();
    return changed.map((s) => this.describe(s));
  }

  /**
   * An instance was made: function breakpoints naming an instance (`math!fib`) resolve in it.
   * Returns the breakpoints whose state changed.
   */
  instanceAdded(): BreakpointView[] {
    const changed: Spec[] = [];
    for (const spec of this.functionSpecs) {
      if (spec.instance === null) continue;
      const before = spec.locations.length;
      this.resolve(spec);
      if (spec.locations.length !== before) changed.push(spec);
    }
    if (changed.length) this.sync();
    return changed.map((s) => this.describe(s));
  }

  setSourceBreakpoints(file: string, requested: SourceBreakpointRequest[]): BreakpointView[] {
    const key = pathKey(file);
    const specs = requested.map((bp) => {
      const spec = this.makeSpec('source', bp, { file: key, line: bp.line, column: bp.column }, bp.logMessage);
      if (bp.problem !== undefined) spec.problem = bp.problem;
      return spec;
    });
    this.sourceSpecs.set(key, specs);
    for (const spec of specs) this.resolve(spec);
    this.sync();
    return specs.map((s) => this.describe(s));
  }

  setFunctionBreakpoints(requested: FunctionBreakpointRequest[]): BreakpointView[] {
    this.functionSpecs = requested.map((bp) => {
      const spec = this.makeSpec('function', bp, { name: bp.name.trim() });
      const bang = spec.request.name!.lastIndexOf('!');
      if (bang > 0) spec.instance = spec.request.name!.slice(0, bang);
      return spec;
    });
    for (const spec of this.functionSpecs) this.resolve(spec);
    this.sync();
    return this.functionSpecs.map((s) => this.describe(s));
  }

  setInstructionBreakpoints(requested: InstructionBreakpointRequest[]): BreakpointView[] {
    this.instructionSpecs = requested.map((bp) =>
      this.makeSpec('instruction', bp, { reference: bp.instructionReference, offset: bp.offset ?? 0 }),
    );
    for (const spec of this.instructionSpecs) this.resolve(spec);
    this.sync();
    return this.instructionSpecs.map((s) => this.describe(s));
  }

  /** The lines and columns of `file` where a breakpoint can be set, within [line, endLine]. */
  locations(file: string, line: number, endLine = line, column?: number, endColumn?: number): BreakpointLocationView[] {
    const key = pathKey(file);
    const out: BreakpointLocationView[] = [];
    for (const unit of this.units) {
      const map = fileMap(unit, key);
      if (!map) continue;
      for (const l of map.lines) {
        if (l < line || l > endLine) continue;
        for (const c of map.columnsWithCode(l)) {
          if (l === line && column !== undefined && c < column) continue;
          if (l === endLine && endColumn !== undefined && c >= endColumn) continue;
          out.push({ line: l, column: c });
        }
      }
    }
    for (const c of this.commands.get(key) ?? []) {
      if (c.line >= line && c.line <= endLine) out.push({ line: c.line, column: c.column });
    }
    return out.sort((a, b) => a.line - b.line || a.column! - b.column!);
  }

  /**
   * The engine stopped at a breakpoint position: which breakpoints are there, and does the user
   * see a stop? `context` gives the frame's values for conditions and log messages.
   */
  check(module: Module, offset: number, instanceName: string, context: () => EvalContext): HitResult {
    return this.decide(this.index.get(module)?.get(offset) ?? [], instanceName, context);
  }

  /** A .wast script is about to run the invocation command starting at `line`: breakpoints on that command. */
  checkCommand(file: string, line: number, instanceName: string, context: () => EvalContext): HitResult {
    const key = pathKey(file);
    const specs = (this.sourceSpecs.get(key) ?? []).filter((s) => s.commandLine === line);
    return this.decide(specs, instanceName, context);
  }

  /**
   * The invocation commands of a .wast script (first and last line of each): a breakpoint on one
   * stops before the script runs it, with the script's own frame on top.
   */
  setScriptCommands(file: string, commands: { line: number; column: number; endLine: number }[]): BreakpointView[] {
    const key = pathKey(file);
    this.commands.set(key, commands);
    const specs = this.sourceSpecs.get(key) ?? [];
    for (const spec of specs) this.resolve(spec);
    this.sync();
    return specs.map((s) => this.describe(s));
  }

  /**
   * The breakpoints that would stop here when running backwards: conditions are evaluated, hit
   * counts neither counted nor tested (they count forward), log points never stop.
   */
  stopsGoingBack(module: Module, offset: number, instanceName: string, context: () => EvalContext): number[] {
    const ids: number[] = [];
    let ctx: EvalContext | undefined;
    for (const spec of this.index.get(module)?.get(offset) ?? []) {
      if ((spec.instance !== null && spec.instance !== instanceName) || spec.log) continue;
      if (spec.condition) {
        ctx ??= context();
        try {
          if (!isTruthy(evaluateExpression(spec.condition, ctx))) continue;
        } catch {
          // A condition that fails stops, as it does going forward.
        }
      }
      ids.push(spec.id);
    }
    return ids;
  }

  private decide(specs: Spec[], instanceName: string, context: () => EvalContext): HitResult {
    const result: HitResult = { stop: false, hitBreakpointIds: [], logs: [], errors: [] };
    let ctx: EvalContext | undefined;
    for (const spec of specs) {
      if (spec.instance !== null && spec.instance !== instanceName) continue;
      if (spec.condition) {
        ctx ??= context();
        let holds: boolean;
        try {
          holds = isTruthy(evaluateExpression(spec.condition, ctx));
        } catch (e) {
          result.errors.push(`breakpoint condition failed: ${(e as Error).message}`);
          result.stop = true;
          result.hitBreakpointIds.push(spec.id);
          continue;
        }
        if (!holds) continue;
      }
      spec.hits++;
      if (spec.hitTest && !spec.hitTest(spec.hits)) continue;
      if (spec.log) {
        ctx ??= context();
        result.logs.push(this.formatLog(spec.log, ctx));
        continue;
      }
      result.stop = true;
      result.hitBreakpointIds.push(spec.id);
    }
    return result;
  }

  /** Whether any breakpoint is placed anywhere. */
  any(): boolean {
    return this.index.size > 0;
  }

  /** Whether any breakpoint sits at this position (whatever its condition). */
  has(module: Module, offset: number): boolean {
    return this.index.get(module)?.has(offset) ?? false;
  }

  private formatLog(parts: LogPart[], ctx: EvalContext): string {
    return parts
      .map((p) => {
        if (p.text !== undefined) return p.text;
        try {
          return formatEvalValue(evaluateExpression(p.expr!, ctx));
        } catch (e) {
          return `<${p.source}: ${e instanceof EvalError ? e.message : String(e)}>`;
        }
      })
      .join('');
  }

  private makeSpec(
    kind: Spec['kind'],
    bp: { condition?: string; hitCondition?: string },
    request: Spec['request'],
    logMessage?: string,
  ): Spec {
    const spec: Spec = { id: this.nextId++, kind, condition: null, hitTest: null, log: null, instance: null, problem: null, commandLine: null, hits: 0, locations: [], request };
    try {
      if (bp.condition !== undefined && bp.condition.trim() !== '') {
        try {
          spec.condition = parseExpression(bp.condition);
        } catch (e) {
          throw new Error(`condition '${bp.condition}': ${(e as Error).message}`);
        }
      }
      if (bp.hitCondition !== undefined && bp.hitCondition.trim() !== '') spec.hitTest = parseHitCondition(bp.hitCondition);
      if (logMessage !== undefined && logMessage !== '') spec.log = parseLogMessage(logMessage);
    } catch (e) {
      spec.problem = (e as Error).message;
    }
    return spec;
  }

  private allSpecs(): Spec[] {
    return [...[...this.sourceSpecs.values()].flat(), ...this.functionSpecs, ...this.instructionSpecs];
  }

  private resolve(spec: Spec): void {
    spec.locations = [];
    spec.commandLine = null;
    if (spec.problem) return;
    if (spec.kind === 'source') this.resolveSource(spec);
    else if (spec.kind === 'function') this.resolveFunction(spec);
    else this.resolveInstruction(spec);
  }

  private resolveSource(spec: Spec): void {
    const { file, line, column } = spec.request;
    // A script's modules each own their lines: a breakpoint never moves out of the module it is in.
    const units: { unit: CodeUnit; map: SourceMap }[] = [];
    for (const unit of this.units) {
      const map = fileMap(unit, file!);
      if (map && (!unit.span || (unit.span.first <= line! && line! <= unit.span.last))) units.push({ unit, map });
    }
    const command = this.commands.get(file!)?.find((c) => c.line <= line! && line! <= c.endLine);
    if (command && units.length === 0) {
      spec.commandLine = command.line;
      return;
    }
    if (column !== undefined) {
      for (const { unit, map } of units) {
        const columns = map.columnsWithCode(line!);
        const at = columns.find((c) => c >= column);
        if (at === undefined) continue;
        for (const instr of map.instructionsAt(line!, at)) spec.locations.push({ unit, funcIndex: instr.funcIndex, offset: instr.offset });
      }
      if (spec.locations.length) return;
    }
    // The line itself, or the nearest line below it with code (in whichever module of the file).
    let target: number | undefined;
    for (const { unit, map } of units) {
      const l = nextLineWithEntries(map, line!);
      if (l !== undefined && (!unit.span || l <= unit.span.last) && (target === undefined || l < target)) target = l;
    }
    if (target === undefined) return;
    for (const { unit, map } of units) {
      for (const instr of lineEntries(map, target)) spec.locations.push({ unit, funcIndex: instr.funcIndex, offset: instr.offset });
    }
  }

  private resolveFunction(spec: Spec): void {
    const full = spec.request.name!;
    const name = spec.instance !== null ? full.slice(spec.instance.length + 1) : full;
    for (const unit of this.units) {
      if (spec.instance !== null && !unit.instanceNames.includes(spec.instance)) continue;
      const imported = importCount(unit.module, 'func');
      for (const funcIndex of functionsNamed(unit, name)) {
        if (funcIndex < imported) continue; // an import has no code to stop in
        spec.locations.push({ unit, funcIndex, offset: functionBody(unit.module, funcIndex - imported).body[0].offset });
      }
    }
  }

  private resolveInstruction(spec: Spec): void {
    const address = parseInstructionAddress(spec.request.reference!);
    if (!address) return;
    const offset = address.offset + (spec.request.offset ?? 0);
    const unit = this.units.find((u) => u.id === address.unitId);
    if (!unit) return;
    const funcIndex = funcIndexAt(unit.module, offset);
    if (funcIndex === null) return;
    const code = functionBody(unit.module, funcIndex - importCount(unit.module, 'func'));
    if (!code.body.some((i) => i.offset === offset)) return;
    spec.locations.push({ unit, funcIndex, offset });
  }

  private describe(spec: Spec): BreakpointView {
    const bp: BreakpointView = { id: spec.id, verified: spec.locations.length > 0 || spec.commandLine !== null };
    const first = spec.locations[0];
    if (spec.commandLine !== null) {
      const command = this.commands.get(spec.request.file!)!.find((c) => c.line === spec.commandLine)!;
      bp.file = spec.request.file;
      bp.line = command.line;
      bp.column = command.column;
    } else if (first) {
      const loc = locationOf(first.unit, first.funcIndex, first.offset);
      if (loc) {
        bp.file = loc.file;
        bp.line = loc.line;
        bp.column = loc.column;
      }
      bp.instructionReference = instructionAddress(first.unit.id, first.offset);
    } else {
      bp.message = spec.problem ?? this.unresolvedReason(spec);
      if (spec.kind === 'source') bp.line = spec.request.line;
    }
    return bp;
  }

  private unresolvedReason(spec: Spec): string {
    switch (spec.kind) {
      case 'source': {
        const loaded = this.units.some((u) => fileMap(u, spec.request.file!) || (u.file && pathKey(u.file) === spec.request.file));
        if (!loaded) return this.loaded ? 'this file is not part of the program' : 'no program is loaded yet';
        return this.commands.has(spec.request.file!)
          ? `no code of a loaded module and no invocation at line ${spec.request.line}`
          : `no code at or after line ${spec.request.line}`;
      }
      case 'function':
        return spec.instance !== null && !this.units.some((u) => u.instanceNames.includes(spec.instance!))
          ? `no instance named ${spec.instance}`
          : `no function named ${spec.request.name}`;
      case 'instruction':
        return `no instruction starts at ${spec.request.reference}${spec.request.offset ? ` + ${spec.request.offset}` : ''}`;
    }
  }

  /** Rebuilds the position index and tells the engine about every function whose breakpoints changed. */
  /** Engine breakpoints that belong to no breakpoint of the user: a data breakpoint's write sites. */
  private writeSites: { module: Module; funcIndex: number; offset: number }[] = [];

  /** Places the engine breakpoints data breakpoints need (replacing the previous ones). */
  setWriteSites(sites: { module: Module; funcIndex: number; offset: number }[]): void {
    this.writeSites = sites;
    this.sync();
  }

  private sync(): void {
    const index = new Map<Module, Map<number, Spec[]>>();
    const wanted = new Map<Module, Map<number, Set<number>>>();
    for (const site of this.writeSites) {
      let byFunc = wanted.get(site.module);
      if (!byFunc) wanted.set(site.module, (byFunc = new Map()));
      let offsets = byFunc.get(site.funcIndex);
      if (!offsets) byFunc.set(site.funcIndex, (offsets = new Set()));
      offsets.add(site.offset);
    }
    for (const spec of this.allSpecs()) {
      for (const loc of spec.locations) {
        const module = loc.unit.module;
        let byOffset = index.get(module);
        if (!byOffset) index.set(module, (byOffset = new Map()));
        const at = byOffset.get(loc.offset);
        if (at) {
          if (!at.includes(spec)) at.push(spec);
        } else byOffset.set(loc.offset, [spec]);
        let byFunc = wanted.get(module);
        if (!byFunc) wanted.set(module, (byFunc = new Map()));
        let offsets = byFunc.get(loc.funcIndex);
        if (!offsets) byFunc.set(loc.funcIndex, (offsets = new Set()));
        offsets.add(loc.offset);
      }
    }
    this.index = index;
    // Functions that had breakpoints and have none now are cleared.
    for (const [module, byFunc] of this.applied) {
      for (const funcIndex of byFunc.keys()) {
        if (!wanted.get(module)?.has(funcIndex)) {
          this.setEngine(module, funcIndex, []);
          byFunc.delete(funcIndex);
        }
      }
    }
    for (const [module, byFunc] of wanted) {
      let applied = this.applied.get(module);
      if (!applied) this.applied.set(module, (applied = new Map()));
      for (const [funcIndex, offsets] of byFunc) {
        const sorted = [...offsets].sort((a, b) => a - b);
        const key = sorted.join(',');
        if (applied.get(funcIndex) === key) continue;
        this.setEngine(module, funcIndex, sorted);
        applied.set(funcIndex, key);
      }
    }
  }
}
