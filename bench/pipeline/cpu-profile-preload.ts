/**
 * Preloaded into a service with `NODE_OPTIONS=--require <this file>` by `throughput --cpu-prof`
 * (Node 20 does not accept --cpu-prof in NODE_OPTIONS): profiles the whole process with the
 * inspector and writes a .cpuprofile (open in Chrome DevTools or speedscope) on exit, into
 * KAIROS_BENCH_CPU_PROFILE_DIR.
 */
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

// A preload outside any service (no config lib here): the bench passes the folder this way.
// eslint-disable-next-line no-restricted-properties
const dir = process.env.KAIROS_BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  process.on('exit', () => {
    // The in-thread session dispatches synchronously, so this completes before exit.
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
