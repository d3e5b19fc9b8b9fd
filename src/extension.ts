// VS Code activation for wat-debugger: runs the debug adapter inside the extension host, fills a
// launch configuration for the open file when there is no launch.json, and offers "Debug This File".
import * as path from 'path';
import * as vscode from 'vscode';
import { WatDebugSession } from './debug/session';
import { prepareThread } from './debug/coreClient';
import { chooseEntry, exportedFunctions, parseArguments, readModule, siblingImports, type ExportedFunction } from './program/entryPoints';

export const DEBUG_TYPE = 'wat';
export const DEBUG_FILE_COMMAND = 'wat-debugger.debugFile';
/** Opens a function's document from the overview of a binary's generated text (its links run it). */
export const OPEN_FUNCTION_COMMAND = 'wat-debugger.openGeneratedFunction';
const PROGRAM_EXTENSIONS = ['.wat', '.wast', '.wasm'];

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new InlineDebugAdapterFactory()),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new WatConfigurationProvider()),
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      new WorkspaceProgramsProvider(),
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
    vscode.commands.registerCommand(DEBUG_FILE_COMMAND, debugFile),
    vscode.languages.registerDocumentLinkProvider({ scheme: 'debug', language: 'wat' }, new OverviewLinks()),
    vscode.commands.registerCommand(OPEN_FUNCTION_COMMAND, openGeneratedFunction),
    // The next session's program thread loads and warms up while nobody waits for it.
    vscode.debug.onDidTerminateDebugSession((session) => session.type === DEBUG_TYPE && void prepareThread()),
  );
  void prepareThread();
}

export function deactivate(): void {
  // Sessions are disposed by VS Code with the adapter descriptors; nothing else holds resources.
}

/**
 * In the overview of a binary's generated text (a read-only document of the debug session), each
 * `(func $name (type ...))` line links to that function's own document.
 */
class OverviewLinks implements vscode.DocumentLinkProvider {
  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    const links: vscode.DocumentLink[] = [];
    const overview = document.uri.path;
    for (let line = 0; line < document.lineCount; line++) {
      const m = /^ {2}\(func (\$\S+) \(type [^()]*\)\)$/.exec(document.lineAt(line).text);
      if (!m) continue;
      const args = encodeURIComponent(JSON.stringify([overview, m[1]]));
      const link = new vscode.DocumentLink(new vscode.Range(line, 8, line, 8 + m[1].length), vscode.Uri.parse(`command:${OPEN_FUNCTION_COMMAND}?${args}`));
      link.tooltip = `Open the code of ${m[1]}`;
      links.push(link);
    }
    return links;
  }
}

/** Asks the debug session for the document of function `name` of the overview `overview`, and shows it. */
async function openGeneratedFunction(overview: string, name: string): Promise<void> {
  const session = vscode.debug.activeDebugSession;
  if (!session || session.type !== DEBUG_TYPE) {
    void vscode.window.showWarningMessage(`No WebAssembly debug session to open ${name} in.`);
    return;
  }
  try {
    const { source } = await session.customRequest('generatedFunctionSource', { overview, function: name });
    await vscode.window.showTextDocument(vscode.debug.asDebugSourceUri(source, session));
  } catch (e) {
    void vscode.window.showWarningMessage(`Cannot open ${name}: ${(e as Error).message}`);
  }
}

/** The adapter runs in the extension host: no extra process, and breakpoints are set instantly. */
class InlineDebugAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  createDebugAdapterDescriptor(): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    return new vscode.DebugAdapterInlineImplementation(new WatDebugSession());
  }
}

class WatConfigurationProvider implements vscode.DebugConfigurationProvider {
  /** F5 without a launch.json arrives here with an empty configuration: debug the open file. */
  resolveDebugConfiguration(
    _folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): vscode.ProviderResult<vscode.DebugConfiguration> {
    if (!config.type && !config.request && !config.name) {
      const file = activeProgramFile();
      if (file) return fileConfiguration(file, vscode.workspace.getWorkspaceFolder(file));
    }
    if (!config.program) {
      return vscode.window
        .showInformationMessage(
          'wat-debugger: nothing to debug. Open a .wat, .wast or .wasm file, or add a "program" to the launch configuration.',
        )
        .then(() => undefined); // undefined aborts the launch
    }
    return config;
  }

  /**
   * A .wat/.wasm launch that names neither imports nor the export to invoke (F5 on a file without a
   * launch.json, Debug This File, a file picked from the list) is completed here, once variables
   * such as ${file} are resolved.
   */
  async resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    if (config.request !== 'launch' || typeof config.program !== 'string') return config;
    if (config.invoke !== undefined || config.imports !== undefined) return config;
    const base = typeof config.cwd === 'string' ? config.cwd : folder?.uri.fsPath ?? process.cwd();
    const program = path.resolve(base, config.program);
    if (!['.wat', '.wasm'].includes(path.extname(program).toLowerCase())) return config;
    return completeConfiguration(config, program);
  }
}

/** Offers one configuration per program file of the workspace in the Run and Debug view's list. */
class WorkspaceProgramsProvider implements vscode.DebugConfigurationProvider {
  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.DebugConfiguration[]> {
    const include = folder
      ? new vscode.RelativePattern(folder, '**/*.{wat,wast,wasm}')
      : '**/*.{wat,wast,wasm}';
    const files = await vscode.workspace.findFiles(include, '**/node_modules/**', 50);
    return files
      .sort((a, b) => a.fsPath.localeCompare(b.fsPath))
      .map((uri) => fileConfiguration(uri, folder));
  }
}

/** A launch configuration that debugs one file on its own, stopping at its first instruction. */
function fileConfiguration(file: vscode.Uri, folder?: vscode.WorkspaceFolder): vscode.DebugConfiguration {
  const shown = folder ? path.relative(folder.uri.fsPath, file.fsPath) : path.basename(file.fsPath);
  return {
    type: DEBUG_TYPE,
    request: 'launch',
    name: `Debug ${shown}`,
    program: file.fsPath,
    stopOnEntry: true,
  };
}

/**
 * "Debug This File": uses the launch.json configuration whose program is this file when there is
 * one (it knows the file's imports and entry point), otherwise debugs the file on its own.
 */
async function debugFile(resource?: vscode.Uri): Promise<boolean> {
  const file = resource instanceof vscode.Uri ? resource : activeProgramFile();
  if (!file) {
    void vscode.window.showErrorMessage('wat-debugger: open a .wat, .wast or .wasm file to debug it.');
    return false;
  }
  const folder = vscode.workspace.getWorkspaceFolder(file);
  const configured = folder ? launchConfigurationFor(file, folder) : undefined;
  return vscode.debug.startDebugging(folder, configured?.name ?? fileConfiguration(file, folder));
}

/**
 * Completes a launch of `program` that names neither imports nor an export: its imports bound to
 * the files beside it named after them, and the export to call (asked for when the module has
 * several and neither `_start` nor `main`), with its arguments. Undefined when the user cancels.
 */
async function completeConfiguration(
  config: vscode.DebugConfiguration,
  program: string,
): Promise<vscode.DebugConfiguration | undefined> {
  let module;
  try {
    module = await readModule(program);
  } catch {
    return config; // the debugger reports what is wrong with the file, with its position, when it launches
  }
  const imports = await siblingImports(program, module).catch(() => ({}));
  if (Object.keys(imports).length > 0) config.imports = imports;

  const choice = chooseEntry(exportedFunctions(module));
  let func: ExportedFunction | undefined;
  if (choice.kind === 'only') {
    func = choice.func;
  } else if (choice.kind === 'ask') {
    const picked = await vscode.window.showQuickPick(
      choice.funcs.map((f) => ({ label: f.name, description: f.signature, func: f })),
      { title: `Debug ${path.basename(program)}`, placeHolder: 'Which exported function should run?' },
    );
    if (!picked) return undefined;
    func = picked.func;
  }
  if (func) {
    const chosen = func;
    config.invoke = chosen.name;
    config.args = [];
    if (chosen.params.length > 0) {
      const text = await vscode.window.showInputBox({
        title: `Arguments for ${chosen.name} ${chosen.signature}`,
        prompt: 'Separated by spaces or commas, e.g. 10 0x20 -1.5',
        validateInput: (value) => {
          const parsed = parseArguments(value, chosen);
          return 'error' in parsed ? parsed.error : undefined;
        },
      });
      if (text === undefined) return undefined;
      const parsed = parseArguments(text, chosen);
      if ('error' in parsed) return undefined;
      config.args = parsed.args;
    }
  }
  return config;
}

function launchConfigurationFor(file: vscode.Uri, folder: vscode.WorkspaceFolder): vscode.DebugConfiguration | undefined {
  const configurations = vscode.workspace
    .getConfiguration('launch', folder.uri)
    .get<vscode.DebugConfiguration[]>('configurations', []);
  return configurations.find(
    (c) =>
      c.type === DEBUG_TYPE &&
      c.request === 'launch' &&
      typeof c.program === 'string' &&
      samePath(resolveFolderVariables(c.program, folder), file.fsPath),
  );
}

/** Resolves the launch.json variables that name the workspace folder; others stay unresolved. */
function resolveFolderVariables(value: string, folder: vscode.WorkspaceFolder): string {
  const resolved = value
    .replace(/\$\{workspaceFolder\}/g, folder.uri.fsPath)
    .replace(/\$\{workspaceRoot\}/g, folder.uri.fsPath);
  return path.resolve(folder.uri.fsPath, resolved);
}

function samePath(a: string, b: string): boolean {
  const norm = (p: string) => (process.platform === 'win32' ? path.normalize(p).toLowerCase() : path.normalize(p));
  return norm(a) === norm(b);
}

/** The program file shown in the active editor; also .wasm files, which open in a binary editor. */
function activeProgramFile(): vscode.Uri | undefined {
  const candidates: Array<vscode.Uri | undefined> = [vscode.window.activeTextEditor?.document.uri];
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) candidates.push(input.uri);
  return candidates.find(
    (uri) => uri !== undefined && uri.scheme === 'file' && PROGRAM_EXTENSIONS.includes(path.extname(uri.fsPath).toLowerCase()),
  );
}
