// Starts and stops code-server (VS Code served to a browser) for the end-to-end tests: its own
// port, user-data and extensions folders, and every process it starts stopped again at the end.
'use strict';
const childProcess = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const path = require('path');

const root = path.resolve(__dirname, '..');

/** Runs scripts/e2e-setup.sh (quick when code-server is already set up) and returns its entry script. */
function setUpCodeServer() {
  const result = childProcess.spawnSync('bash', [path.join(root, 'scripts', 'e2e-setup.sh')], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status !== 0) {
    throw new Error(`code-server setup failed (scripts/e2e-setup.sh exited with ${result.status}); its messages are above`);
  }
  return result.stdout.trim().split('\n').pop();
}

/** A TCP port that is free on 127.0.0.1 right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function get(url) {
  return new Promise((resolve) => {
    const request = http.get(url, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('error', () => resolve(0));
    request.setTimeout(1000, () => request.destroy());
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Installs the .vsix into a fresh extensions folder and starts code-server on a free port, serving
 * `folder`. Returns { url, stop, logFile }. `stop` ends code-server's whole process group.
 */
async function startCodeServer({ entry, vsix, folder, runDir, settings }) {
  const userData = path.join(runDir, 'user-data');
  const extensions = path.join(runDir, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extensions, { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const common = ['--extensions-dir', extensions, '--user-data-dir', userData];

  const install = childProcess.spawnSync(process.execPath, [entry, ...common, '--install-extension', vsix], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CONFIG_HOME: runDir },
  });
  if (install.status !== 0 || !/successfully installed/i.test(install.stdout)) {
    throw new Error(`code-server could not install ${vsix}:\n${install.stdout}${install.stderr}`);
  }

  const port = await freePort();
  // Our own config file, so the user's ~/.config/code-server/config.yaml is never read.
  const config = path.join(runDir, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const logFile = path.join(runDir, 'code-server.log');
  const log = fs.openSync(logFile, 'w');
  const server = childProcess.spawn(
    process.execPath,
    [
      entry,
      '--config', config,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      ...common,
      folder,
    ],
    // detached: a new process group (setsid), so stop() reaches the children code-server starts.
    { detached: true, stdio: ['ignore', log, log], env: { ...process.env, XDG_CONFIG_HOME: runDir } },
  );
  fs.closeSync(log);
  const pid = server.pid;
  const killOnExit = () => {
    if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
  };
  // Interrupted (Ctrl+C, a CI timeout): take code-server down too, then end as the signal would.
  const killOnSignal = (signal) => {
    killOnExit();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('exit', killOnExit);
  process.once('SIGINT', killOnSignal);
  process.once('SIGTERM', killOnSignal);

  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    process.off('exit', killOnExit);
    process.off('SIGINT', killOnSignal);
    process.off('SIGTERM', killOnSignal);
    if (!groupAlive(pid)) return;
    process.kill(-pid, 'SIGTERM');
    for (let i = 0; i < 20 && groupAlive(pid); i++) await sleep(100);
    if (groupAlive(pid)) process.kill(-pid, 'SIGKILL');
    for (let i = 0; i < 20 && groupAlive(pid); i++) await sleep(100);
  }

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30000;
  while ((await get(`${url}/healthz`)) !== 200) {
    if (server.exitCode !== null || Date.now() > deadline) {
      await stop();
      const reason = server.exitCode !== null ? `exited with ${server.exitCode}` : 'did not answer /healthz within 30 s';
      throw new Error(`code-server ${reason}; its log:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
    }
    await sleep(200);
  }
  return { url: `${url}/?folder=${encodeURIComponent(folder)}`, stop, logFile, extensions };
}

module.exports = { setUpCodeServer, startCodeServer };
