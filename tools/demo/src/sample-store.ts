import { randomUUID } from 'node:crypto';

/**
 * A short, hand-written sample of what a shop sends: five people, one abandoned cart each way
 * it can go. Timestamps are relative to `now` so every run replays "the last hour".
 */
export interface SampleEvent {
  /** Who this event is about, for the summary (not sent). */
  person: string;
  payload: Record<string, unknown>;
}

export function sampleEvents(now: Date, runId: string): SampleEvent[] {
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
  const id = (name: string) => `${name}-${runId}`;
  const email = (name: string) => `${name}.${runId}@example.com`;
  const event = (person: string, payload: Record<string, unknown>): SampleEvent => ({
    person,
    payload: { messageId: randomUUID(), ...payload },
  });
  const tent = {
    product_id: 'sku-tent-2p',
    name: 'Trail Tent 2P',
    price: 189.9,
    quantity: 1,
    category: 'Outdoor',
  };
  const lamp = {
    product_id: 'sku-lamp',
    name: 'Camp Lantern',
    price: 24.5,
    quantity: 2,
    category: 'Outdoor',
  };
  const phone = {
    product_id: 'sku-phone-x',
    name: 'Phone X',
    price: 799,
    quantity: 1,
    category: 'Electronics',
  };

  return [
    // Ann leaves a tent and two lanterns in her cart: an abandoned-cart email, 4 h later.
    event('ann', {
      type: 'identify',
      userId: id('ann'),
      timestamp: at(60),
      traits: {
        email: ` ${email('ann').toUpperCase()} `,
        firstName: 'Ann',
        birthday: '1990-04-12',
        timezone: 'Europe/Berlin',
      },
    }),
    event('ann', {
      type: 'track',
      userId: id('ann'),
      event: 'Product Added',
      timestamp: at(50),
      properties: tent,
    }),
    event('ann', {
      type: 'track',
      userId: id('ann'),
      event: 'Product Added',
      timestamp: at(45),
      properties: lamp,
    }),
    // Ben buys what he added: the order cancels his timer, no email.
    event('ben', {
      type: 'identify',
      userId: id('ben'),
      timestamp: at(40),
      traits: { email: email('ben'), firstName: 'Ben', timezone: 'America/New_York' },
    }),
    event('ben', {
      type: 'track',
      userId: id('ben'),
      event: 'Product Added',
      timestamp: at(35),
      properties: phone,
    }),
    event('ben', {
      type: 'track',
      userId: id('ben'),
      event: 'Order Completed',
      timestamp: at(30),
      properties: { order_id: `o-${runId}`, revenue: 799, currency: 'EUR', products: [phone] },
    }),
    // Cleo opted out of email: her cart timer fires but is suppressed by the consent guard.
    event('cleo', {
      type: 'identify',
      userId: id('cleo'),
      timestamp: at(28),
      traits: { email: email('cleo'), firstName: 'Cleo', email_consent: 'unsubscribed' },
    }),
    event('cleo', {
      type: 'track',
      userId: id('cleo'),
      event: 'Product Added',
      timestamp: at(25),
      properties: lamp,
    }),
    // Dan browses anonymously, then signs up: both identifiers end on one profile and the
    // cart he filled while anonymous is remembered.
    event('dan', {
      type: 'track',
      anonymousId: id('anon-dan'),
      event: 'Product Added',
      timestamp: at(20),
      properties: tent,
    }),
    event('dan', {
      type: 'identify',
      userId: id('dan'),
      anonymousId: id('anon-dan'),
      timestamp: at(15),
      traits: { email: email('dan'), firstName: 'Dan' },
    }),
    // A broken event from a buggy client: rejected with a reason, nothing else affected.
    event('(broken client)', {
      type: 'track',
      userId: id('eve'),
      timestamp: at(10),
      properties: {},
    }),
  ];
}
