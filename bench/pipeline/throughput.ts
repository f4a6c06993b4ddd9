/**
 * Pipeline throughput: push mixed Segment events through ingest and identity-resolution on the
 * real local stack (the built services, each its own process, as launchServices runs them) and
 * measure sustained events/s and event-to-resolved latency.
 *
 *   npx nx run-many -t build -p ingest identity-resolution \
 *     && npx tsc -p bench/pipeline/tsconfig.json \
 *     && node dist/bench/bench/pipeline/throughput.js [--events 500000] [--people 100000] [--seed 42]
 *        [--rate 0] [--partitions 6] [--cpu-prof] [--keep] [--env KEY=VALUE ...]
 *
 *   --events      events produced to events.raw.v1 (default 50 000)
 *   --people      population size (default 100 000)
 *   --rate        produce at this many events/s (0 = as fast as the bench can: a backlog test,
 *                 where latency mostly measures queueing)
 *   --cpu-prof    run both services with --cpu-prof; profiles land in the run's log folder
 *   --env K=V     extra environment for both services (repeatable), e.g. KAIROS_PG_POOL_SIZE=8
 *   --keep        keep the namespace (topics, schemas, Redis keys) for inspection
 *
 * Throughput = events produced ÷ (last resolved − first produced). Latency of one event =
 * broker timestamp of its resolved message − when the bench handed it to the producer (same
 * machine, same clock). A warm-up of 200 events runs first so consumer-group joins and
 * connection set-up are not measured. A benchmark, not a test: nothing asserts on timings.
 */
import './register-aliases';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConsumerGroups, Headers, Topics, physicalGroup } from '@kairos/contracts';
import { DEFAULT_PG_SCHEMAS, LOCAL_STACK } from '@kairos/config';
import Redis from 'ioredis';
import { Client } from 'pg';
import {
  createNamespacedTopics,
  deleteNamespacedTopics,
  testKafka,
} from '../../libs/shared/testing/src/kafka';
import {
  findWorkspaceRoot,
  launchServices,
  type LaunchedPlatform,
} from '../../libs/shared/testing/src/service-launcher';
import { generateTraffic, indexOfMessageId } from './synthetic-traffic';

// ---------------------------------------------------------------------------------------------
// Arguments

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}
function envArgs(): Record<string, string> {
  const out: Record<string, string> = {};
  process.argv.forEach((a, i) => {
    if (a !== '--env') return;
    const [k, ...rest] = (process.argv[i + 1] ?? '').split('=');
    if (k) out[k] = rest.join('=');
  });
  return out;
}

const EVENTS = arg('events', 50_000);
const PEOPLE = arg('people', 100_000);
const SEED = arg('seed', 42);
const RATE = arg('rate', 0);
const PARTITIONS = arg('partitions', 0) || undefined;
const CPU_PROF = flag('cpu-prof');
const KEEP = flag('keep');
const STALL_MS = arg('stall-seconds', 90) * 1000;
const WARMUP = 200;
const SEND_CHUNK = 2_000;

// ---------------------------------------------------------------------------------------------
// CPU accounting from /proc (Linux): jiffies per process group over the measured window.

interface CpuSample {
  total: number;
  byGroup: Record<string, number>;
}

function procJiffies(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0;
  }
}

function classify(pid: number, known: Record<number, string>): string | undefined {
  if (known[pid]) return known[pid];
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmd.includes('kafka.Kafka')) return 'kafka';
    if (cmd.startsWith('postgres') || cmd.includes('/postgres')) return 'postgres';
    if (cmd.includes('redis-server')) return 'redis';
  } catch {
    /* gone */
  }
  return undefined;
}

function sampleCpu(known: Record<number, string>): CpuSample {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1);
  const total = cpu.slice(0, 8).reduce((sum, v) => sum + Number(v), 0);
  const byGroup: Record<string, number> = {};
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const group = classify(pid, known);
    if (group) byGroup[group] = (byGroup[group] ?? 0) + procJiffies(pid);
  }
  return { total, byGroup };
}

/** Share of the whole machine (all cores = 100 %) each group used between two samples. */
function cpuShares(a: CpuSample, b: CpuSample): Record<string, number> {
  const total = b.total - a.total;
  const out: Record<string, number> = {};
  for (const group of Object.keys(b.byGroup)) {
    out[group] = round(((b.byGroup[group] - (a.byGroup[group] ?? 0)) / total) * 100, 1);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

function round(n: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function waitUntil(
  what: string,
  done: () => boolean,
  progress: () => number,
  stallMs: number,
): Promise<void> {
  let last = progress();
  let lastChange = Date.now();
  while (!done()) {
    await new Promise((r) => setTimeout(r, 50));
    const now = progress();
    if (now !== last) {
      last = now;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stallMs) {
      throw new Error(
        `stalled waiting for ${what} (no progress for ${stallMs / 1000} s at ${now})`,
      );
    }
  }
}

async function main(): Promise<void> {
  const root = findWorkspaceRoot();
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const ns = `bench_${runId}`;
  const logDir = join(root, 'tmp', 'bench-pipeline', ns);
  mkdirSync(logDir, { recursive: true });

  const t0 = Date.now();
  const { events, summary } = generateTraffic({ events: EVENTS, people: PEOPLE, seed: SEED }, 'm');
  const expected = events.filter((e) => e.expect === 'resolved').length;
  console.log(
    `generated ${events.length} events (${expected} to resolve, ${summary.duplicates} re-sends, ${summary.invalid} invalid, ${summary.distinctPeople} people) in ${Date.now() - t0} ms`,
  );

  console.log(`namespace ${ns}: creating topics`);
  const topics = await createNamespacedTopics(ns, undefined, PARTITIONS);

  const kafka = testKafka('kairos-bench');
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();

  // What came out: resolved time per event index (NaN = not yet), matched by ce_id (= eventId).
  const resolvedAt = new Float64Array(EVENTS).fill(NaN);
  const producedAt = new Float64Array(EVENTS).fill(NaN);
  let resolvedCount = 0;
  let warmResolved = 0;
  let redeliveries = 0;
  let lastResolvedTs = 0;
  const resolvedConsumer = kafka.consumer({
    groupId: `${ns}.bench-collector`,
    maxWaitTimeInMs: 100,
    maxBytes: 50 * 1024 * 1024,
  });
  await resolvedConsumer.connect();
  await resolvedConsumer.subscribe({
    topics: [topics[Topics.EventsResolved]],
    fromBeginning: true,
  });
  await resolvedConsumer.run({
    autoCommit: true,
    partitionsConsumedConcurrently: 6,
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) {
        const raw = message.headers?.[Headers.CeId];
        const id = Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw);
        if (id.startsWith('w-')) {
          warmResolved++;
          continue;
        }
        const index = indexOfMessageId('m', id);
        if (index === undefined) continue;
        if (!Number.isNaN(resolvedAt[index])) {
          redeliveries++;
          continue;
        }
        const ts = Number(message.timestamp);
        resolvedAt[index] = ts;
        if (ts > lastResolvedTs) lastResolvedTs = ts;
        resolvedCount++;
      }
    },
  });

  const services = ['ingest', 'identity-resolution'] as const;
  const serviceEnv: Record<string, string> = {
    KAIROS_NAMESPACE: ns,
    OTEL_SDK_DISABLED: 'true',
    ...(CPU_PROF
      ? {
          NODE_OPTIONS: `--require ${join(__dirname, 'cpu-profile-preload.js')}`,
          KAIROS_BENCH_CPU_PROFILE_DIR: logDir,
        }
      : {}),
    ...envArgs(),
  };
  console.log(`starting ${services.join(' + ')} (logs in ${logDir})`);
  let platform: LaunchedPlatform | undefined;
  const redis = new Redis(LOCAL_STACK.redisUrl, { lazyConnect: true });
  try {
    platform = await launchServices({
      env: serviceEnv,
      schemaPrefix: ns,
      logDir,
      services,
    });

    // Warm-up: until these come out, the consumer groups have joined and every pool is warm.
    const warm = Array.from({ length: WARMUP }, (_, i) => ({
      key: `w${i % 50}`,
      value: JSON.stringify({
        type: 'track',
        messageId: `w-${i}`,
        anonymousId: `warm-${i % 50}`,
        event: 'Warm Up',
      }),
    }));
    await producer.send({ topic: topics[Topics.EventsRaw], messages: warm });
    await waitUntil(
      'the warm-up',
      () => warmResolved >= WARMUP,
      () => warmResolved,
      120_000,
    );
    console.log('warm-up done; producing');

    const pids: Record<number, string> = { [process.pid]: 'bench' };
    pids[platform.services.ingest.process.pid!] = 'ingest';
    pids[platform.services['identity-resolution'].process.pid!] = 'identity';
    const cpuBefore = sampleCpu(pids);

    const firstProduce = Date.now();
    let sent = 0;
    let inFlight: Promise<unknown>[] = [];
    for (let start = 0; start < events.length; start += SEND_CHUNK) {
      const chunk = events.slice(start, start + SEND_CHUNK);
      if (RATE > 0) {
        const due = firstProduce + (start / RATE) * 1000;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      const now = Date.now();
      for (const e of chunk) {
        const index = indexOfMessageId('m', e.messageId)!;
        if (Number.isNaN(producedAt[index])) producedAt[index] = now;
      }
      inFlight.push(
        producer.send({
          topic: topics[Topics.EventsRaw],
          acks: -1,
          messages: chunk.map((e) => ({ key: e.key, value: e.value, timestamp: String(now) })),
        }),
      );
      sent += chunk.length;
      if (inFlight.length >= 4) {
        await Promise.all(inFlight);
        inFlight = [];
      }
    }
    await Promise.all(inFlight);
    const lastProduce = Date.now();
    console.log(
      `produced ${sent} events in ${lastProduce - firstProduce} ms (${round(sent / ((lastProduce - firstProduce) / 1000))}/s)`,
    );

    let lastLog = Date.now();
    await waitUntil(
      'resolved events',
      () => {
        if (Date.now() - lastLog > 5_000) {
          lastLog = Date.now();
          const secs = (Date.now() - firstProduce) / 1000;
          console.log(`  ${resolvedCount}/${expected} resolved after ${round(secs, 1)} s`);
        }
        return resolvedCount >= expected;
      },
      () => resolvedCount,
      STALL_MS,
    );
    const cpuAfter = sampleCpu(pids);
    const end = lastResolvedTs;

    // Let late duplicates (if any) arrive before counting them.
    await new Promise((r) => setTimeout(r, 1_000));

    const latencies: number[] = [];
    for (let i = 0; i < EVENTS; i++) {
      if (!Number.isNaN(resolvedAt[i]) && !Number.isNaN(producedAt[i]))
        latencies.push(resolvedAt[i] - producedAt[i]);
    }
    const sorted = Float64Array.from(latencies).sort();
    const seconds = (end - firstProduce) / 1000;
    const result = {
      bench: 'pipeline-throughput',
      namespace: ns,
      events: EVENTS,
      people: PEOPLE,
      seed: SEED,
      rate: RATE || 'unthrottled',
      partitions: PARTITIONS ?? 'topic default',
      mix: summary,
      expectedResolved: expected,
      resolved: resolvedCount,
      resolvedTwice: redeliveries,
      produceSeconds: round((lastProduce - firstProduce) / 1000, 2),
      seconds: round(seconds, 2),
      eventsPerSecond: round(EVENTS / seconds),
      resolvedPerSecond: round(resolvedCount / seconds),
      latencyMs: {
        p50: percentile(sorted, 50),
        p90: percentile(sorted, 90),
        p99: percentile(sorted, 99),
        max: sorted[sorted.length - 1],
      },
      cpuPercentOfMachine: cpuShares(cpuBefore, cpuAfter),
      serviceEnv: Object.fromEntries(
        Object.entries(serviceEnv).filter(([k]) => k !== 'KAIROS_NAMESPACE'),
      ),
      at: new Date().toISOString(),
    };
    writeFileSync(join(logDir, 'result.json'), JSON.stringify(result, null, 2));
    console.log(JSON.stringify(result, null, 2));
    console.log('');
    console.log(`  events           ${EVENTS} (${expected} resolvable)`);
    console.log(`  sustained        ${result.eventsPerSecond} events/s over ${result.seconds} s`);
    console.log(`  latency p50/p99  ${result.latencyMs.p50} / ${result.latencyMs.p99} ms`);
    console.log(
      `  cpu (% machine)  ${Object.entries(result.cpuPercentOfMachine)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  } finally {
    await resolvedConsumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await platform?.stop();
    if (!KEEP) {
      console.log(`cleaning up ${ns}`);
      await cleanUp(ns, redis).catch((error: unknown) =>
        console.error(`clean-up failed: ${String(error)}`),
      );
    }
    redis.disconnect();
  }
}

async function cleanUp(ns: string, redis: Redis): Promise<void> {
  await deleteNamespacedTopics(ns);
  const admin = testKafka('kairos-bench').admin();
  await admin.connect();
  try {
    const groups = [
      physicalGroup(ConsumerGroups.Ingest, ns),
      physicalGroup(ConsumerGroups.IdentityResolution, ns),
      `${ns}.bench-collector`,
    ];
    await admin.deleteGroups(groups).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
  const pg = new Client({ connectionString: LOCAL_STACK.postgresUrl });
  await pg.connect();
  try {
    for (const service of ['ingest', 'identity-resolution'] as const) {
      const schema = `${ns}_${DEFAULT_PG_SCHEMAS[service]}`;
      if (!/^[a-z0-9_]+$/.test(schema)) throw new Error(`odd schema ${schema}`);
      await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    }
  } finally {
    await pg.end();
  }
  await redis.connect();
  const prefix = `kairos:${ns}:`;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== '0');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
