import { EmailRenderer, buildScope, type TemplateSource } from './email-renderer';

const template: TemplateSource = {
  name: 't',
  version: 1,
  subject: '{{ first_name | default: "there" }}, your cart',
  html: '<p>Hi {{ first_name | default: "there" }}</p>{% for item in cart %}<li>{{ item.quantity }} x {{ item.name }}</li>{% endfor %}{% for r in recommendations %}<i>{{ r.name | default: r.productId }}</i>{% endfor %}<a href="{{ unsubscribe_url }}">u</a>',
  text: 'Hi {{ first_name | default: "there" }}\n{% for item in cart %}- {{ item.name }}\n{% endfor %}',
};

const scope = (firstName: string | undefined) =>
  buildScope({
    recipient: {
      email: 'a@b.c',
      firstName,
      lastName: undefined,
      emailConsent: 'subscribed',
      traits: {},
    },
    cart: [{ productId: 'p1', name: 'Trail Shoe', price: 89.5, quantity: 2 }],
    recommendations: [
      {
        productId: 'r1',
        name: undefined,
        score: 1,
        reason: undefined,
        imageUrl: undefined,
        url: undefined,
      },
    ],
    unsubscribeUrl: 'https://k.example/unsubscribe/d?a=1&b=2',
    data: {},
  });

describe(EmailRenderer.name, () => {
  const renderer = new EmailRenderer();

  it('renders the first name, cart items and recommendations', () => {
    const email = renderer.render(template, scope('Ada'));
    expect(email.subject).toBe('Ada, your cart');
    expect(email.html).toContain('<p>Hi Ada</p>');
    expect(email.html).toContain('<li>2 x Trail Shoe</li>');
    expect(email.html).toContain('<i>r1</i>');
    expect(email.text).toContain('- Trail Shoe');
  });

  it('greets "there" without a first name', () => {
    expect(renderer.render(template, scope(undefined)).subject).toBe('there, your cart');
  });

  it('escapes markup in values in the HTML body', () => {
    const email = renderer.render(template, scope('<script>alert(1)</script>'));
    expect(email.html).toContain('<p>Hi &lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('href="https://k.example/unsubscribe/d?a=1&amp;b=2"');
  });

  it('keeps the subject on one line', () => {
    expect(
      renderer.render(
        { ...template, version: 5, subject: 'a\n{{ first_name }}\r\nb' },
        scope('X\nY'),
      ).subject,
    ).toBe('a X Y b');
  });

  it('cannot read files', () => {
    expect(() =>
      renderer.render({ ...template, version: 2, html: "{% include '/etc/passwd' %}" }, scope('A')),
    ).toThrow(/Failed to lookup/);
    expect(() =>
      renderer.render({ ...template, version: 3, html: "{% render 'package.json' %}" }, scope('A')),
    ).toThrow(/Failed to lookup/);
  });

  it('rejects unknown filters instead of printing nothing', () => {
    expect(() =>
      renderer.render(
        { ...template, version: 4, html: '{{ first_name | exfiltrate }}' },
        scope('A'),
      ),
    ).toThrow(/undefined filter/);
  });
});

describe(buildScope.name, () => {
  it('leaves out recommendations that are already in the cart', () => {
    const rec = (productId: string) => ({
      productId,
      name: productId,
      score: 1,
      reason: undefined,
      imageUrl: undefined,
      url: undefined,
    });
    const built = buildScope({
      recipient: {
        email: 'a@b.c',
        firstName: 'A',
        lastName: undefined,
        emailConsent: 'subscribed',
        traits: {},
      },
      cart: [{ productId: 'p1', name: 'Trail Shoe', price: 89.5, quantity: 1 }],
      recommendations: [rec('p1'), rec('p2')],
      unsubscribeUrl: 'https://k.example/u',
      data: {},
    });
    expect(built.recommendations.map((r) => r.productId)).toEqual(['p2']);
  });
});
