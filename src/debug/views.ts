// What the debugger core answers with: plain data in the core's own words (files as paths, lines
// and columns counted from 1), which the DAP session turns into the protocol's shapes.

/** A breakpoint as the user sees it: where it resolved, or why it did not. */
export interface BreakpointView {
  id?: number;
  verified: boolean;
  message?: string;
  file?: string;
  /** The file as the user sees it (the core fills it in from `file`). */
  source?: SourceView;
  line?: number;
  column?: number;
  instructionReference?: string;
}

/** A file the program's code is shown in; `generated` documents are made by our printer from a binary. */
export interface SourceView {
  path: string;
  name: string;
  generated: boolean;
}

/** One frame of the stack: a wasm frame, a host function, a JavaScript frame, or a script command. */
export interface StackFrameView {
  id: number;
  name: string;
  source?: SourceView;
  line: number;
  column: number;
  instructionPointerReference?: string;
  moduleId?: number;
  presentationHint?: 'normal' | 'label' | 'subtle';
}

export interface ScopeView {
  name: string;
  presentationHint?: string;
  variablesReference: number;
  namedVariables?: number;
  indexedVariables?: number;
  expensive: boolean;
}

export interface VariableView {
  name: string;
  value: string;
  type?: string;
  variablesReference: number;
  namedVariables?: number;
  indexedVariables?: number;
  evaluateName?: string;
  memoryReference?: string;
  presentationHint?: { kind?: string; attributes?: string[] };
}

/** The answer to setVariable and setExpression: the new value and how to expand it. */
export interface ChangedValueView {
  value: string;
  type?: string;
  variablesReference?: number;
  namedVariables?: number;
  indexedVariables?: number;
  memoryReference?: string;
}

export interface EvaluationView {
  result: string;
  type?: string;
  variablesReference: number;
  namedVariables?: number;
  indexedVariables?: number;
  memoryReference?: string;
}

export type CompletionKind = 'method' | 'function' | 'field' | 'variable' | 'module' | 'property' | 'value' | 'keyword' | 'reference' | 'text';

export interface CompletionView {
  label: string;
  type?: CompletionKind;
  detail?: string;
  text?: string;
  start?: number;
  length?: number;
}

export interface InstructionView {
  address: string;
  instruction: string;
  instructionBytes?: string;
  symbol?: string;
  file?: string;
  source?: SourceView;
  line?: number;
  column?: number;
  presentationHint?: 'normal' | 'invalid';
}

export interface ExceptionInfoView {
  exceptionId: string;
  description?: string;
  breakMode: 'never' | 'always' | 'unhandled' | 'userUnhandled';
  details?: { message?: string; typeName?: string; stackTrace?: string };
}

export interface ModuleView {
  id: number;
  name: string;
  path?: string;
  symbolStatus: string;
  addressRange: string;
}

export interface BreakpointLocationView {
  line: number;
  column?: number;
}

export interface DataBreakpointInfoView {
  dataId: string | null;
  description: string;
  accessTypes?: ('read' | 'write' | 'readWrite')[];
  canPersist?: boolean;
}

export interface MemoryView {
  address: string;
  data?: string;
  unreadableBytes?: number;
}
