import type { CartItem, JsonObject } from '@kairos/contracts';

/**
 * The cart snapshot the abandoned-cart timer carries. The scheduler keeps it itself (from the
 * Product Added / Product Removed events it sees), so the message request it emits when the
 * timer fires is a self-contained snapshot and the renderer never has to guess the cart.
 *
 * Invariants: at most one line per productId; every quantity is a positive integer.
 */
export type Cart = readonly CartItem[];

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function price(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return null;
}

function quantity(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** The product id of Segment e-commerce properties (`product_id`, falling back to `productId`, `sku`). */
export function productIdOf(properties: JsonObject): string | undefined {
  return text(properties['product_id']) ?? text(properties['productId']) ?? text(properties['sku']);
}

/**
 * A cart line from the properties of a Segment "Product Added" event (or one entry of a
 * "products" array); undefined when the product has no id, because a line we cannot
 * identify could never be removed again.
 */
export function cartLineFromProperties(properties: JsonObject): CartItem | undefined {
  const productId = productIdOf(properties);
  if (!productId) return undefined;
  const line: CartItem = {
    productId,
    name: text(properties['name']) ?? productId,
    price: price(properties['price']),
    quantity: quantity(properties['quantity']) ?? 1,
  };
  const imageUrl = text(properties['image_url']);
  const url = text(properties['url']);
  if (imageUrl) line.imageUrl = imageUrl;
  if (url) line.url = url;
  return line;
}

/**
 * The full cart from a "products" array (Cart Viewed, Checkout Started); undefined when the
 * event has no such array (then it says nothing about the cart's content).
 */
export function cartFromProducts(properties: JsonObject): CartItem[] | undefined {
  const products = properties['products'];
  if (!Array.isArray(products)) return undefined;
  let cart: CartItem[] = [];
  for (const product of products) {
    if (typeof product !== 'object' || product === null || Array.isArray(product)) continue;
    const line = cartLineFromProperties(product as JsonObject);
    if (line) cart = addLine(cart, line);
  }
  return cart;
}

/** Add a line; adding a product already in the cart raises its quantity and refreshes name/price. */
export function addLine(cart: Cart, line: CartItem): CartItem[] {
  const existing = cart.find((l) => l.productId === line.productId);
  if (!existing) return [...cart, { ...line }];
  return cart.map((l) =>
    l.productId === line.productId
      ? { ...l, ...line, quantity: l.quantity + line.quantity }
      : { ...l },
  );
}

/**
 * Remove `quantity` units of a product (all of them when no quantity is given); a line whose
 * quantity reaches zero disappears.
 */
export function removeLine(cart: Cart, productId: string, removeQuantity?: number): CartItem[] {
  const out: CartItem[] = [];
  for (const line of cart) {
    if (line.productId !== productId) {
      out.push({ ...line });
      continue;
    }
    const left = removeQuantity === undefined ? 0 : line.quantity - removeQuantity;
    if (left > 0) out.push({ ...line, quantity: left });
  }
  return out;
}

/** The quantity a "Product Removed" event removes, if it says. */
export function removedQuantityOf(properties: JsonObject): number | undefined {
  return quantity(properties['quantity']);
}
