#!/usr/bin/env bash
# The main job: on a fresh machine, install and start everything, then run the demo — all six
# services on the local stack, a short sample of shop events replayed, the abandoned-cart
# emails delivered to a local SMTP server and written to out/<run>/emails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
echo "==> build"
npx nx run-many -t build --parallel=2 --outputStyle=stream-without-prefixes >/dev/null
node dist/tools/demo/tools/demo/src/main.js
echo
echo "The local stack is still running (bash deploy/local/stack.sh down stops it)."
