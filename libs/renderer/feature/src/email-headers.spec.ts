import {
  listUnsubscribeHeaders,
  messageIdFor,
  senderDomain,
  unsubscribeUrl,
} from './email-headers';

describe(messageIdFor.name, () => {
  it('is the same for the same key and differs between keys', () => {
    const a = messageIdFor('abandoned_cart:p:t1', 'Kairos <no-reply@kairos.local>');
    expect(a).toMatch(/^<[0-9a-f]{40}@kairos\.local>$/);
    expect(messageIdFor('abandoned_cart:p:t1', 'Kairos <no-reply@kairos.local>')).toBe(a);
    expect(messageIdFor('abandoned_cart:p:t2', 'Kairos <no-reply@kairos.local>')).not.toBe(a);
  });

  it('does not reveal the key', () => {
    expect(messageIdFor('abandoned_cart:profile-123:t1', 'x@y.z')).not.toContain('profile-123');
  });
});

describe(senderDomain.name, () => {
  it('reads the domain of a From header', () => {
    expect(senderDomain('Shop <News@Shop.Example.com>')).toBe('shop.example.com');
    expect(senderDomain('a@b.io')).toBe('b.io');
    expect(senderDomain('nobody')).toBe('kairos.local');
  });
});

describe(listUnsubscribeHeaders.name, () => {
  it('offers one-click unsubscribe', () => {
    expect(listUnsubscribeHeaders(unsubscribeUrl('https://k.example', 'd-1'))).toEqual({
      'List-Unsubscribe': '<https://k.example/unsubscribe/d-1>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });
});
