import { decodeEntities, htmlToText } from './html-to-text';

describe(htmlToText.name, () => {
  it('keeps the readable content of an email and drops the rest', () => {
    const html = `<!doctype html><html><head><title>T</title><style>p{color:red}</style></head>
<body><div style="display:none;max-height:0">preheader</div><!--[if mso | IE]><table><tr><td><![endif]-->
<div><p>Hi &lt;Ada&gt; &amp; co,</p><table><tr><td>2 &times; Shoe</td><td>9.50</td></tr></table>
<ul><li>One</li><li>Two</li></ul><a href="https://x.example/a?b=1&amp;c=2">Shop now</a><br>
<a href="https://x.example/u">https://x.example/u</a><img src="https://x.example/i.png" alt="Logo"></div></body></html>`;
    expect(htmlToText(html)).toBe(
      'Hi <Ada> & co,\n\n2 × Shoe 9.50\n\n- One\n- Two\nShop now (https://x.example/a?b=1&c=2)\nhttps://x.example/u Logo\n',
    );
  });

  it('collapses whitespace and blank lines', () => {
    expect(htmlToText('<p>a   b</p>\n\n<p></p><p></p><p>c</p>')).toBe('a b\n\nc\n');
  });
});

describe(decodeEntities.name, () => {
  it('decodes named and numeric entities, leaves unknown ones', () => {
    expect(decodeEntities('&#123;&#x7D;&nbsp;&bogus;&euro;')).toBe(
      '{}\u00a0&bogus;€'.replace('\u00a0', ' '),
    );
  });
});
