import type { ResolvedEvent } from '@kairos/contracts';

/**
 * Implicit-feedback weights: how strongly an event says "this person wants this product".
 * A purchase says the most; later, the offline evaluation tunes these.
 */
export const InteractionWeights = {
  'Product Viewed': 1,
  'Product Added': 3,
  'Order Completed': 5,
  'Email Link Clicked': 2,
} as const satisfies Record<string, number>;

export type InteractionEventName = keyof typeof InteractionWeights;

/**
 * The kind stored per event in `interaction_events` (a CHECK constraint holds the same list).
 * Training weighs and decays events by kind at its reference time; see {@link toDomainKind}.
 */
export type InteractionKind = 'view' | 'cart' | 'purchase' | 'email_click';

export const INTERACTION_KINDS: readonly InteractionKind[] = [
  'view',
  'cart',
  'purchase',
  'email_click',
];

const KIND_OF_EVENT: Record<InteractionEventName, InteractionKind> = {
  'Product Viewed': 'view',
  'Product Added': 'cart',
  'Order Completed': 'purchase',
  'Email Link Clicked': 'email_click',
};

/** What an event tells about a product besides the interaction, to fill gaps in the catalog. */
export interface LearnedProduct {
  productId: string;
  name?: string;
  price?: number;
  category?: string;
  brand?: string;
  currency?: string;
}

/** One profile × product interaction an event implies. */
export interface InteractionSignal {
  productId: string;
  kind: InteractionKind;
  weight: number;
  /** Order Completed: the person owns it now (not recommended again). */
  purchased: boolean;
  product: LearnedProduct;
}

type InteractionEvent = Pick<ResolvedEvent, 'type' | 'event' | 'properties'>;

/**
 * The interactions an event implies (pure), at most one per product: Product Viewed/Added and
 * Email Link Clicked name one product (`product_id`, else `sku`; a click on a link without a
 * product implies nothing); Order Completed lists `products[]`. A product named
 * twice in one event counts once per mention (weights add up). Events without a product id
 * imply nothing.
 */
export function interactionSignals(
  event: InteractionEvent,
  weights: Record<InteractionEventName, number> = InteractionWeights,
): InteractionSignal[] {
  if (event.type !== 'track' || !event.event || !(event.event in weights)) return [];
  const name = event.event as InteractionEventName;
  const weight = weights[name];
  const kind = KIND_OF_EVENT[name];
  const purchased = kind === 'purchase';
  const items = purchased ? productsOf(event.properties) : [event.properties];
  const currency = text(event.properties.currency);

  const byId = new Map<string, InteractionSignal>();
  for (const item of items) {
    const product = learnedProduct(item, currency);
    if (!product) continue;
    const seen = byId.get(product.productId);
    if (seen) {
      seen.weight += weight;
      seen.product = { ...product, ...definedOnly(seen.product) };
    } else {
      byId.set(product.productId, {
        productId: product.productId,
        kind,
        weight,
        purchased,
        product,
      });
    }
  }
  return [...byId.values()].sort((a, b) => a.productId.localeCompare(b.productId));
}

function productsOf(properties: Record<string, unknown>): Record<string, unknown>[] {
  const products = properties.products;
  if (!Array.isArray(products)) return [];
  return products.filter(
    (p): p is Record<string, unknown> => typeof p === 'object' && p !== null && !Array.isArray(p),
  );
}

function learnedProduct(
  item: Record<string, unknown>,
  currency: string | undefined,
): LearnedProduct | undefined {
  const productId = text(item.product_id) ?? text(item.sku);
  if (!productId) return undefined;
  const product: LearnedProduct = { productId };
  const name = text(item.name);
  const price = num(item.price);
  const category = text(item.category);
  const brand = text(item.brand);
  const cur = text(item.currency) ?? currency;
  if (name !== undefined) product.name = name;
  if (price !== undefined && price >= 0) product.price = price;
  if (category !== undefined) product.category = category;
  if (brand !== undefined) product.brand = brand;
  if (cur !== undefined) product.currency = cur.toUpperCase();
  return product;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function num(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}
