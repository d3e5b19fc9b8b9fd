// The engine's public API: everything the layers above (text, host, program, debug, cli, bench) use.

export * from './types';
export { DEFAULT_EDITION, EDITIONS, type Edition } from './features';
export { Trap } from './trap';
export { decodeModule, funcCode, transientFuncCode, DecodeError } from './decode';
export { Reader } from './decodeReader';
export { decodeConstExpr } from './decodeInstr';
export { validateModule, loadModule, loadModuleSync, isValidated, ValidationError, describeProblem, type ValidationProblem } from './validate/index';
export { opcodeName, opcodeInfo, opcodeByName, instructionNames, type OpcodeInfo } from './opcodes';
export { funcIndexAt } from './disasm';
export { BranchHints, BRANCH_HINT_SECTION, type FunctionHints } from './branchHints';
export { formatF32, formatF64, formatV128, formatValue, formatConst } from './format';
export { CallStack, NaiveCallStack, type InstanceEntry } from './callStack';
export {
  FuncInst,
  MemoryInst,
  TableInst,
  GlobalInst,
  Instance,
  LinkError,
  PAGE_SIZE,
  MAX_PAGES,
  MAX_TABLE_SIZE,
  createMemory,
  createTable,
  createGlobal,
  hostFunction,
  defaultValue,
  type ExternVal,
  type HostFn,
  type HostContext,
} from './runtime';
export { Store, Execution, invoke, type StoreOptions, type RunResult, type StepKind, type FrameView, type ExecutionStatus, type ThrowStops, type ThrownException } from './store';
export { Recording, type RecordingOptions } from './recording';
export { Tier, TierFunc, tierOf, tierReasons, parseTierMode, setDefaultTierMode, defaultTierMode, type TierMode } from './tier/tier';
export { momentOf, compareMoments, sameMoment, type Moment } from './moment';
export { TagInst, Exception, UncaughtException, tagName } from './exception';
export { instantiate, describeExtern, formatFuncType, type InstantiateOptions } from './instantiate';
export { CompileError } from './compile';
export { canonicalTypes, type CanonType } from './typeCanon';
export { refParts, refType, isRefType, type RefParts } from './refTypes';
export { refValueFits, hierarchyOf } from './refCheck';
export { GcStruct, GcArray, HostAsAny, AnyAsExtern, DefinedType } from './gcValues';
export { warmUpEngine } from './warmUpEngine';
