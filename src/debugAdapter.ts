#!/usr/bin/env node
// The standalone debug adapter, for any DAP client (nvim-dap, Emacs dap-mode, Zed, Helix, VS Code):
//   node debugAdapter.js                 speaks DAP on stdin/stdout
//   node debugAdapter.js --server=PORT   accepts DAP connections on 127.0.0.1:PORT, one session each

import * as net from 'net';
import { WatDebugSession } from './debug/session';
import { prepareThread } from './debug/coreClient';

const USAGE = 'usage: debugAdapter [--server=PORT]   (no argument: DAP over stdin/stdout)';

function parsePort(argv: string[]): number | null | 'bad' {
  let port: number | null = null;
  for (const arg of argv) {
    const m = /^--server=(\d+)$/.exec(arg);
    if (m && Number(m[1]) > 0 && Number(m[1]) < 65536) port = Number(m[1]);
    else return 'bad';
  }
  return port;
}

function serve(port: number): void {
  const server = net.createServer((socket) => {
    const session = new WatDebugSession();
    session.setRunAsServer(true);
    session.start(socket, socket);
    socket.on('error', () => socket.destroy());
    // The next connection's program thread loads while this session runs.
    socket.on('close', () => void prepareThread());
  });
  void prepareThread();
  server.on('error', (e) => {
    process.stderr.write(`wat-debugger: cannot listen on 127.0.0.1:${port}: ${e.message}\n`);
    process.exit(1);
  });
  server.listen(port, '127.0.0.1', () => process.stderr.write(`wat-debugger: waiting for DAP clients on 127.0.0.1:${port}\n`));
}

function main(): void {
  // The session turns its own failures into error responses; this is the last line of defence, so a
  // bug costs one request, not the user's debugging session.
  process.on('uncaughtException', (e) => process.stderr.write(`wat-debugger: internal error: ${e.stack ?? e.message}\n`));
  process.on('unhandledRejection', (e) => process.stderr.write(`wat-debugger: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
  const port = parsePort(process.argv.slice(2));
  if (port === 'bad') {
    process.stderr.write(USAGE + '\n');
    process.exit(2);
  }
  if (port !== null) return serve(port);
  // stdout carries the protocol: anything else printed there would corrupt it.
  console.log = console.info = (...args: unknown[]) => process.stderr.write(args.map(String).join(' ') + '\n');
  // The program's thread loads the debugger while the client sends initialize.
  void prepareThread();
  const session = new WatDebugSession();
  process.on('SIGTERM', () => session.shutdown());
  session.start(process.stdin, process.stdout);
}

main();
