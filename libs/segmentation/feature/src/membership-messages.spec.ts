import { EventTypes, MembershipChanged, parseContract } from '@kairos/contracts';
import { membershipMessages } from './membership-messages';

const P = '5b0c1c2e-8f0a-4a49-9d7e-1f4c3b2a1d00';

describe(membershipMessages.name, () => {
  it('emits valid MembershipChanged messages keyed by profile, exits first', () => {
    const messages = membershipMessages(
      P,
      { entered: ['repeat-buyer'], exited: ['has-open-cart'] },
      new Date('2026-01-01T10:00:00Z'),
      'ev-1',
    );
    expect(
      messages.map((m) => [
        m.key,
        (m.value as MembershipChanged).segmentId,
        (m.value as MembershipChanged).change,
      ]),
    ).toEqual([
      [P, 'has-open-cart', 'exited'],
      [P, 'repeat-buyer', 'entered'],
    ]);
    for (const message of messages) {
      expect(message.type).toBe(EventTypes.MembershipChanged);
      expect(parseContract(MembershipChanged, message.value).ok).toBe(true);
    }
    expect(messages[1].value).toEqual({
      profileId: P,
      segmentId: 'repeat-buyer',
      change: 'entered',
      at: '2026-01-01T10:00:00.000Z',
      causeId: 'ev-1',
    });
  });

  it('derives message ids from the cause, so the same change gets the same id', () => {
    const diff = { entered: ['has-open-cart'], exited: [] };
    const at = new Date('2026-01-01T10:00:00Z');
    expect(membershipMessages(P, diff, at, 'ev-1')[0].id).toBe(
      membershipMessages(P, diff, at, 'ev-1')[0].id,
    );
    expect(membershipMessages(P, diff, at, 'ev-1')[0].id).not.toBe(
      membershipMessages(P, diff, at, 'ev-2')[0].id,
    );
  });

  it('emits nothing for no change', () => {
    expect(membershipMessages(P, { entered: [], exited: [] }, new Date(), 'ev-1')).toEqual([]);
  });
});
