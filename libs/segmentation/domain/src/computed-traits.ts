import type { CartItem, ResolvedEvent } from '@kairos/contracts';
import { addToSeries, EMPTY_SERIES, trimSeries, type DaySeries } from './day-series';
import { addScore, EMPTY_SCORES, type DecayedScores } from './decayed-scores';
import { EMPTY_PLAN, type CounterPlan } from './event-counters';
import { DAY_MS, dayOf, maxTime, minTime, toMs } from './time';
import { isRecord, numberOf, stringOf, timeOf } from './values';

/** Event names the model understands (Segment spec e-commerce and email events). */
export const TraitEvents = {
  ProductViewed: 'Product Viewed',
  ProductAdded: 'Product Added',
  ProductRemoved: 'Product Removed',
  OrderCompleted: 'Order Completed',
  OrderRefunded: 'Order Refunded',
  EmailDelivered: 'Email Delivered',
  EmailOpened: 'Email Opened',
  EmailLinkClicked: 'Email Link Clicked',
  SignedUp: 'Signed Up',
} as const;

/** The part of a resolved event the model reads. */
export type TraitEvent = Pick<ResolvedEvent, 'type' | 'event' | 'properties' | 'timestamp'> & {
  traits?: Record<string, unknown>;
};

export interface TraitsConfig {
  /** Longest commerce/visit window (days); buckets older than this are dropped by sweep. */
  readonly retentionDays: number;
  /** Longest email window (days). */
  readonly emailRetentionDays: number;
  readonly affinityHalfLifeDays: number;
  readonly maxAffinityKeys: number;
  /** Affinity weight per interaction. */
  readonly affinityWeights: {
    readonly view: number;
    readonly add: number;
    readonly purchase: number;
  };
}

export const DEFAULT_TRAITS_CONFIG: TraitsConfig = {
  retentionDays: 90,
  emailRetentionDays: 30,
  affinityHalfLifeDays: 30,
  maxAffinityKeys: 20,
  affinityWeights: { view: 1, add: 3, purchase: 5 },
};

export interface EventCounter {
  /** Every matching event ever counted (since the requirement existed). */
  readonly total: number;
  readonly perDay: DaySeries;
}

/**
 * The computed traits of one profile: compact state from which every trait is derived at a
 * given time (see traits-facts.ts). JSON-serialisable (times are epoch ms) so it can live in a
 * jsonb column and be mirrored to Redis. Size is bounded: day series by retention, affinities by
 * maxAffinityKeys, counters by the requirements of the active segment definitions.
 */
export interface ComputedTraits {
  readonly profileId: string;
  readonly eventCount: number;
  readonly firstEventAt: number | null;
  readonly lastEventAt: number | null;
  /** Frequency (lifetime). */
  readonly orderCount: number;
  /** Monetary / lifetime value: order revenue minus refunds (currencies are not converted). */
  readonly ltv: number;
  readonly firstOrderAt: number | null;
  readonly lastOrderAt: number | null;
  readonly orders: DaySeries;
  readonly revenue: DaySeries;
  readonly emailDelivered: DaySeries;
  readonly emailOpened: DaySeries;
  readonly emailClicked: DaySeries;
  readonly lastOpenAt: number | null;
  readonly lastClickAt: number | null;
  /** Site visits = page events. */
  readonly visits: DaySeries;
  readonly lastVisitAt: number | null;
  readonly categoryAffinity: DecayedScores;
  readonly brandAffinity: DecayedScores;
  readonly cart: readonly CartItem[];
  readonly lastCartActivityAt: number | null;
  readonly signupAt: number | null;
  readonly loyaltyTier: string | null;
  /** Event time of the identify that set loyaltyTier (the newest one wins). */
  readonly loyaltyTierAt: number | null;
  readonly counters: Readonly<Record<string, EventCounter>>;
}

export function emptyTraits(profileId: string): ComputedTraits {
  return {
    profileId,
    eventCount: 0,
    firstEventAt: null,
    lastEventAt: null,
    orderCount: 0,
    ltv: 0,
    firstOrderAt: null,
    lastOrderAt: null,
    orders: EMPTY_SERIES,
    revenue: EMPTY_SERIES,
    emailDelivered: EMPTY_SERIES,
    emailOpened: EMPTY_SERIES,
    emailClicked: EMPTY_SERIES,
    lastOpenAt: null,
    lastClickAt: null,
    visits: EMPTY_SERIES,
    lastVisitAt: null,
    categoryAffinity: EMPTY_SCORES,
    brandAffinity: EMPTY_SCORES,
    cart: [],
    lastCartActivityAt: null,
    signupAt: null,
    loyaltyTier: null,
    loyaltyTierAt: null,
    counters: {},
  };
}

export interface ApplyOptions {
  /** What behavioural conditions need counted (from `planCounters(program.requirements)`). */
  readonly counters?: CounterPlan;
  readonly config?: TraitsConfig;
}

/**
 * Fold one event into the traits (pure; returns a new object, sharing unchanged parts).
 * `nowMs` is the processing time (the injected Clock): it bounds what the day series keep.
 *
 * Out-of-order events (event time before what the traits already reflect) are exact wherever
 * the model keeps enough state, and deliberately conservative where it does not:
 *  - lifetime counters and sums (events, orders, LTV, counter totals) are order-independent;
 *  - first/last times take min/max, so they never move the wrong way;
 *  - day buckets are keyed by EVENT day, so a late event lands in the window it belongs to;
 *    an event older than the retention horizon (now - retentionDays) only updates lifetime
 *    values, because no window can see it any more;
 *  - decayed affinities are weighted by event time relative to a moving reference, so the
 *    result is the same in any arrival order (decayed-scores.ts);
 *  - the cart and the loyalty tier are STATE: a late change is ignored if something newer has
 *    already been applied (newest event time wins; equal times apply in arrival order);
 *  - duplicates are NOT detected here: exactly-once per event id is the consumer's job.
 */
export function applyEvent(
  traits: ComputedTraits,
  event: TraitEvent,
  nowMs: number,
  options: ApplyOptions = {},
): ComputedTraits {
  const config = options.config ?? DEFAULT_TRAITS_CONFIG;
  const at = toMs(event.timestamp);
  if (Number.isNaN(at)) return traits;
  const day = dayOf(at);
  const today = dayOf(nowMs);
  const inRetention = day > today - config.retentionDays;
  const inEmailRetention = day > today - config.emailRetentionDays;
  const halfLifeMs = config.affinityHalfLifeDays * DAY_MS;
  const props = event.properties ?? {};

  const next: { -readonly [K in keyof ComputedTraits]: ComputedTraits[K] } = {
    ...traits,
    eventCount: traits.eventCount + 1,
    firstEventAt: minTime(traits.firstEventAt, at),
    lastEventAt: maxTime(traits.lastEventAt, at),
  };

  const affinity = (category: unknown, brand: unknown, weight: number): void => {
    const c = stringOf(category);
    const b = stringOf(brand);
    if (c)
      next.categoryAffinity = addScore(
        next.categoryAffinity,
        c,
        weight,
        at,
        halfLifeMs,
        config.maxAffinityKeys,
      );
    if (b)
      next.brandAffinity = addScore(
        next.brandAffinity,
        b,
        weight,
        at,
        halfLifeMs,
        config.maxAffinityKeys,
      );
  };
  const cartIsCurrent = traits.lastCartActivityAt === null || at >= traits.lastCartActivityAt;

  if (event.type === 'identify') {
    const t = event.traits ?? {};
    const signup = timeOf(t.createdAt) ?? timeOf(t.created_at);
    if (signup !== undefined) next.signupAt = minTime(traits.signupAt, signup);
    const tier = stringOf(t.loyaltyTier) ?? stringOf(t.loyalty_tier);
    if (tier !== undefined && (traits.loyaltyTierAt === null || at >= traits.loyaltyTierAt)) {
      next.loyaltyTier = tier;
      next.loyaltyTierAt = at;
    }
  } else if (event.type === 'page') {
    if (inRetention) next.visits = addToSeries(traits.visits, day, 1);
    next.lastVisitAt = maxTime(traits.lastVisitAt, at);
  } else if (event.type === 'track') {
    switch (event.event) {
      case TraitEvents.ProductViewed:
        affinity(props.category, props.brand, config.affinityWeights.view);
        break;
      case TraitEvents.ProductAdded: {
        affinity(props.category, props.brand, config.affinityWeights.add);
        const productId = productIdOf(props);
        if (productId && cartIsCurrent) {
          next.cart = addToCart(traits.cart, productId, props);
          next.lastCartActivityAt = at;
        }
        break;
      }
      case TraitEvents.ProductRemoved: {
        const productId = productIdOf(props);
        if (productId && cartIsCurrent) {
          next.cart = removeFromCart(traits.cart, productId, positiveInt(props.quantity));
          next.lastCartActivityAt = at;
        }
        break;
      }
      case TraitEvents.OrderCompleted: {
        const amount = orderRevenue(props);
        next.orderCount = traits.orderCount + 1;
        next.ltv = roundMoney(traits.ltv + amount);
        next.firstOrderAt = minTime(traits.firstOrderAt, at);
        next.lastOrderAt = maxTime(traits.lastOrderAt, at);
        if (inRetention) {
          next.orders = addToSeries(traits.orders, day, 1);
          next.revenue = addToSeries(traits.revenue, day, amount);
        }
        affinity(props.category, props.brand, config.affinityWeights.purchase);
        if (Array.isArray(props.products)) {
          for (const p of props.products)
            if (isRecord(p)) affinity(p.category, p.brand, config.affinityWeights.purchase);
        }
        if (cartIsCurrent) {
          // The order is the checkout of the open cart.
          next.cart = [];
          next.lastCartActivityAt = at;
        }
        break;
      }
      case TraitEvents.OrderRefunded: {
        const amount = orderRevenue(props);
        next.ltv = roundMoney(traits.ltv - amount);
        if (inRetention) next.revenue = addToSeries(traits.revenue, day, -amount);
        break;
      }
      case TraitEvents.EmailDelivered:
        if (inEmailRetention) next.emailDelivered = addToSeries(traits.emailDelivered, day, 1);
        break;
      case TraitEvents.EmailOpened:
        if (inEmailRetention) next.emailOpened = addToSeries(traits.emailOpened, day, 1);
        next.lastOpenAt = maxTime(traits.lastOpenAt, at);
        break;
      case TraitEvents.EmailLinkClicked:
        if (inEmailRetention) next.emailClicked = addToSeries(traits.emailClicked, day, 1);
        next.lastClickAt = maxTime(traits.lastClickAt, at);
        break;
      case TraitEvents.SignedUp:
        next.signupAt = minTime(traits.signupAt, at);
        break;
      default:
        break;
    }
  }

  const name =
    event.type === 'track' ? event.event : event.type === 'page' ? 'Page Viewed' : undefined;
  const planned =
    name === undefined ? undefined : (options.counters ?? EMPTY_PLAN).byEvent.get(name);
  if (planned) {
    let counters: Record<string, EventCounter> | undefined;
    for (const counter of planned) {
      if (!counter.matches(props)) continue;
      counters ??= { ...traits.counters };
      const known = counters[counter.id] ?? { total: 0, perDay: EMPTY_SERIES };
      const keep = counter.retentionDays > 0 && day > today - counter.retentionDays;
      counters[counter.id] = {
        total: known.total + 1,
        perDay: keep ? addToSeries(known.perDay, day, 1) : known.perDay,
      };
    }
    if (counters) next.counters = counters;
  }
  return next;
}

/**
 * Drop day buckets no window can see any more (time passed with no event). Returns the SAME
 * object when nothing was dropped, so a sweeper can skip writes. Derived window values do not
 * depend on sweeping (they are computed relative to `now`); sweeping only bounds storage.
 * Counters not in `plan` (no definition needs them any more) are dropped as well when a plan is given.
 */
export function sweep(
  traits: ComputedTraits,
  nowMs: number,
  options: ApplyOptions = {},
): ComputedTraits {
  const config = options.config ?? DEFAULT_TRAITS_CONFIG;
  const today = dayOf(nowMs);
  const keep = today - config.retentionDays + 1;
  const keepEmail = today - config.emailRetentionDays + 1;
  const orders = trimSeries(traits.orders, keep);
  const revenue = trimSeries(traits.revenue, keep);
  const visits = trimSeries(traits.visits, keep);
  const emailDelivered = trimSeries(traits.emailDelivered, keepEmail);
  const emailOpened = trimSeries(traits.emailOpened, keepEmail);
  const emailClicked = trimSeries(traits.emailClicked, keepEmail);
  let changed =
    orders !== traits.orders ||
    revenue !== traits.revenue ||
    visits !== traits.visits ||
    emailDelivered !== traits.emailDelivered ||
    emailOpened !== traits.emailOpened ||
    emailClicked !== traits.emailClicked;

  let counters = traits.counters;
  const retention = new Map<string, number>();
  if (options.counters)
    for (const r of options.counters.requirements) retention.set(r.id, r.retentionDays);
  const trimmed: Record<string, EventCounter> = {};
  let countersChanged = false;
  for (const id of Object.keys(traits.counters)) {
    const c = traits.counters[id];
    const days = options.counters ? retention.get(id) : undefined;
    if (options.counters && days === undefined) {
      countersChanged = true;
      continue;
    }
    // Without a plan, keep the longest commerce retention as the bound.
    const perDay = trimSeries(c.perDay, today - (days ?? config.retentionDays) + 1);
    if (perDay !== c.perDay) countersChanged = true;
    trimmed[id] = perDay === c.perDay ? c : { total: c.total, perDay };
  }
  if (countersChanged) counters = trimmed;
  changed ||= countersChanged;
  if (!changed) return traits;
  return {
    ...traits,
    orders,
    revenue,
    visits,
    emailDelivered,
    emailOpened,
    emailClicked,
    counters,
  };
}

/** Order Completed carries `revenue` (preferred) or `total`; neither counts as 0. */
export function orderRevenue(properties: Record<string, unknown>): number {
  return numberOf(properties.revenue) ?? numberOf(properties.total) ?? 0;
}

/** Segment's product id: `product_id`, then `productId`, then `sku` (string or number). */
export function productIdOf(properties: Record<string, unknown>): string | undefined {
  for (const value of [properties.product_id, properties.productId, properties.sku]) {
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return undefined;
}

function addToCart(
  cart: readonly CartItem[],
  productId: string,
  props: Record<string, unknown>,
): CartItem[] {
  const quantity = positiveInt(props.quantity) ?? 1;
  const name = stringOf(props.name);
  const price = numberOf(props.price);
  const existing = cart.findIndex((line) => line.productId === productId);
  if (existing >= 0) {
    return cart.map((line, i) =>
      i === existing
        ? {
            ...line,
            quantity: line.quantity + quantity,
            name: name ?? line.name,
            price: price ?? line.price,
          }
        : line,
    );
  }
  return [...cart, { productId, name: name ?? productId, price: price ?? null, quantity }];
}

/** Removes `quantity` units, or the whole line; lines never have a non-positive quantity. */
function removeFromCart(
  cart: readonly CartItem[],
  productId: string,
  quantity: number | undefined,
): CartItem[] {
  return cart.flatMap((line) => {
    if (line.productId !== productId) return [line];
    const left = quantity === undefined ? 0 : line.quantity - quantity;
    return left > 0 ? [{ ...line, quantity: left }] : [];
  });
}

function positiveInt(value: unknown): number | undefined {
  const n = numberOf(value);
  return n !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
}

export function roundMoney(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
