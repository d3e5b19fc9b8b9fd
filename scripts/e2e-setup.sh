#!/usr/bin/env bash
# Sets up code-server (VS Code served to a browser) for the end-to-end tests, offline.
#
# The normal `npm install code-server` runs install scripts that download binaries, which fails
# without internet access. Instead we install with scripts off and do by hand what those scripts do:
# build the native modules from source, use Debian's ripgrep, and make the links code-server's
# postinstall.sh would make. The result lives in a git-ignored cache folder and is re-used when
# present (a `.ready` marker is written last, so an interrupted setup starts again from scratch).
#
# Usage: scripts/e2e-setup.sh            prints the path of the code-server entry script
# Env:   WAT_E2E_CACHE  cache folder (default: <project>/.cache/e2e)
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${WAT_E2E_CACHE:-$ROOT/.cache/e2e}"
DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
ENTRY="$DIR/node_modules/code-server/out/node/entry.js"

log() { echo "e2e-setup: $*" >&2; }
fail() { echo "e2e-setup: error: $*" >&2; exit 1; }

if [ -f "$DIR/.ready" ] && [ -f "$ENTRY" ]; then
  echo "$ENTRY"
  exit 0
fi

# --- what the machine must provide -------------------------------------------------------------
missing=()
node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo none)"
[ "$node_major" = 20 ] || missing+=("Node.js 20 (found: $node_major; code-server $CODE_SERVER_VERSION runs on Node 20 only)")
for cmd in npm make g++ python3 rg chromium; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("command '$cmd'")
done
for header in /usr/include/krb5.h /usr/include/libsecret-1/libsecret/secret.h \
              /usr/include/X11/extensions/XKBfile.h /usr/include/X11/Xlib.h; do
  [ -f "$header" ] || missing+=("header $header")
done
if [ "${#missing[@]}" -gt 0 ]; then
  printf 'e2e-setup: error: missing: %s\n' "${missing[@]}" >&2
  fail "install them with: apt-get install build-essential libkrb5-dev libsecret-1-dev libxkbfile-dev libx11-dev ripgrep chromium"
fi

# --- install -------------------------------------------------------------------------------------
log "installing code-server $CODE_SERVER_VERSION into $DIR (a few minutes, once)"
trap 'echo "e2e-setup: error: failed (line $LINENO): $BASH_COMMAND; the output above says why" >&2' ERR
rm -rf "$DIR"
mkdir -p "$DIR"
cd "$DIR"
# npm 11 runs only the install scripts package.json approves (allowScripts).
allow_scripts() { # package.json's allowScripts := the given names
  node -e 'const fs = require("fs"); const p = JSON.parse(fs.readFileSync("package.json", "utf8"));
    p.allowScripts = Object.fromEntries(process.argv.slice(1).map((n) => [n, true]));
    fs.writeFileSync("package.json", JSON.stringify(p, null, 2) + "\n");' "$@"
}
echo '{ "name": "wat-debugger-e2e-code-server", "private": true }' > package.json
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

npm install "code-server@$CODE_SERVER_VERSION" --ignore-scripts >&2
# argon2 (password hashing; loaded at start-up even with --auth none) has no prebuilt binary offline.
allow_scripts argon2
npm rebuild argon2 >&2
# code-server's own postinstall (downloads) is what the rest of this script does by hand.
node -e 'const fs = require("fs"); const p = JSON.parse(fs.readFileSync("package.json", "utf8"));
  p.allowScripts["code-server"] = false; fs.writeFileSync("package.json", JSON.stringify(p, null, 2) + "\n");'

VSCODE="$DIR/node_modules/code-server/lib/vscode"
cd "$VSCODE"
npm install --omit=dev --ignore-scripts >&2
# @vscode/ripgrep's postinstall downloads rg unless bin/ exists; Debian's rg does the job.
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
# Native modules VS Code's server loads on Linux (the windows-* ones build nothing here).
# node-pty's install runs `npx node-gyp`, which would stop at a prompt without npm_config_yes.
native=(@parcel/watcher @vscode/deviceid @vscode/spdlog kerberos native-watchdog node-pty)
allow_scripts "${native[@]}"
npm_config_yes=true npm rebuild "${native[@]}" >&2

# The links code-server's postinstall.sh makes.
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
(cd extensions && npm install --omit=dev >&2)

# Check the native modules really load before declaring success.
for module in @vscode/spdlog node-pty native-watchdog kerberos @vscode/deviceid; do
  node -e "require('$module')" 2>/dev/null || fail "native module $module did not build (see the output above)"
done
(cd "$DIR" && node -e "require('argon2')") || fail "native module argon2 did not build"

touch "$DIR/.ready"
log "code-server ready"
echo "$ENTRY"
