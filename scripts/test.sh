#!/usr/bin/env bash
# Runs every test on the real local stack: lint (module boundaries as errors), type checks,
# unit, integration and end-to-end tests. Sets up a fresh machine first (scripts/setup.sh).
# Exits non-zero on any failure and ends with a "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
echo "==> lint, typecheck, build"
npx nx run-many -t lint typecheck build --parallel=2 --outputStyle=stream-without-prefixes
# Benchmarks are not Nx projects (they are run by hand), but they must keep compiling.
for bench_tsconfig in bench/*/tsconfig.json; do
  [ -e "$bench_tsconfig" ] && npx tsc -p "$bench_tsconfig" --noEmit
done

mkdir -p tmp
results_ok=0
echo "==> unit + integration tests"
npx jest -c jest.config.js --selectProjects unit integration --maxWorkers=2 \
  --json --outputFile=tmp/jest-unit-integration.json || results_ok=1
echo "==> end-to-end tests"
npx jest -c jest.config.js --selectProjects e2e --runInBand \
  --json --outputFile=tmp/jest-e2e.json || results_ok=1

node -e '
  const files = process.argv.slice(1);
  let passed = 0, failed = 0;
  for (const f of files) {
    try { const r = require(require("path").resolve(f)); passed += r.numPassedTests; failed += r.numFailedTests + (r.numRuntimeErrorTestSuites || 0); }
    catch { failed += 1; console.error(`no results in ${f}`); }
  }
  console.log(`${passed} passed, ${failed} failed`);
' tmp/jest-unit-integration.json tmp/jest-e2e.json
exit $results_ok
