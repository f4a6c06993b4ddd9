import { MAX_HTML_BYTES, checkEmail, isAbsolute, type GateInput } from './quality-gate';

const url = 'https://k.example/unsubscribe/d1';
const good: GateInput = {
  subject: 'Hi Ada',
  html: `<p>Hi</p><a href="https://shop.example/cart">Cart</a><img src="https://cdn.example/x.png"><a href="${url}">Unsubscribe</a>`,
  text: `Hi\nUnsubscribe (${url})\n`,
  headers: {
    'List-Unsubscribe': `<${url}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  },
  unsubscribeUrl: url,
  requiredBlocks: [{ block: 'header', html: '<p>Hi</p>' }],
};

describe(checkEmail.name, () => {
  it('passes a good email', () => {
    expect(checkEmail(good)).toEqual([]);
  });

  it('lists every problem', () => {
    const problems = checkEmail({
      ...good,
      subject: 'Hi {{ first_name }}',
      html: '<p>{% if x %}</p><a href="/cart">Cart</a>',
      text: 'no link',
      headers: {},
      requiredBlocks: [{ block: 'cart-items', html: '<div> <!-- x --> </div>' }],
    });
    expect(problems).toEqual([
      'unrendered Liquid in the subject',
      'unrendered Liquid in the HTML',
      'required block "cart-items" is empty',
      'no unsubscribe link in the HTML',
      'no unsubscribe link in the text',
      'List-Unsubscribe header missing or not the unsubscribe URL',
      'List-Unsubscribe-Post header missing (RFC 8058 one-click)',
      '1 link(s) not absolute, e.g. "/cart"',
    ]);
  });

  it('refuses HTML Gmail would clip', () => {
    const html = good.html + 'x'.repeat(MAX_HTML_BYTES);
    expect(checkEmail({ ...good, html })).toEqual([
      expect.stringMatching(/over the 102000-byte clipping limit/),
    ]);
  });
});

describe(isAbsolute.name, () => {
  it('accepts http(s) with a host, mailto and tel only', () => {
    expect(['https://a.b/x', 'http://a', 'mailto:a@b.c', 'tel:+49'].every(isAbsolute)).toBe(true);
    expect(
      ['/x', 'x.html', '//a.b', 'https://', 'javascript:alert(1)', '', '#top'].some(isAbsolute),
    ).toBe(false);
  });
});
