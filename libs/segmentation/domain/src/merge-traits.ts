import type { CartItem } from '@kairos/contracts';
import {
  DEFAULT_TRAITS_CONFIG,
  roundMoney,
  type ComputedTraits,
  type EventCounter,
  type TraitsConfig,
} from './computed-traits';
import { mergeSeries } from './day-series';
import { mergeScores } from './decayed-scores';
import { DAY_MS, maxTime, minTime } from './time';

/**
 * The traits of `survivor` after `merged` was merged into it (pure). Both profiles were the same
 * person all along, so the result is what one profile would hold had it seen both event streams:
 *  - counts, sums and day buckets add up (windows stay exact), first/last times take min/max;
 *  - decayed affinities are added at a common reference time (exact);
 *  - the loyalty tier is the one set most recently (by event time);
 *  - carts combine line by line, except that a cart whose last activity is older than the other
 *    side's last order is dropped: it was most likely checked out on the other device.
 * The survivor keeps its profileId. Merging is commutative in everything but profileId and the
 * cart line order / name ties (the survivor's wins).
 */
export function mergeTraits(
  survivor: ComputedTraits,
  merged: ComputedTraits,
  config: TraitsConfig = DEFAULT_TRAITS_CONFIG,
): ComputedTraits {
  const halfLifeMs = config.affinityHalfLifeDays * DAY_MS;
  const survivorCart = isStale(survivor, merged) ? [] : survivor.cart;
  const mergedCart = isStale(merged, survivor) ? [] : merged.cart;
  const newerTier =
    merged.loyaltyTierAt !== null &&
    (survivor.loyaltyTierAt === null || merged.loyaltyTierAt > survivor.loyaltyTierAt);
  return {
    profileId: survivor.profileId,
    eventCount: survivor.eventCount + merged.eventCount,
    firstEventAt: minTime(survivor.firstEventAt, merged.firstEventAt),
    lastEventAt: maxTime(survivor.lastEventAt, merged.lastEventAt),
    orderCount: survivor.orderCount + merged.orderCount,
    ltv: roundMoney(survivor.ltv + merged.ltv),
    firstOrderAt: minTime(survivor.firstOrderAt, merged.firstOrderAt),
    lastOrderAt: maxTime(survivor.lastOrderAt, merged.lastOrderAt),
    orders: mergeSeries(survivor.orders, merged.orders),
    revenue: mergeSeries(survivor.revenue, merged.revenue),
    emailDelivered: mergeSeries(survivor.emailDelivered, merged.emailDelivered),
    emailOpened: mergeSeries(survivor.emailOpened, merged.emailOpened),
    emailClicked: mergeSeries(survivor.emailClicked, merged.emailClicked),
    lastOpenAt: maxTime(survivor.lastOpenAt, merged.lastOpenAt),
    lastClickAt: maxTime(survivor.lastClickAt, merged.lastClickAt),
    visits: mergeSeries(survivor.visits, merged.visits),
    lastVisitAt: maxTime(survivor.lastVisitAt, merged.lastVisitAt),
    categoryAffinity: mergeScores(
      survivor.categoryAffinity,
      merged.categoryAffinity,
      halfLifeMs,
      config.maxAffinityKeys,
    ),
    brandAffinity: mergeScores(
      survivor.brandAffinity,
      merged.brandAffinity,
      halfLifeMs,
      config.maxAffinityKeys,
    ),
    cart: combineCarts(survivorCart, mergedCart),
    lastCartActivityAt: maxTime(survivor.lastCartActivityAt, merged.lastCartActivityAt),
    signupAt: minTime(survivor.signupAt, merged.signupAt),
    loyaltyTier: newerTier ? merged.loyaltyTier : survivor.loyaltyTier,
    loyaltyTierAt: newerTier ? merged.loyaltyTierAt : survivor.loyaltyTierAt,
    counters: mergeCounters(survivor.counters, merged.counters),
  };
}

function mergeCounters(
  a: Readonly<Record<string, EventCounter>>,
  b: Readonly<Record<string, EventCounter>>,
): Record<string, EventCounter> {
  const out: Record<string, EventCounter> = { ...a };
  for (const id of Object.keys(b)) {
    const x = out[id];
    out[id] = x
      ? { total: x.total + b[id].total, perDay: mergeSeries(x.perDay, b[id].perDay) }
      : b[id];
  }
  return out;
}

function isStale(side: ComputedTraits, other: ComputedTraits): boolean {
  if (side.cart.length === 0 || other.lastOrderAt === null) return false;
  return side.lastCartActivityAt === null || side.lastCartActivityAt < other.lastOrderAt;
}

function combineCarts(first: readonly CartItem[], second: readonly CartItem[]): CartItem[] {
  const lines = first.map((line) => ({ ...line }));
  for (const line of second) {
    const existing = lines.find((l) => l.productId === line.productId);
    if (existing) existing.quantity += line.quantity;
    else lines.push({ ...line });
  }
  return lines;
}
