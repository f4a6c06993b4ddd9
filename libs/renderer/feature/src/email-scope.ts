import type { CartItem } from '@kairos/contracts';
import type { Facts } from './domain/condition';
import { greetingFor, localHour, timeOfDay, type TimeOfDay } from './domain/local-time';
import type { Recipient, Recommendation } from './hot-profile';

/** Brand voice: style variables blocks use (tone and formality pick copy, sign-off closes). */
export interface BrandVoice {
  key: string;
  name: string;
  tone: string;
  formality: 'casual' | 'formal';
  signOff: string;
  /** Absolute http(s) base of shop links, without a trailing slash. */
  websiteUrl: string;
}

/** When a template's brand is missing: neutral, so an email still goes out correctly. */
export const DEFAULT_BRAND: BrandVoice = {
  key: 'default',
  name: 'our shop',
  tone: 'friendly',
  formality: 'casual',
  signOff: 'Thank you',
  websiteUrl: 'https://shop.example',
};

export type Engagement = 'high' | 'medium' | 'low' | 'unknown';

/** The variables templates see. Snake-case, as Liquid templates conventionally use. */
export interface EmailScope {
  first_name: string | undefined;
  last_name: string | undefined;
  greeting: string;
  time_of_day: TimeOfDay;
  engagement: Engagement;
  cart: {
    product_id: string;
    name: string;
    quantity: number;
    price: number | null;
    url: string;
    image_url: string | undefined;
  }[];
  cart_url: string;
  recommendations: {
    product_id: string;
    name: string;
    url: string;
    image_url: string | undefined;
    /** "Because you viewed …" or "Popular right now"; empty when unknown. */
    reason: string;
  }[];
  purchase_history: string[];
  traits: Record<string, unknown>;
  segments: string[];
  brand: { name: string; tone: string; formality: string; sign_off: string; website_url: string };
  unsubscribe_url: string;
  data: Record<string, unknown>;
}

export interface ScopeInput {
  recipient: Recipient;
  computedTraits: Record<string, string>;
  segments: readonly string[];
  cart: readonly CartItem[] | undefined;
  recommendations: readonly Recommendation[];
  unsubscribeUrl: string;
  data: Record<string, unknown>;
  brand: BrandVoice;
  now: Date;
}

/** Carts are bounded before they reach Liquid (templates also `limit:` their loops). */
const MAX_CART_ITEMS = 50;

/**
 * Profile traits (identify) merged with segmentation's computed traits, computed winning: the
 * hash holds strings, so numbers and JSON (cart, affinities) are parsed back.
 */
export function mergeTraits(
  profileTraits: Record<string, unknown>,
  computed: Record<string, string>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...profileTraits };
  for (const [key, raw] of Object.entries(computed)) merged[key] = parseHashValue(raw);
  return merged;
}

function parseHashValue(raw: string): unknown {
  const trimmed = raw.trim();
  if (trimmed !== '' && /^-?\d+(\.\d+)?(e-?\d+)?$/i.test(trimmed)) return Number(trimmed);
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return raw;
    }
  }
  return raw;
}

/** Engagement from the 7-day open rate (30-day when there is no 7-day one). */
export function engagementOf(traits: Record<string, unknown>): Engagement {
  const rate = [traits['openRate7d'], traits['openRate30d']].find(
    (v): v is number => typeof v === 'number' && Number.isFinite(v),
  );
  if (rate === undefined) return 'unknown';
  if (rate >= 0.5) return 'high';
  if (rate >= 0.2) return 'medium';
  return 'low';
}

/** Categories the person bought, from whichever purchase-history traits exist. */
export function purchaseHistoryOf(traits: Record<string, unknown>): string[] {
  const out = new Set<string>();
  for (const key of ['purchasedCategories', 'purchaseHistory', 'purchase_history']) {
    const value = traits[key];
    if (Array.isArray(value))
      for (const item of value) if (typeof item === 'string' && item) out.add(item);
  }
  return [...out];
}

/** The facts content rules are evaluated over. */
export function factsOf(
  input: Pick<ScopeInput, 'recipient' | 'computedTraits' | 'segments'>,
): Facts {
  const { recipient } = input;
  return {
    traits: mergeTraits(recipient.traits, input.computedTraits),
    profile: {
      firstName: recipient.firstName,
      lastName: recipient.lastName,
      timezone: recipient.timezone,
      emailConsent: recipient.emailConsent,
    },
    segments: input.segments,
  };
}

export function buildScope(input: ScopeInput, facts: Facts = factsOf(input)): EmailScope {
  const { recipient, brand } = input;
  const cart = (input.cart ?? []).slice(0, MAX_CART_ITEMS);
  // Recommending what is already in the cart wastes the slot: keep only other products.
  const inCart = new Set(cart.map((item) => item.productId));
  const part = timeOfDay(localHour(input.now, recipient.timezone).hour);
  const productUrl = (id: string, url: string | null | undefined) =>
    url && isHttpUrl(url) ? url : `${brand.websiteUrl}/products/${encodeURIComponent(id)}`;
  const cartUrl = input.data['cart_url'];
  return {
    first_name: recipient.firstName,
    last_name: recipient.lastName,
    greeting: greetingFor(part),
    time_of_day: part,
    engagement: engagementOf(facts.traits),
    cart: cart.map((item) => ({
      product_id: item.productId,
      name: item.name,
      quantity: item.quantity,
      price: item.price,
      url: productUrl(item.productId, item.url),
      image_url: item.imageUrl && isHttpUrl(item.imageUrl) ? item.imageUrl : undefined,
    })),
    cart_url:
      typeof cartUrl === 'string' && isHttpUrl(cartUrl) ? cartUrl : `${brand.websiteUrl}/cart`,
    recommendations: input.recommendations
      .filter((r) => !inCart.has(r.productId))
      .map((r) => ({
        product_id: r.productId,
        name: r.name ?? r.productId,
        url: productUrl(r.productId, r.url),
        image_url: r.imageUrl && isHttpUrl(r.imageUrl) ? r.imageUrl : undefined,
        reason: r.reason ?? '',
      })),
    purchase_history: purchaseHistoryOf(facts.traits),
    traits: facts.traits,
    segments: [...input.segments],
    brand: {
      name: brand.name,
      tone: brand.tone,
      formality: brand.formality,
      sign_off: brand.signOff,
      website_url: brand.websiteUrl,
    },
    unsubscribe_url: input.unsubscribeUrl,
    data: input.data,
  };
}

function isHttpUrl(value: string): boolean {
  return /^https?:\/\/[^\s/?#]+/i.test(value);
}
