/**
 * A deterministic stream of Segment events from a shop's visitors, for the pipeline throughput
 * bench: a population of people with one or two devices, repeat visitors (a skewed choice of
 * who comes back), anonymous browsing that later becomes identified (identify with userId and
 * the device's anonymousId: a link, and a merge when a second device had its own anonymous
 * profile), traits updates, e-commerce and page events, a few exact re-sends (same messageId:
 * the duplicate filter's work) and a few invalid events (rejected).
 *
 * Same seed and options → the same events byte for byte (nothing reads the clock or Math.random).
 */
import { createHash } from 'node:crypto';

/** mulberry32: a tiny, good-enough seeded PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TrafficOptions {
  events: number;
  people: number;
  seed: number;
  /** Share of events that are exact re-sends of an earlier event (default 0.01). */
  duplicateShare?: number;
  /** Share of events that break the schema and are rejected (default 0.002). */
  invalidShare?: number;
}

export interface SyntheticEvent {
  /** The messageId, which ingest keeps as the eventId: how the bench matches resolved events. */
  messageId: string;
  /** Kafka key: a digest of the identity, as upstream producers and ingest's HTTP door key. */
  key: string;
  /** The JSON payload, serialized once. */
  value: string;
  /** What should come out: resolved (a new valid event), duplicate, or rejected. */
  expect: 'resolved' | 'duplicate' | 'rejected';
}

export interface TrafficSummary {
  byType: Record<string, number>;
  identifies: number;
  anonymousOnly: number;
  links: number;
  duplicates: number;
  invalid: number;
  distinctPeople: number;
}

const FIRST = [
  'ada',
  'ben',
  'chloe',
  'dan',
  'emma',
  'finn',
  'grace',
  'hugo',
  'iris',
  'jack',
  'karl',
  'lena',
  'mia',
  'noah',
  'olga',
  'paul',
  'quinn',
  'rosa',
  'sam',
  'tara',
  'uwe',
  'vera',
  'will',
  'xena',
  'yusuf',
  'zoe',
  'anna',
  'bruno',
  'clara',
  'david',
  'elif',
  'felix',
  'greta',
  'hanna',
  'ivan',
  'jonas',
  'kim',
  'luca',
  'marie',
  'nina',
  'oskar',
  'pia',
  'rafael',
  'sofia',
  'tim',
  'ulla',
  'viktor',
  'wanda',
  'yara',
  'zeynep',
];
/** Surnames are built from syllables: thousands of them, with a realistic long tail. */
const SYLLABLES = [
  'ber',
  'man',
  'son',
  'dor',
  'kal',
  'li',
  'ne',
  'ro',
  'sch',
  'mid',
  'ter',
  'van',
  'wal',
  'ski',
  'ez',
  'ra',
  'mo',
  'tin',
  'gar',
  'cia',
  'hof',
  'berg',
  'lund',
  'qvist',
];
const ZONES = ['Europe/Berlin', 'Europe/London', 'America/New_York', 'Asia/Tokyo', 'UTC'];
const PAGES = ['Home', 'Category', 'Product', 'Cart', 'Search', 'Help'];
const PRODUCTS = 500;
const BASE_TIME = Date.UTC(2025, 0, 1);

interface Person {
  identified: boolean;
  /** Device (anonymousId suffix) the person uses now. */
  device: number;
}

/** A person's stable traits (the same on every identify), from their own little PRNG. */
function personTraits(seed: number, personIndex: number): Record<string, string> {
  const r = rng((seed * 1_000_003) ^ Math.imul(personIndex + 1, 2654435761));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(r() * items.length)];
  const lastName = `${pick(SYLLABLES)}${pick(SYLLABLES)}${r() < 0.5 ? pick(SYLLABLES) : ''}`;
  const birthday =
    r() < 0.3
      ? new Date(Date.UTC(1950, 0, 1) + Math.floor(r() * 20_000) * 86_400_000)
          .toISOString()
          .slice(0, 10)
      : undefined;
  return {
    email: `person${personIndex}@example.com`,
    firstName: pick(FIRST),
    lastName,
    timezone: pick(ZONES),
    ...(birthday ? { birthday } : {}),
  };
}

/** The id a bench run gives event `index`; {@link indexOfMessageId} reads it back. */
export function messageIdFor(runTag: string, index: number): string {
  return `${runTag}-${index.toString(36)}`;
}

export function indexOfMessageId(runTag: string, id: string): number | undefined {
  if (!id.startsWith(`${runTag}-`)) return undefined;
  const index = parseInt(id.slice(runTag.length + 1), 36);
  return Number.isFinite(index) ? index : undefined;
}

function digest(identity: string): string {
  return createHash('sha256').update(identity, 'utf8').digest('hex').slice(0, 32);
}

export function generateTraffic(
  options: TrafficOptions,
  runTag: string,
): { events: SyntheticEvent[]; summary: TrafficSummary } {
  const random = rng(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const duplicateShare = options.duplicateShare ?? 0.01;
  const invalidShare = options.invalidShare ?? 0.002;
  const people = new Map<number, Person>();
  const events: SyntheticEvent[] = [];
  const summary: TrafficSummary = {
    byType: {},
    identifies: 0,
    anonymousOnly: 0,
    links: 0,
    duplicates: 0,
    invalid: 0,
    distinctPeople: 0,
  };

  for (let index = 0; index < options.events; index++) {
    const messageId = messageIdFor(runTag, index);
    const timestamp = new Date(BASE_TIME + index * 10).toISOString();
    const roll = random();

    if (roll < duplicateShare && events.length > 0) {
      // An upstream retry: the same message again, a little later.
      const earlier = events[Math.max(0, events.length - 1 - Math.floor(random() * 2000))];
      if (earlier.expect === 'resolved') {
        events.push({ ...earlier, expect: 'duplicate' });
        summary.duplicates++;
        continue;
      }
    }
    if (roll > 1 - invalidShare) {
      // A track call without an event name: a schema violation, rejected by ingest.
      const anonymousId = `anon-bad-${index}`;
      events.push({
        messageId,
        key: digest(anonymousId),
        value: JSON.stringify({ type: 'track', messageId, anonymousId, timestamp }),
        expect: 'rejected',
      });
      summary.invalid++;
      continue;
    }

    // Repeat visitors: a skewed choice, so a minority of people send most events.
    const personIndex = Math.floor(options.people * random() ** 2);
    let person = people.get(personIndex);
    if (!person) {
      person = { identified: false, device: 0 };
      people.set(personIndex, person);
    }
    // Now and then someone comes back on another device (a new anonymousId).
    if (random() < 0.03) person.device = Math.min(person.device + 1, 3);
    const userId = `user-${personIndex}`;
    const anonymousId = `anon-${personIndex}-${person.device}`;
    const kind = random();
    let payload: Record<string, unknown>;

    const identifies = person.identified ? kind < 0.08 : kind < 0.12;
    if (identifies) {
      // Identify: userId plus the device's anonymousId links the two; traits update.
      if (!person.identified) summary.links++;
      person.identified = true;
      payload = {
        type: 'identify',
        messageId,
        userId,
        anonymousId,
        timestamp,
        traits: {
          ...personTraits(options.seed, personIndex),
          plan: random() < 0.2 ? 'pro' : 'free',
        },
      };
      summary.identifies++;
    } else {
      const ids = person.identified
        ? random() < 0.5
          ? { userId, anonymousId }
          : { userId }
        : { anonymousId };
      if (!person.identified) summary.anonymousOnly++;
      const productId = `sku-${Math.floor(random() * PRODUCTS)}`;
      const price = Math.round(500 + random() * 20_000) / 100;
      const ecommerce = random();
      if (ecommerce < 0.4) {
        payload = { type: 'page', messageId, ...ids, timestamp, name: pick(PAGES) };
      } else if (ecommerce < 0.75) {
        payload = {
          type: 'track',
          messageId,
          ...ids,
          timestamp,
          event: 'Product Viewed',
          properties: { product_id: productId, name: `Product ${productId}`, price },
        };
      } else if (ecommerce < 0.92) {
        payload = {
          type: 'track',
          messageId,
          ...ids,
          timestamp,
          event: 'Product Added',
          properties: { product_id: productId, name: `Product ${productId}`, price, quantity: 1 },
        };
      } else if (ecommerce < 0.97) {
        payload = {
          type: 'track',
          messageId,
          ...ids,
          timestamp,
          event: 'Order Completed',
          properties: {
            order_id: `o-${index}`,
            revenue: price,
            currency: 'EUR',
            products: [{ product_id: productId, price, quantity: 1 }],
          },
        };
      } else {
        payload = {
          type: 'track',
          messageId,
          ...ids,
          timestamp,
          event: 'Newsletter Widget Shown',
          properties: { variant: pick(['a', 'b']) },
        };
      }
    }
    const type = String(payload.type);
    summary.byType[type] = (summary.byType[type] ?? 0) + 1;
    events.push({
      messageId,
      key: digest(String(payload.userId ?? payload.anonymousId)),
      value: JSON.stringify(payload),
      expect: 'resolved',
    });
  }
  summary.distinctPeople = people.size;
  return { events, summary };
}
