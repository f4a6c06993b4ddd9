/**
 * Lets the compiled bench resolve the workspace's `@kairos/*` path aliases at run time.
 *
 * Benches are built with plain `tsc` (no tsc-alias step, unlike the Nx apps), and tsc leaves
 * `require('@kairos/config')` as it is. The aliased libraries are part of the bench's program,
 * so tsc has emitted them under dist/bench too; this maps each alias to that emitted index.
 * Import it first.
 */
import Module from 'node:module';
import { join } from 'node:path';

const ALIASES: Record<string, string> = {
  '@kairos/clock': 'libs/shared/clock/src/index.js',
  '@kairos/config': 'libs/shared/config/src/index.js',
  '@kairos/contracts': 'libs/shared/contracts/src/index.js',
  '@kairos/hot-store': 'libs/shared/hot-store/src/index.js',
  '@kairos/messaging': 'libs/shared/messaging/src/index.js',
  '@kairos/persistence': 'libs/shared/persistence/src/index.js',
  '@kairos/telemetry': 'libs/shared/telemetry/src/index.js',
};

// dist/bench/bench/pipeline → dist/bench
const EMITTED_ROOT = join(__dirname, '..', '..');

type Resolve = (request: string, ...rest: unknown[]) => string;
const internal = Module as unknown as { _resolveFilename: Resolve };
const original = internal._resolveFilename;
internal._resolveFilename = function (request: string, ...rest: unknown[]): string {
  const target = ALIASES[request];
  return original.call(this, target ? join(EMITTED_ROOT, target) : request, ...rest);
};
