import { EmailRenderer, buildScope } from './email-renderer';
import { ABANDONED_CART_TEMPLATE } from './migrations/1795414800000-RendererInit';

describe('abandoned-cart seed template', () => {
  const render = (firstName: string | undefined, recommendations = true) =>
    new EmailRenderer().render(
      { name: 'abandoned-cart', version: 1, ...ABANDONED_CART_TEMPLATE },
      buildScope({
        recipient: {
          email: 'a@b.c',
          firstName,
          lastName: undefined,
          emailConsent: 'unknown',
          traits: {},
        },
        cart: [
          { productId: 'p1', name: 'Trail Shoe', price: 89.5, quantity: 1 },
          { productId: 'p2', name: 'Wool Sock', price: null, quantity: 2 },
        ],
        recommendations: recommendations
          ? [
              {
                productId: 'r1',
                name: 'Rain Jacket',
                score: 0.9,
                reason: 'als',
                imageUrl: undefined,
                url: undefined,
              },
            ]
          : [],
        unsubscribeUrl: 'https://k.example/unsubscribe/d1',
        data: {},
      }),
    );

  it('renders the cart, suggestions and the unsubscribe link', () => {
    const email = render('Ada');
    expect(email.subject).toBe('Ada, you left something in your cart');
    for (const part of [email.html, email.text]) {
      expect(part).toContain('Hi Ada,');
      expect(part).toContain('Trail Shoe');
      expect(part).toContain('Wool Sock');
      expect(part).toContain('Rain Jacket');
      expect(part).toContain('https://k.example/unsubscribe/d1');
    }
    expect(email.text).toContain('- 2 x Wool Sock\n');
  });

  it('leaves out the suggestions block when there are none, and greets "there"', () => {
    const email = render(undefined, false);
    expect(email.html).not.toContain('You might also like');
    expect(email.text).toContain('Hi there,');
  });
});
