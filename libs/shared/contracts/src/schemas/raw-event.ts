import { z } from 'zod';
import { Identifier, IsoTimestamp, JsonObject } from './common';

/**
 * The Segment Spec common fields, as upstream systems send them to `events.raw.v1` or the HTTP
 * API. https://segment.com/docs/connections/spec/common/
 */
const SegmentCommon = z.object({
  messageId: z.string().min(1).max(256).optional(),
  userId: Identifier.nullish(),
  anonymousId: Identifier.nullish(),
  context: JsonObject.optional(),
  integrations: JsonObject.optional(),
  timestamp: IsoTimestamp.optional(),
  originalTimestamp: IsoTimestamp.optional(),
  sentAt: IsoTimestamp.optional(),
  receivedAt: IsoTimestamp.optional(),
  version: z.union([z.number(), z.string()]).optional(),
});

const IdentifyEvent = SegmentCommon.extend({
  type: z.literal('identify'),
  traits: JsonObject.optional(),
});

const TrackEvent = SegmentCommon.extend({
  type: z.literal('track'),
  event: z.string().min(1).max(200),
  properties: JsonObject.optional(),
});

const PageEvent = SegmentCommon.extend({
  type: z.literal('page'),
  name: z.string().max(200).optional(),
  category: z.string().max(200).optional(),
  properties: JsonObject.optional(),
});

const AliasEvent = SegmentCommon.extend({
  type: z.literal('alias'),
  previousId: Identifier,
});

/** Every event must say who it is about: Segment requires userId or anonymousId. */
function hasIdentity(e: { userId?: string | null; anonymousId?: string | null }): boolean {
  return Boolean(e.userId) || Boolean(e.anonymousId);
}

export const RawEvent = z
  .discriminatedUnion('type', [IdentifyEvent, TrackEvent, PageEvent, AliasEvent])
  .refine(hasIdentity, { message: 'userId or anonymousId is required', path: ['userId'] });

export type RawEvent = z.infer<typeof RawEvent>;
export type RawEventType = RawEvent['type'];
