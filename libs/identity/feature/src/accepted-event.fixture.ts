import type { AcceptedEvent } from '@kairos/contracts';

/** An AcceptedEvent for unit tests, with the given fields overriding neutral defaults. */
export function acceptedEvent(overrides: Partial<AcceptedEvent> = {}): AcceptedEvent {
  return {
    eventId: 'e1',
    type: 'track',
    event: 'Product Viewed',
    traits: {},
    properties: {},
    context: {},
    timestamp: '2025-03-01T12:00:00.000Z',
    receivedAt: '2025-03-01T12:00:01.000Z',
    warnings: [],
    ...overrides,
  };
}
