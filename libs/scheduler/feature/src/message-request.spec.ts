import { MessageRequested, parseContract } from '@kairos/contracts';
import { messageRequest, requestData } from './message-request';

const D = 86_400_000;
const now = new Date('2026-06-10T07:00:00Z');
const profileId = '6f1c2a9e-8b7d-4c3e-9f10-2a3b4c5d6e7f';

describe(messageRequest.name, () => {
  it('carries trigger, template, category, definition and data under the timer key', () => {
    const request = messageRequest(
      {
        profileId,
        kind: 'birthday',
        definitionId: 'birthday',
        idempotencyKey: `birthday:${profileId}:2026`,
        payload: { year: 2026 },
      },
      { template: 'birthday', category: 'marketing' },
      { birthday: { year: 2026 } },
      '0b8e1c1e-4d7a-4f43-9a2a-1f4c3a2b1c0d',
      now,
    );
    expect(parseContract(MessageRequested, request)).toMatchObject({ ok: true });
    expect(request).toMatchObject({
      trigger: 'birthday',
      template: 'birthday',
      idempotencyKey: `birthday:${profileId}:2026`,
      data: { definitionId: 'birthday', birthday: { year: 2026 } },
      requestedAt: now.toISOString(),
    });
    expect(request.cart).toBeUndefined();
  });
});

describe(requestData.name, () => {
  it('marks the welcome offer valid for subscribers of the last 30 days only', () => {
    const recent = new Date(now.getTime() - 2 * D).toISOString();
    const old = new Date(now.getTime() - 45 * D).toISOString();
    const params = { offerValidDays: 30 };
    expect(
      requestData(
        { kind: 'welcome', payload: { subscribedAt: recent } },
        { params },
        undefined,
        now,
      ),
    ).toEqual({
      subscribedAt: recent,
      welcomeOfferValid: true,
    });
    expect(
      requestData({ kind: 'welcome', payload: { subscribedAt: old } }, { params }, undefined, now),
    ).toMatchObject({
      welcomeOfferValid: false,
    });
  });

  it('tells the two re-engagement variants apart and names the segment entered', () => {
    expect(
      requestData(
        { kind: 're_engagement', payload: { visits: 3 } },
        { params: {} },
        undefined,
        now,
      ),
    ).toEqual({ variant: 'visits', visits: 3 });
    expect(
      requestData(
        { kind: 're_engagement', payload: { lastOpenAt: '2026-04-01T00:00:00.000Z' } },
        { params: {} },
        undefined,
        now,
      ),
    ).toEqual({ variant: 'dormant', lastOpenAt: '2026-04-01T00:00:00.000Z' });
    expect(
      requestData(
        { kind: 'segment_entered', payload: { segmentId: 'vip' } },
        { params: {} },
        undefined,
        now,
      ),
    ).toEqual({ segmentId: 'vip' });
  });
});
