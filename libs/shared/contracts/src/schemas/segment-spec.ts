import { z } from 'zod';

/**
 * Per-event-type validation of Segment spec events, on top of the structural {@link RawEvent}:
 * the e-commerce events (https://segment.com/docs/connections/spec/ecommerce/v2/), the email
 * events (https://segment.com/docs/connections/spec/email/) and consent changes.
 *
 * The line between "reject" and "accept with a warning" (ingest's normalization):
 *  - these schemas reject what has the wrong *shape* — `products` that is not a list of objects,
 *    a product without any id, a price that is an object, a quantity that is not a positive
 *    integer, an unknown subscription status;
 *  - a value of the right shape that is still unusable (a price string that is not a number, a
 *    currency that is not ISO 4217) is dropped by ingest's normalization with a warning.
 *
 * Unknown properties pass through (Segment events routinely carry extra ones). A track event
 * whose name is not listed here is accepted with free-form properties. Zod messages name the
 * expected shape, never the received value, so issues are safe to log.
 */

/** Segment spec track event names Kairos validates, spelled exactly as the spec does. */
export const SpecEvents = {
  ProductViewed: 'Product Viewed',
  ProductAdded: 'Product Added',
  ProductRemoved: 'Product Removed',
  CartViewed: 'Cart Viewed',
  CheckoutStarted: 'Checkout Started',
  OrderCompleted: 'Order Completed',
  EmailDelivered: 'Email Delivered',
  EmailOpened: 'Email Opened',
  EmailLinkClicked: 'Email Link Clicked',
  EmailBounced: 'Email Bounced',
  Unsubscribed: 'Unsubscribed',
  SubscriptionChanged: 'Subscription Changed',
} as const;
export type SpecEventName = (typeof SpecEvents)[keyof typeof SpecEvents];

/** Ids: Segment senders use strings and numbers alike. */
const Id = z.union([z.string().min(1).max(256), z.number().finite()], {
  errorMap: () => ({ message: 'Expected a non-empty string or a number' }),
});
/** A money amount: a number, or a string ingest converts (or drops with a warning). */
const Money = z
  .union([z.number(), z.string()], {
    errorMap: () => ({ message: 'Expected a number or a numeric string' }),
  })
  .nullable();
/** A positive integer, also as a string of digits (converted by ingest). */
const Quantity = z.union([
  z.number().int().positive(),
  z.string().regex(/^\s*0*[1-9]\d{0,8}\s*$/, 'Expected a positive integer'),
]);
const Text = z.string().max(2000);
/** A three-letter code as a string; whether it is ISO 4217 is checked by normalization. */
const Currency = z.string().max(16);

/** Segment names the product id `product_id` (some senders `productId`) or identifies by `sku`. */
function hasProductId(product: { product_id?: unknown; productId?: unknown; sku?: unknown }) {
  return [product.product_id, product.productId, product.sku].some(
    (id) => (typeof id === 'string' && id.trim() !== '') || typeof id === 'number',
  );
}
const PRODUCT_ID_REQUIRED = { message: 'product_id or sku is required', path: ['product_id'] };

const ProductFields = z
  .object({
    product_id: Id.optional(),
    productId: Id.optional(),
    sku: Id.optional(),
    name: Text.optional(),
    price: Money.optional(),
    quantity: Quantity.optional(),
    category: Text.optional(),
    brand: Text.optional(),
    variant: Text.optional(),
    url: Text.optional(),
    image_url: Text.optional(),
  })
  .passthrough();

/** One product, as Product Viewed/Added/Removed carry it in `properties` and carts in `products`. */
export const SpecProduct = ProductFields.refine(hasProductId, PRODUCT_ID_REQUIRED);

const Products = z.array(SpecProduct).max(1000);

/** Properties of a cart or order: the listed products plus money fields. */
const CartProperties = z
  .object({
    cart_id: Id.optional(),
    products: Products.optional(),
    currency: Currency.optional(),
    value: Money.optional(),
  })
  .passthrough();

const OrderProperties = z
  .object({
    order_id: Id.optional(),
    checkout_id: Id.optional(),
    products: Products.optional(),
    revenue: Money.optional(),
    total: Money.optional(),
    subtotal: Money.optional(),
    tax: Money.optional(),
    shipping: Money.optional(),
    discount: Money.optional(),
    value: Money.optional(),
    currency: Currency.optional(),
  })
  .passthrough();

const ProductEventProperties = ProductFields.extend({
  currency: Currency.optional(),
  value: Money.optional(),
}).refine(hasProductId, PRODUCT_ID_REQUIRED);

const EmailProperties = z
  .object({
    email_id: Id.optional(),
    email_subject: Text.optional(),
    campaign_id: Id.optional(),
    campaign_name: Text.optional(),
    list_id: Id.optional(),
  })
  .passthrough();

const EmailLinkClickedProperties = EmailProperties.extend({
  link_url: z.string().url().max(4000),
});

const EmailBouncedProperties = EmailProperties.extend({
  reason: Text.optional(),
});

/** Consent states, as identity-resolution stores them (see ProfileChanged.emailConsent). */
export const SubscriptionStatus = z.enum(['subscribed', 'unsubscribed']);

/** Kairos' own consent event: a person's subscription to a channel (or list) changed. */
const SubscriptionChangedProperties = z
  .object({
    status: SubscriptionStatus,
    channel: z.enum(['email', 'sms', 'push']).optional(),
    list_id: Id.optional(),
  })
  .passthrough();

/** The properties schema of every validated track event name. */
export const TrackPropertiesSchemas: Readonly<Record<SpecEventName, z.ZodTypeAny>> = {
  [SpecEvents.ProductViewed]: ProductEventProperties,
  [SpecEvents.ProductAdded]: ProductEventProperties,
  [SpecEvents.ProductRemoved]: ProductEventProperties,
  [SpecEvents.CartViewed]: CartProperties,
  [SpecEvents.CheckoutStarted]: OrderProperties,
  [SpecEvents.OrderCompleted]: OrderProperties,
  [SpecEvents.EmailDelivered]: EmailProperties,
  [SpecEvents.EmailOpened]: EmailProperties,
  [SpecEvents.EmailLinkClicked]: EmailLinkClickedProperties,
  [SpecEvents.EmailBounced]: EmailBouncedProperties,
  [SpecEvents.Unsubscribed]: EmailProperties,
  [SpecEvents.SubscriptionChanged]: SubscriptionChangedProperties,
};

/** The schema for a track event's properties, or undefined for a free-form event name. */
export function trackPropertiesSchema(event: string): z.ZodTypeAny | undefined {
  return Object.prototype.hasOwnProperty.call(TrackPropertiesSchemas, event)
    ? TrackPropertiesSchemas[event as SpecEventName]
    : undefined;
}

/**
 * Identify traits that carry consent, with the values identity-resolution understands. Ingest
 * drops a value outside these (with a warning) rather than rejecting the whole identify.
 */
export const ConsentTraits = z
  .object({
    email_consent: z.enum(['subscribed', 'unsubscribed', 'unknown']).optional(),
    subscribed: z.boolean().optional(),
  })
  .passthrough();
