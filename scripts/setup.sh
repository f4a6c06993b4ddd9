#!/usr/bin/env bash
# Everything a fresh machine needs before Kairos runs: npm dependencies and the local stack
# (Kafka 3.9 in KRaft mode, PostgreSQL, Redis — installed and started by deploy/local/stack.sh).
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "Kairos needs Node.js 20 or newer (found: $(node --version 2>/dev/null || echo none))" >&2
  exit 1
fi

# `npm install` with the committed lockfile installs exactly the locked versions. (`npm ci`
# refuses this lockfile: the registry mirror these machines use serves only the Linux builds
# of optional native packages such as @swc/core, so the lockfile cannot list the others.)
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm install"
  npm install --no-audit --no-fund --loglevel=error
fi

echo "==> local stack"
bash deploy/local/stack.sh up
