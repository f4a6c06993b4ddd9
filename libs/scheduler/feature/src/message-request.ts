import type { JsonObject, MessageRequested } from '@kairos/contracts';
import { numberParam } from './domain/definition-params';
import { welcomeOfferValid } from './domain/engagement';
import type { TimerKind, TimerPayload } from './timer.entity';

export interface FiringTimer {
  profileId: string;
  kind: TimerKind;
  definitionId: string;
  idempotencyKey: string;
  payload: TimerPayload;
}

export interface RequestDefinition {
  template: string;
  category: 'marketing' | 'transactional';
}

/**
 * The message request a timer fires: a self-contained snapshot under the timer's idempotency
 * key, so the renderer stays deterministic and sends at most one email for it. `data` carries
 * the trigger's own facts (the definition id always; the birthday year, the welcome offer, the
 * segment, the visits) — never looked up again later.
 */
export function messageRequest(
  timer: FiringTimer,
  definition: RequestDefinition,
  data: JsonObject,
  requestId: string,
  now: Date,
): MessageRequested {
  const request: MessageRequested = {
    requestId,
    idempotencyKey: timer.idempotencyKey,
    profileId: timer.profileId,
    trigger: timer.kind,
    template: definition.template,
    channel: 'email',
    category: definition.category,
    data: { definitionId: timer.definitionId, ...data },
    requestedAt: now.toISOString(),
  };
  if (timer.kind === 'abandoned_cart') request.cart = timer.payload.cart ?? [];
  return request;
}

/** The trigger's own facts for the renderer, fixed at firing time. */
export function requestData(
  timer: { kind: TimerKind; payload: TimerPayload },
  definition: { params: Record<string, unknown> },
  activity: { subscribedAt: Date | null } | undefined,
  now: Date,
): JsonObject {
  const p = timer.payload;
  switch (timer.kind) {
    case 'birthday':
      return { birthday: { year: p.year ?? null } };
    case 'welcome': {
      const subscribedAt = p.subscribedAt
        ? new Date(p.subscribedAt)
        : (activity?.subscribedAt ?? null);
      return {
        subscribedAt: subscribedAt ? subscribedAt.toISOString() : null,
        welcomeOfferValid: welcomeOfferValid(
          subscribedAt,
          now,
          numberParam(definition.params, 'offerValidDays', 30),
        ),
      };
    }
    case 're_engagement':
      return p.lastOpenAt !== undefined
        ? { variant: 'dormant', lastOpenAt: p.lastOpenAt ?? null }
        : { variant: 'visits', visits: p.visits ?? null };
    case 'segment_entered':
      return { segmentId: p.segmentId ?? null };
    default:
      return {};
  }
}
