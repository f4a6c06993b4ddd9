import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type INestApplication } from '@nestjs/common';
import { loadConfig, type KairosConfig } from '@kairos/config';
import {
  ConsumerGroups,
  Topics,
  type ProductUpserted,
  type ProfilesMerged,
  type ResolvedEvent,
} from '@kairos/contracts';
import { HotKeys, createRedis, type Redis } from '@kairos/hot-store';
import { KairosServiceModule, createService } from '@kairos/service-kit';
import {
  createNamespacedTopics,
  deleteNamespacedTopics,
  dropSchema,
  findWorkspaceRoot,
  pgQuery,
  testKafka,
  uniqueName,
  waitFor,
  deleteKeysWithPrefix,
} from '@kairos/testing';
import type { Producer } from 'kafkajs';
import type { ModelRun } from './model-run.repository';
import { ModelStore } from './model-store';
import type { Recommendation } from './recommend';
import { loadRecommenderSettings, type RecommenderSettings } from './recommender.config';
import {
  RECOMMENDER_ENTITIES,
  RECOMMENDER_MIGRATIONS,
  RecommenderFeatureModule,
} from './recommender.module';

const ADMIN_TOKEN = 'test-admin-token-0123456789';
const CATEGORIES = ['tea', 'coffee', 'books'] as const;
const PER_CATEGORY = 6;
const PROFILES = 24;
/** Small and quick; the same numbers go to the train command through its environment. */
const MODEL_ENV = {
  KAIROS_RECOMMENDER_TRAIN_INTERVAL_MS: '0',
  KAIROS_RECOMMENDER_MODEL_POLL_MS: '0',
  KAIROS_RECOMMENDER_TOP_N: '5',
  KAIROS_RECOMMENDER_ALS_FACTORS: '8',
  KAIROS_RECOMMENDER_ALS_ITERATIONS: '6',
  KAIROS_RECOMMENDER_ALS_REGULARIZATION: '0.5',
};

function recommenderApp(config: KairosConfig, settings: RecommenderSettings) {
  return KairosServiceModule.register({
    config,
    feature: RecommenderFeatureModule.withSettings(settings),
    persistence: { entities: RECOMMENDER_ENTITIES, migrations: RECOMMENDER_MIGRATIONS },
  });
}

describe('recommender models (integration)', () => {
  const ns = uniqueName('recm');
  const schema = uniqueName('recm');
  const env = {
    KAIROS_NAMESPACE: ns,
    KAIROS_PG_SCHEMA: schema,
    KAIROS_HTTP_PORT: '0',
    KAIROS_ADMIN_TOKEN: ADMIN_TOKEN,
    KAIROS_OUTBOX_POLL_MS: '50',
    KAIROS_KAFKA_RETRY_BACKOFF_MS: '20',
    KAIROS_KAFKA_MAX_ATTEMPTS: '2',
  };
  let topics: Awaited<ReturnType<typeof createNamespacedTopics>>;
  let config: KairosConfig;
  let app: INestApplication;
  let baseUrl: string;
  let producer: Producer;
  let redis: Redis;
  let keys: HotKeys;
  let run: ModelRun;
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const profiles = Array.from({ length: PROFILES }, (_, i) => ({
    id: randomUUID(),
    taste: CATEGORIES[i % CATEGORIES.length],
  }));
  const sku = (category: string, i: number) => `${category}-${i}`;
  const nameOf = (productId: string) => `The ${productId.replace('-', ' no. ')}`;

  beforeAll(async () => {
    topics = await createNamespacedTopics(ns);
    config = loadConfig('recommender', env);
    keys = new HotKeys(config.redis.keyPrefix);
    redis = createRedis(config.redis.url);
    app = await createService({
      config,
      module: recommenderApp(config, loadRecommenderSettings(MODEL_ENV)),
      consumerGroup: ConsumerGroups.Recommender,
      logger: ['error', 'warn'],
    });
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    producer = testKafka().producer();
    await producer.connect();
    await seed();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await app?.close();
    if (redis) {
      await deleteKeysWithPrefix(redis, `${config.redis.keyPrefix}`);
      await redis.quit();
    }
    await dropSchema(schema);
    await deleteNamespacedTopics(ns).catch(() => undefined);
  });

  function resolved(profileId: string, event: string, properties: object, at: Date): ResolvedEvent {
    const timestamp = at.toISOString();
    return {
      eventId: randomUUID(),
      type: 'track',
      event,
      userId: `user-${profileId.slice(0, 8)}`,
      traits: {},
      properties: properties as Record<string, unknown>,
      context: {},
      timestamp,
      receivedAt: timestamp,
      warnings: [],
      profileId,
    };
  }

  async function send(topic: string, messages: { key: string; value: unknown }[]) {
    await producer.send({
      topic,
      messages: messages.map((m) => ({ key: m.key, value: JSON.stringify(m.value) })),
    });
  }

  const eventCount = async (profileId?: string) =>
    Number(
      (
        await pgQuery<{ n: string }>(
          `SELECT count(*) AS n FROM "${schema}".interaction_events WHERE $1::uuid IS NULL OR profile_id = $1`,
          [profileId ?? null],
        )
      )[0].n,
    );

  const stored = async (profileId: string) => {
    const raw = await redis.get(keys.recommendations(profileId));
    return raw ? (JSON.parse(raw) as Recommendation[]) : undefined;
  };

  /**
   * A deterministic shop: each profile views five products of its taste over the last days,
   * adds one to the cart and buys another; tastes are shared by a third of the profiles each.
   */
  async function seed() {
    const products: ProductUpserted[] = CATEGORIES.flatMap((category) =>
      Array.from({ length: PER_CATEGORY }, (_, i) => ({
        productId: sku(category, i),
        name: nameOf(sku(category, i)),
        description: `A ${category} item`,
        category,
        brand: 'Kairos',
        price: 5 + i,
        currency: 'EUR',
        available: true,
      })),
    );
    await send(
      topics[Topics.CatalogProducts],
      products.map((p) => ({ key: p.productId, value: p })),
    );
    await waitFor(
      async () => (await pgQuery(`SELECT 1 FROM "${schema}".products`)).length === products.length,
      { description: 'catalog stored' },
    );
    const now = Date.now();
    const events: ResolvedEvent[] = [];
    profiles.forEach((p, n) => {
      const at = (daysAgo: number) => new Date(now - daysAgo * 86_400_000 - n * 1000);
      for (let j = 0; j < 5; j++) {
        events.push(
          resolved(
            p.id,
            'Product Viewed',
            { product_id: sku(p.taste, (n + j) % PER_CATEGORY) },
            at(10 - j),
          ),
        );
      }
      events.push(
        resolved(
          p.id,
          'Product Added',
          { product_id: sku(p.taste, (n + 1) % PER_CATEGORY) },
          at(3),
        ),
      );
      events.push(
        resolved(
          p.id,
          'Order Completed',
          { order_id: `o-${n}`, products: [{ product_id: sku(p.taste, n % PER_CATEGORY) }] },
          at(2),
        ),
      );
    });
    await send(
      topics[Topics.EventsResolved],
      events.map((e) => ({ key: e.profileId, value: e })),
    );
    await waitFor(async () => (await eventCount()) === events.length, {
      description: 'all interaction events stored',
    });
  }

  it('trains by the admin endpoint: registry row, stored factors, everyone’s top N with reasons', async () => {
    const unauthorized = await fetch(`${baseUrl}/admin/recommender/train`, { method: 'POST' });
    expect(unauthorized.status).toBe(401);

    const response = await fetch(`${baseUrl}/admin/recommender/train?wait=true`, {
      method: 'POST',
      headers: auth,
    });
    expect(response.status).toBe(200);
    run = ((await response.json()) as { run: ModelRun }).run;
    expect(run).toMatchObject({
      trigger: 'admin',
      status: 'succeeded',
      users: PROFILES,
      items: CATEGORIES.length * PER_CATEGORY,
      error: null,
    });
    expect(run.nnz).toBe(PROFILES * 5); // five distinct products each (the add and the order repeat views)
    expect(run.metrics).toMatchObject({ profilesWritten: PROFILES, alsThreads: 1 });
    expect(run.parameters).toMatchObject({ als: { factors: 8, iterations: 6 } });

    const [artifact] = await pgQuery<{ bytes: number; items: number }>(
      `SELECT octet_length(item_factors) AS bytes, cardinality(item_ids) AS items
       FROM "${schema}".model_artifacts WHERE run_id = $1`,
      [run.id],
    );
    expect(artifact).toEqual({ bytes: CATEGORIES.length * PER_CATEGORY * 8 * 4, items: 18 });

    for (const p of profiles) {
      const recs = await stored(p.id);
      expect(recs).toHaveLength(5);
      const bought = sku(p.taste, profiles.indexOf(p) % PER_CATEGORY);
      expect(recs!.map((r) => r.productId)).not.toContain(bought);
    }
    const all = (await Promise.all(profiles.map((p) => stored(p.id)))).flat() as Recommendation[];
    const explained = all.filter(
      (r) => r.reason.model !== 'popularity' && r.reason.seedProductId !== undefined,
    );
    expect(explained.length).toBeGreaterThan(0);
    for (const r of explained) {
      if (r.reason.model === 'popularity') continue;
      expect(r.reason.seedName).toBe(nameOf(r.reason.seedProductId!));
    }
    expect(new Set(all.map((r) => r.reason.model)).has('als')).toBe(true);

    const listed = await fetch(`${baseUrl}/admin/recommender/runs/${run.id}`, { headers: auth });
    expect(((await listed.json()) as { run: ModelRun }).run.status).toBe('succeeded');
    const three = await fetch(`${baseUrl}/recommendations/${profiles[0].id}?n=3`, {
      headers: auth,
    });
    expect(((await three.json()) as { recommendations: Recommendation[] }).recommendations).toEqual(
      (await stored(profiles[0].id))!.slice(0, 3),
    );
  });

  it('folds a purchase in at once: the list moves and drops the bought item, without retraining', async () => {
    const p = profiles[4];
    const before = (await stored(p.id))!;
    const top = before[0].productId;
    await send(topics[Topics.EventsResolved], [
      {
        key: p.id,
        value: resolved(
          p.id,
          'Order Completed',
          { order_id: 'o-fold', products: [{ product_id: top }] },
          new Date(),
        ),
      },
    ]);
    const after = await waitFor(
      async () => {
        const recs = await stored(p.id);
        return recs && !recs.some((r) => r.productId === top) ? recs : undefined;
      },
      { description: 'list without the purchased item', timeoutMs: 10_000 },
    );
    expect(after).not.toEqual(before);
    expect(after.some((r) => r.reason.model === 'als')).toBe(true);
    const runs = await pgQuery(`SELECT id FROM "${schema}".model_runs`);
    expect(runs).toHaveLength(1);

    // Someone training never saw gets a folded-in list from their first event.
    const newcomer = randomUUID();
    await send(topics[Topics.EventsResolved], [
      {
        key: newcomer,
        value: resolved(newcomer, 'Product Viewed', { product_id: sku('books', 2) }, new Date()),
      },
    ]);
    const fresh = await waitFor(() => stored(newcomer), { description: 'newcomer list' });
    expect(fresh.map((r) => r.productId)).not.toContain(undefined);
    expect(fresh.some((r) => r.reason.model === 'content')).toBe(true);
  });

  it('moves a merged profile’s interactions to the survivor, once, and back on unmerge', async () => {
    const [survivor, merged] = [profiles[6], profiles[7]];
    const [nS, nM] = [await eventCount(survivor.id), await eventCount(merged.id)];
    const merge: ProfilesMerged = {
      mergeId: randomUUID(),
      survivorProfileId: survivor.id,
      mergedProfileId: merged.id,
      rule: 'shared-identifier:email',
      evidenceEventId: randomUUID(),
      mergedAt: new Date().toISOString(),
    };
    await send(topics[Topics.IdentityMerges], [
      { key: survivor.id, value: merge },
      { key: survivor.id, value: merge },
    ]);
    await waitFor(
      async () =>
        (await eventCount(merged.id)) === 0 &&
        (await eventCount(survivor.id)) === nS + nM &&
        (await redis.exists(keys.recommendations(merged.id))) === 0,
      { description: 'merged interactions moved' },
    );
    const claims = await pgQuery(`SELECT 1 FROM "${schema}".processed_events WHERE event_id = $1`, [
      `merge:${merge.mergeId}`,
    ]);
    expect(claims).toHaveLength(1);
    const aggregate = await pgQuery(
      `SELECT 1 FROM "${schema}".interactions WHERE profile_id = $1`,
      [merged.id],
    );
    expect(aggregate).toHaveLength(0);
    expect(await stored(survivor.id)).toBeDefined();

    await send(topics[Topics.IdentityMerges], [
      {
        key: survivor.id,
        value: { ...merge, kind: 'unmerge', unmergedAt: new Date().toISOString() },
      },
    ]);
    await waitFor(
      async () =>
        (await eventCount(merged.id)) === nM &&
        (await eventCount(survivor.id)) === nS &&
        (await stored(merged.id)) !== undefined,
      { description: 'interactions moved back' },
    );
  });

  it('serves the stored model after a restart without retraining', async () => {
    const second = await createService({
      config,
      module: recommenderApp(config, loadRecommenderSettings(MODEL_ENV)),
      logger: ['error', 'warn'],
    });
    try {
      const model = second.get(ModelStore).current;
      expect(model?.runId).toBe(run.id);
      expect(model?.als.nItems).toBe(CATEGORIES.length * PER_CATEGORY);
    } finally {
      await second.close();
    }
  });

  it('trains from the train command, on two threads, printing progress and the run', async () => {
    const root = findWorkspaceRoot();
    const { code, stdout, stderr } = await runSource(join(root, 'apps/recommender/src/train.ts'), {
      ...env,
      ...MODEL_ENV,
      KAIROS_RECOMMENDER_ALS_MIN_NNZ_FOR_THREADS: '0',
    });
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    const printed = JSON.parse(stdout) as ModelRun;
    expect(printed).toMatchObject({ trigger: 'cli', status: 'succeeded', users: PROFILES + 1 });
    expect(printed.metrics).toMatchObject({ alsThreads: 2 });
    expect(stderr).toContain('100% top-N to Redis');
    const runs = await pgQuery<{ status: string }>(
      `SELECT status FROM "${schema}".model_runs ORDER BY started_at`,
    );
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('evaluates on its own data from the evaluate command: JSON, HTML report and a registry row', async () => {
    const root = findWorkspaceRoot();
    const out = join(tmpdir(), uniqueName('recm-eval'));
    const cutoff = new Date(Date.now() - 4 * 86_400_000).toISOString();
    const { code, stdout, stderr } = await runSource(
      join(root, 'apps/recommender/src/evaluate.ts'),
      { ...env, ...MODEL_ENV },
      ['--out', out, '--cutoff', cutoff, '--k', '5'],
    );
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/hybrid/);
    const report = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as {
      id: string;
      parameters: { cutoff: string; k: number };
      results: { split: string; users: number; models: Record<string, unknown> }[];
    };
    expect(report.parameters).toMatchObject({ cutoff, k: 5 });
    expect(report.results.map((r) => r.split)).toEqual(['time', 'random']);
    expect(report.results[1].users).toBeGreaterThan(0);
    expect(Object.keys(report.results[0].models).sort()).toEqual(
      ['als', 'content', 'hybrid', 'hybrid-diverse', 'popularity'].sort(),
    );
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<svg');
    const rows = await pgQuery<{ output_dir: string }>(
      `SELECT output_dir FROM "${schema}".model_evaluations WHERE id = $1`,
      [report.id],
    );
    expect(rows).toEqual([{ output_dir: out }]);
    rmSync(out, { recursive: true, force: true });
  });
});

/**
 * Runs a TypeScript entry point in a child process the way Jest runs sources: SWC transpiles
 * on require and the tsconfig path aliases resolve to the libraries' sources.
 */
function runSource(
  entry: string,
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const root = findWorkspaceRoot();
  const bootstrap = `
    const { readFileSync } = require('node:fs');
    const { join } = require('node:path');
    const Module = require('node:module');
    const swc = require(${JSON.stringify(require.resolve('@swc/core'))});
    const root = ${JSON.stringify(root)};
    const paths = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions.paths;
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      const target = paths[request];
      return resolve.call(this, target ? join(root, target[0]) : request, ...rest);
    };
    require.extensions['.ts'] = (module, filename) => {
      const { code } = swc.transformSync(readFileSync(filename, 'utf8'), {
        filename,
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
        module: { type: 'commonjs' },
      });
      module._compile(code, filename);
    };
    require(${JSON.stringify(entry)});
  `;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['-e', bootstrap, '--', ...args], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}
