/**
 * API latency of GET /recommendations/:profileId?n=3 on the built recommender service, against
 * the real local stack (Redis, Postgres, Kafka), and of the bare Redis GET behind it.
 *
 *   npx nx run recommender:build && npx tsc -p bench/recommender/tsconfig.json \
 *     && node dist/bench/bench/recommender/api-latency.js [--profiles 10000] [--concurrency 32]
 *        [--duration 20] [--redis-duration 10] [--warmup 3] [--n 3] [--keep]
 *
 * 1. Starts the recommender (launchServices: its own process, free loopback port, namespace
 *    and Postgres schema unique to this run, admin token set, OpenTelemetry off).
 * 2. Seeds top-3 lists for --profiles random profile UUIDs under the namespace's key
 *    (`kairos:<ns>:recommender:top:<profileId>`, the JSON the service itself writes).
 * 3. HTTP phase: --concurrency clients on one keep-alive Agent, each sending its next request
 *    as soon as the previous one ends, for --duration s after --warmup s (not recorded).
 *    Latency = request written → response body fully read, in the bench process.
 * 4. Redis phase: the same concurrency of GETs of the same keys from this process (one ioredis
 *    connection, as the service has) for --redis-duration s: the floor the endpoint sits on.
 * 5. Removes the keys, the Postgres schema, the namespace's topics and consumer group.
 *
 * The load generator shares the machine's two cores with the service (and Redis), so req/s is
 * the throughput of the pair; the load average is printed alongside. A benchmark, not a test.
 */
import '../pipeline/register-aliases';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsumerGroups, physicalGroup } from '@kairos/contracts';
import { DEFAULT_PG_SCHEMAS, LOCAL_STACK } from '@kairos/config';
import { HotKeys } from '../../libs/shared/hot-store/src/keys';
import Redis from 'ioredis';
import { Client } from 'pg';
import { deleteNamespacedTopics, testKafka } from '../../libs/shared/testing/src/kafka';
import {
  launchServices,
  type LaunchedPlatform,
} from '../../libs/shared/testing/src/service-launcher';
import { uniqueName } from '../../libs/shared/testing/src/unique';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const PROFILES = arg('profiles', 10_000);
const CONCURRENCY = arg('concurrency', 32);
const DURATION_S = arg('duration', 20);
const REDIS_DURATION_S = arg('redis-duration', 10);
const WARMUP_S = arg('warmup', 3);
const N = arg('n', 3);
const KEEP = process.argv.includes('--keep');

interface Stats {
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

async function main(): Promise<void> {
  const ns = uniqueName('benchrec');
  const token = `bench-admin-${randomUUID()}`;
  const logDir = join(tmpdir(), `kairos-${ns}`);
  const keys = new HotKeys(`kairos:${ns}:`);
  const redis = new Redis(LOCAL_STACK.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  let platform: LaunchedPlatform | undefined;
  const profiles = Array.from({ length: PROFILES }, () => randomUUID());
  try {
    console.log(`namespace ${ns}; seeding ${PROFILES} profiles' top-3 lists`);
    for (let start = 0; start < profiles.length; start += 1000) {
      const pipeline = redis.pipeline();
      for (let p = start; p < Math.min(start + 1000, profiles.length); p++) {
        pipeline.set(keys.recommendations(profiles[p]), JSON.stringify(topList(p)));
      }
      await pipeline.exec();
    }

    console.log(`starting recommender (logs in ${logDir})`);
    platform = await launchServices({
      env: { KAIROS_NAMESPACE: ns, KAIROS_ADMIN_TOKEN: token, OTEL_SDK_DISABLED: 'true' },
      schemaPrefix: ns,
      logDir,
      services: ['recommender'],
    });
    const service = platform.services.recommender;
    const base = new URL(service.url);

    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const get = (profileId: string) =>
      httpGet(agent, base, `/recommendations/${profileId}?n=${N}`, token);

    // Sanity: one answer is what was seeded.
    const probe = await get(profiles[0]);
    const body = JSON.parse(probe.body) as { recommendations?: unknown[] };
    if (probe.status !== 200 || body.recommendations?.length !== Math.min(N, 3)) {
      throw new Error(`unexpected answer ${probe.status}: ${probe.body.slice(0, 300)}`);
    }

    console.log(`HTTP: warm-up ${WARMUP_S} s, then ${DURATION_S} s with ${CONCURRENCY} clients`);
    await closedLoop(CONCURRENCY, WARMUP_S, async (i) => (await get(profiles[i])).status === 200);
    const load0 = loadavg();
    const cpu0 = processCpuSeconds(service.process.pid);
    const benchCpu0 = process.cpuUsage();
    const http = await closedLoop(
      CONCURRENCY,
      DURATION_S,
      async (i) => (await get(profiles[i])).status === 200,
    );
    const serviceCpu = processCpuSeconds(service.process.pid) - cpu0;
    const benchCpuUsage = process.cpuUsage(benchCpu0);
    const benchCpu = (benchCpuUsage.user + benchCpuUsage.system) / 1e6;
    const load1 = loadavg();
    agent.destroy();

    console.log(`Redis: ${REDIS_DURATION_S} s of bare GETs with ${CONCURRENCY} concurrent callers`);
    const bare = await closedLoop(
      CONCURRENCY,
      REDIS_DURATION_S,
      async (i) => (await redis.get(keys.recommendations(profiles[i]))) !== null,
    );

    const output = {
      namespace: ns,
      profiles: PROFILES,
      concurrency: CONCURRENCY,
      n: N,
      http,
      redisGet: bare,
      cpu: {
        serviceSeconds: serviceCpu,
        serviceCoresUsed: serviceCpu / http.seconds,
        benchSeconds: benchCpu,
        benchCoresUsed: benchCpu / http.seconds,
      },
      loadAverage: { beforeHttp: load0, afterHttp: load1, end: loadavg() },
    };
    console.log(
      JSON.stringify(
        output,
        (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v),
        2,
      ),
    );
    console.log('\n                    req/s    p50 ms   p95 ms   p99 ms   max ms  errors');
    for (const [name, s] of [
      [`GET /recommendations`, http],
      ['bare Redis GET', bare],
    ] as const) {
      console.log(
        `${name.padEnd(20)} ${s.perSecond.toFixed(0).padStart(6)} ${[s.p50Ms, s.p95Ms, s.p99Ms, s.maxMs].map((x) => x.toFixed(2).padStart(8)).join(' ')} ${String(s.errors).padStart(7)}`,
      );
    }
    console.log(
      `service CPU ${output.cpu.serviceCoresUsed.toFixed(2)} cores, bench ${output.cpu.benchCoresUsed.toFixed(2)} cores; load average ${load0.map((x) => x.toFixed(2)).join(' ')} → ${load1.map((x) => x.toFixed(2)).join(' ')}`,
    );
  } finally {
    await platform?.stop();
    if (KEEP) console.log(`kept namespace ${ns}`);
    else {
      console.log(`cleaning up ${ns}`);
      await cleanUp(ns, redis).catch((error: unknown) =>
        console.error(`clean-up failed: ${String(error)}`),
      );
    }
    redis.disconnect();
  }
}

/** A stored top-3 list, shaped like the service's own (RecommendationSettings.topN = 3). */
function topList(p: number): unknown[] {
  return [0, 1, 2].map((r) => ({
    productId: `prod-${(p * 7 + r * 13) % 5000}`,
    name: `Product ${(p * 7 + r * 13) % 5000} classic everyday`,
    price: 9.99 + ((p + r) % 90),
    score: 1 - r * 0.1,
    reason:
      r === 0
        ? { model: 'als' }
        : { model: 'content', seedProductId: `prod-${p % 5000}`, seedName: `Product ${p % 5000}` },
  }));
}

function httpGet(
  agent: Agent,
  base: URL,
  path: string,
  token: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        path,
        method: 'GET',
        headers: { authorization: `Bearer ${token}` },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * `concurrency` callers, each starting its next call when the previous ends, for `seconds`;
 * the callee gets a random profile index and says whether the call succeeded.
 */
async function closedLoop(
  concurrency: number,
  seconds: number,
  call: (profileIndex: number) => Promise<boolean>,
): Promise<Stats> {
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  const caller = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      let ok = false;
      try {
        ok = await call(Math.floor(Math.random() * PROFILES));
      } catch {
        ok = false;
      }
      const ms = performance.now() - t0;
      if (ok) latencies.push(ms);
      else errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  const elapsed = (performance.now() - start) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  const q = (p: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN;
  return {
    requests: latencies.length,
    errors,
    seconds: elapsed,
    perSecond: latencies.length / elapsed,
    p50Ms: q(0.5),
    p95Ms: q(0.95),
    p99Ms: q(0.99),
    maxMs: sorted.length ? sorted[sorted.length - 1] : NaN,
    meanMs: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length),
  };
}

/** utime + stime of a process from /proc (Linux); NaN elsewhere. */
function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields after the command: state is [0], utime [11], stime [12] (clock ticks, 100/s).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

async function cleanUp(ns: string, redis: Redis): Promise<void> {
  const prefix = `kairos:${ns}:`;
  let cursor = '0';
  let removed = 0;
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
    cursor = next;
    if (found.length) removed += await redis.unlink(...found);
  } while (cursor !== '0');
  console.log(`removed ${removed} Redis keys`);
  const pg = new Client({ connectionString: LOCAL_STACK.postgresUrl });
  await pg.connect();
  try {
    const schema = `${ns}_${DEFAULT_PG_SCHEMAS.recommender}`;
    if (!/^[a-z0-9_]+$/.test(schema)) throw new Error(`odd schema ${schema}`);
    await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await pg.end();
  }
  await deleteNamespacedTopics(ns);
  const admin = testKafka('kairos-bench').admin();
  await admin.connect();
  try {
    await admin
      .deleteGroups([physicalGroup(ConsumerGroups.Recommender, ns)])
      .catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
