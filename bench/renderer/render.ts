/**
 * Renderer bench: personalized renders per second on one core with the seeded abandoned-cart
 * template (six blocks, content rules, greeting by local time, text part, quality gate), and
 * the latency of the one pipelined Redis round trip that fetches a person's send-time data.
 *
 *   npx tsc -p bench/renderer/tsconfig.json && \
 *     node dist/bench/bench/renderer/render.js [--seconds 5] [--lookups 20000] [--redis redis://127.0.0.1:16379]
 *
 * Prints JSON, then a table. Not an assertion: numbers depend on the machine.
 */
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import Redis from 'ioredis';
// Relative imports of the pure parts: the feature's index would load Nest and TypeORM.
import { HotKeys } from '../../libs/shared/hot-store/src/keys';
import { orderRules, selectVariants } from '../../libs/renderer/feature/src/domain/block-selection';
import { checkEmail } from '../../libs/renderer/feature/src/domain/quality-gate';
import { listUnsubscribeHeaders } from '../../libs/renderer/feature/src/email-headers';
import { EmailRenderer } from '../../libs/renderer/feature/src/email-renderer';
import { buildScope, factsOf, type ScopeInput } from '../../libs/renderer/feature/src/email-scope';
import { parseRecipient, parseRecommendations } from '../../libs/renderer/feature/src/hot-profile';
import {
  SEED_BRAND,
  SEED_RULES,
  SEED_TEMPLATE,
  seedBlockSnapshots,
} from '../../libs/renderer/feature/src/seed-content';
import { compileTemplate } from '../../libs/renderer/feature/src/template-compiler';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    lookups: { type: 'string', default: '20000' },
    people: { type: 'string', default: '1000' },
    redis: { type: 'string', default: 'redis://127.0.0.1:16379' },
  },
});
const SECONDS = Number(values.seconds);
const LOOKUPS = Number(values.lookups);
const PEOPLE = Number(values.people);

const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'UTC', 'Australia/Sydney'];
const NAMES = ['Ada', 'Grace', 'Linus', 'Mallory <b>', 'Zoë', 'Ken'];
const PRODUCTS = ['Trail Shoe', 'Wool Sock', 'Rain Jacket', 'Camp Stove', 'Head Lamp', 'Tent 2P'];

/** Deterministic synthetic people, with the hot-store data a real send would read. */
function person(i: number) {
  const id = randomUUID();
  return {
    id,
    profile: {
      profileId: id,
      version: '3',
      email: `p${i}@example.com`,
      firstName: NAMES[i % NAMES.length],
      timezone: ZONES[i % ZONES.length],
      emailConsent: 'subscribed',
      traits: JSON.stringify({ loyaltyTier: i % 7 === 0 ? 'Gold' : 'Silver', plan: 'pro' }),
    },
    traits: {
      profileId: id,
      orderCount: String(i % 5),
      openRate7d: String((i % 10) / 10),
      daysSinceSignup: String(i % 90),
      purchasedCategories: JSON.stringify(i % 3 === 0 ? ['Smartphone'] : ['Outdoor']),
      cart: '[]',
    },
    segments: i % 4 === 0 ? ['recent-outdoor-buyers', 'repeat-buyers'] : ['repeat-buyers'],
    recommendations: JSON.stringify(
      Array.from({ length: 6 }, (_, k) => ({
        productId: `sku-${(i + k) % 50}`,
        name: `${PRODUCTS[(i + k) % PRODUCTS.length]} ${k}`,
        score: 1 - k / 10,
        reason: 'als',
        imageUrl: `https://cdn.shop.example/img/${(i + k) % 50}.jpg`,
      })),
    ),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function benchRender(people: ReturnType<typeof person>[]) {
  const t0 = performance.now();
  const compiled = await compileTemplate(SEED_TEMPLATE.layout, seedBlockSnapshots());
  const compileMs = performance.now() - t0;
  const renderer = new EmailRenderer();
  const prepared = renderer.prepare('abandoned-cart@1', SEED_TEMPLATE.subject, compiled);
  const blocks = compiled.slots.map((s) => ({ block: s.block, variants: Object.keys(s.variants) }));
  const rules = orderRules(SEED_RULES.map((r, i) => ({ ...r, id: String(i), enabled: true })));
  const unsubscribeUrl = 'https://kairos.example/unsubscribe/4f6c1e7a-1111-4222-8333-944455556666';
  const headers = listUnsubscribeHeaders(unsubscribeUrl);
  const now = new Date('2030-01-15T18:00:00Z');
  const inputs: ScopeInput[] = people.map((p, i) => ({
    recipient: parseRecipient(p.profile)!,
    computedTraits: p.traits,
    segments: p.segments,
    cart: [
      {
        productId: `sku-${i % 50}`,
        name: PRODUCTS[i % PRODUCTS.length],
        price: 19.9 + i,
        quantity: 1,
      },
      {
        productId: `sku-${(i + 1) % 50}`,
        name: PRODUCTS[(i + 1) % PRODUCTS.length],
        price: null,
        quantity: 2,
      },
    ],
    recommendations: parseRecommendations(p.recommendations),
    unsubscribeUrl,
    data: {},
    brand: SEED_BRAND,
    now,
  }));

  let renders = 0;
  let bytes = 0;
  let held = 0;
  const end = performance.now() + SECONDS * 1000;
  // Everything a send does between the Redis read and SMTP: rules, scope, render, text, gate.
  while (performance.now() < end) {
    for (let k = 0; k < 100; k++) {
      const input = inputs[renders % inputs.length];
      const facts = factsOf(input);
      const email = renderer.render(
        prepared,
        buildScope(input, facts),
        selectVariants(blocks, rules, facts, now),
      );
      if (checkEmail({ ...email, headers, unsubscribeUrl }).length) held++;
      bytes += email.html.length;
      renders++;
    }
  }
  return {
    compileMs: Math.round(compileMs * 10) / 10,
    seconds: SECONDS,
    renders,
    rendersPerSecond: Math.round(renders / SECONDS),
    avgHtmlBytes: Math.round(bytes / renders),
    heldByGate: held,
  };
}

async function benchLookup(people: ReturnType<typeof person>[]) {
  const redis = new Redis(values.redis, { maxRetriesPerRequest: 2 });
  const keys = new HotKeys(`kairos:bench-${randomUUID().slice(0, 8)}:`);
  try {
    const seed = redis.pipeline();
    for (const p of people) {
      seed.hset(keys.profile(p.id), p.profile);
      seed.hset(keys.traits(p.id), p.traits);
      seed.sadd(keys.segments(p.id), ...p.segments);
      seed.set(keys.recommendations(p.id), p.recommendations);
    }
    await seed.exec();
    const lookup = async (id: string) => {
      // The same pipeline as HotDataReader.read, parsing included.
      const replies = await redis
        .pipeline()
        .hgetall(keys.profile(id))
        .hgetall(keys.traits(id))
        .smembers(keys.segments(id))
        .get(keys.recommendations(id))
        .exec();
      const [profile, , , recs] = (replies ?? []).map(([, v]) => v) as [
        Record<string, string>,
        unknown,
        unknown,
        string,
      ];
      parseRecipient(profile);
      parseRecommendations(recs);
    };
    for (let i = 0; i < 500; i++) await lookup(people[i % people.length].id); // warm up
    const samples: number[] = [];
    for (let i = 0; i < LOOKUPS; i++) {
      const t = performance.now();
      await lookup(people[i % people.length].id);
      samples.push(performance.now() - t);
    }
    samples.sort((a, b) => a - b);
    const round = (ms: number) => Math.round(ms * 1000) / 1000;
    return {
      lookups: LOOKUPS,
      p50Ms: round(percentile(samples, 50)),
      p90Ms: round(percentile(samples, 90)),
      p99Ms: round(percentile(samples, 99)),
      maxMs: round(samples[samples.length - 1]),
    };
  } finally {
    const stale = await redis.keys(`${keys.prefix}*`);
    for (let i = 0; i < stale.length; i += 500) await redis.del(...stale.slice(i, i + 500));
    redis.disconnect();
  }
}

async function main(): Promise<void> {
  const people = Array.from({ length: PEOPLE }, (_, i) => person(i));
  const render = await benchRender(people);
  const lookup = await benchLookup(people);
  const result = {
    bench: 'renderer',
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    render,
    lookup,
    targets: { rendersPerSecondPerCore: 5000, lookupP99Ms: 1 },
  };
  console.log(JSON.stringify(result, null, 2));
  console.table({
    'renders/s (1 core)': { value: render.rendersPerSecond, target: '≥ 5000' },
    'MJML compile (once/version), ms': { value: render.compileMs, target: '' },
    'avg HTML bytes': { value: render.avgHtmlBytes, target: '< 102000' },
    'Redis lookup p50, ms': { value: lookup.p50Ms, target: '' },
    'Redis lookup p99, ms': { value: lookup.p99Ms, target: '< 1' },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
