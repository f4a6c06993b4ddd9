import { z } from 'zod';
import { IsoTimestamp, JsonObject, ProfileId } from './common';

export const TriggerKind = z.enum([
  'abandoned_cart',
  'birthday',
  'welcome',
  're_engagement',
  'segment_entered',
]);
export type TriggerKind = z.infer<typeof TriggerKind>;

export const CartItem = z.object({
  productId: z.string(),
  name: z.string(),
  price: z.number().nullable(),
  quantity: z.number().int().positive(),
  imageUrl: z.string().nullable().optional(),
  url: z.string().nullable().optional(),
});
export type CartItem = z.infer<typeof CartItem>;

/**
 * A request for one message to one person. It carries everything the renderer needs to stay
 * deterministic: the trigger, the template, a snapshot of the data at firing time, and the
 * idempotency key that makes sure at most one email leaves per request.
 */
export const MessageRequested = z.object({
  requestId: z.string().uuid(),
  idempotencyKey: z.string().min(1),
  profileId: ProfileId,
  trigger: TriggerKind,
  template: z.string().min(1),
  channel: z.literal('email'),
  /** Marketing messages obey caps and consent; transactional ones only consent to the address. */
  category: z.enum(['marketing', 'transactional']),
  cart: z.array(CartItem).optional(),
  data: JsonObject,
  requestedAt: IsoTimestamp,
});
export type MessageRequested = z.infer<typeof MessageRequested>;

export const MessageOutcome = z.object({
  requestId: z.string().uuid(),
  idempotencyKey: z.string(),
  profileId: ProfileId,
  trigger: TriggerKind,
  status: z.enum(['sent', 'held', 'failed', 'suppressed']),
  reason: z.string().optional(),
  /** RFC 5322 Message-ID of the sent email. */
  messageId: z.string().optional(),
  at: IsoTimestamp,
});
export type MessageOutcome = z.infer<typeof MessageOutcome>;
