import { defuseLiquid, escapeHtml } from './html-escape';

describe(escapeHtml.name, () => {
  it('escapes markup, quotes and braces', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>{{ z }}</a> & co`)).toBe(
      '&lt;a href=&#34;x&#34; onclick=&#39;y&#39;&gt;&#123;&#123; z &#125;&#125;&lt;/a&gt; &amp; co',
    );
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(['a', 1])).toBe('a1');
  });
});

describe(defuseLiquid.name, () => {
  it('breaks up Liquid delimiters only', () => {
    const out = defuseLiquid('{{ x }} {% y %} a{b}');
    expect(out).not.toMatch(/\{\{|\{%|%\}|\}\}/);
    expect(out.replace(/\u200b/g, '')).toBe('{{ x }} {% y %} a{b}');
  });
});
