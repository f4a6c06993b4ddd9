import { RawEvent, parseContract, trackPropertiesSchema } from '@kairos/contracts';
import { unsubscribeEvents } from './unsubscribe-events';

describe(unsubscribeEvents.name, () => {
  const facts = {
    deliveryId: '0b7c7c3e-8a55-4d0c-9d0e-3f7f8b6f2d11',
    profileId: '5f1a0c1e-2b3c-4d5e-8f90-1a2b3c4d5e6f',
    trigger: 'abandoned_cart',
    template: 'abandoned-cart',
    email: 'ada@example.com',
    at: new Date('2030-01-01T00:00:00Z'),
  };

  it('publishes a consent identify then the Segment Unsubscribed event, both valid raw events', () => {
    const [identify, track] = unsubscribeEvents(facts);
    expect(identify).toMatchObject({
      type: 'identify',
      traits: { email: 'ada@example.com', email_consent: 'unsubscribed' },
    });
    expect(track).toMatchObject({
      type: 'track',
      event: 'Unsubscribed',
      properties: { email_id: facts.deliveryId },
    });
    for (const event of [identify, track]) {
      expect(parseContract(RawEvent, event).ok).toBe(true);
      expect(event.anonymousId).toBe(`kairos-profile-${facts.profileId}`);
    }
    expect(
      trackPropertiesSchema('Unsubscribed')?.safeParse(
        (track as { properties: unknown }).properties,
      ).success,
    ).toBe(true);
    expect(unsubscribeEvents(facts)).toEqual([identify, track]);
  });

  it('publishes nothing without an address', () => {
    expect(unsubscribeEvents({ ...facts, email: undefined })).toEqual([]);
  });
});
