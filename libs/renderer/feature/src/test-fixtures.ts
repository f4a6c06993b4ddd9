import type { Recipient } from './hot-profile';
import { DEFAULT_BRAND, buildScope, type EmailScope, type ScopeInput } from './email-scope';

/** A recipient for unit tests (no I/O). */
export function recipient(overrides: Partial<Recipient> = {}): Recipient {
  return {
    email: 'a@b.c',
    firstName: 'Ada',
    lastName: undefined,
    timezone: undefined,
    emailConsent: 'subscribed',
    traits: {},
    ...overrides,
  };
}

export function scopeFor(overrides: Partial<ScopeInput> = {}): EmailScope {
  return buildScope({
    recipient: recipient(),
    computedTraits: {},
    segments: [],
    cart: [{ productId: 'p1', name: 'Trail Shoe', price: 89.5, quantity: 2 }],
    recommendations: [],
    unsubscribeUrl: 'https://k.example/unsubscribe/d?a=1&b=2',
    data: {},
    brand: { ...DEFAULT_BRAND, websiteUrl: 'https://shop.example' },
    now: new Date('2030-01-15T10:00:00Z'),
    ...overrides,
  });
}
