import { EmailRenderer } from './email-renderer';
import { scopeFor, recipient } from './test-fixtures';
import type { CompiledTemplate } from './template-compiler';

/** A hand-made "compiled" template: HTML parts with Liquid, as compileTemplate would produce. */
const compiled = (slots: CompiledTemplate['slots']): CompiledTemplate => ({
  parts: ['<html><body>', ...slots.slice(1).map(() => '\n'), '</body></html>'],
  slots,
});

const HEADER = {
  block: 'header',
  required: true,
  variants: { default: '<p>{{ greeting }}, {{ first_name | default: "there" }}</p>' },
  fallback: '<p>Hello!</p>',
};
const FOOTER = {
  block: 'footer',
  required: true,
  variants: { default: '<a href="{{ unsubscribe_url }}">u</a>' },
  fallback: '<a href="{{ unsubscribe_url }}">Unsubscribe</a>',
};

describe(EmailRenderer.name, () => {
  let n = 0;
  const prepare = (
    renderer: EmailRenderer,
    slots: CompiledTemplate['slots'],
    subject = 'Hi {{ first_name }}',
  ) => renderer.prepare(`t@${++n}`, subject, compiled(slots));
  const renderer = new EmailRenderer();
  const defaults = {
    header: { variant: 'default', rule: undefined },
    footer: { variant: 'default', rule: undefined },
  };

  it('fills the slots and derives the text part from the HTML', () => {
    const email = renderer.render(prepare(renderer, [HEADER, FOOTER]), scopeFor(), defaults);
    expect(email.html).toContain('<p>Good morning, Ada</p>');
    expect(email.subject).toBe('Hi Ada');
    expect(email.text).toContain('Good morning, Ada');
    expect(email.text).toContain('u (https://k.example/unsubscribe/d?a=1&b=2)');
    expect(email.blocks.map((b) => b.fellBack)).toEqual([false, false]);
  });

  it('escapes markup and Liquid delimiters in values (HTML), defuses them in the subject', () => {
    const scope = scopeFor({ recipient: recipient({ firstName: '<script>{{x}}</script>' }) });
    const email = renderer.render(prepare(renderer, [HEADER, FOOTER]), scope, defaults);
    expect(email.html).toContain('&lt;script&gt;&#123;&#123;x&#125;&#125;&lt;/script&gt;');
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('href="https://k.example/unsubscribe/d?a=1&amp;b=2"');
    expect(email.subject).not.toMatch(/\{\{/);
  });

  it('falls back to the static default when a variant throws, leaves Liquid, or is empty', () => {
    const broken = (source: string) => ({ ...HEADER, variants: { default: source } });
    for (const source of ['{{ first_name | nope }}', '{% raw %}{{ x }}{% endraw %}', '  ']) {
      const r = new EmailRenderer();
      if (source.includes('nope')) {
        expect(() => prepare(r, [broken(source), FOOTER])).toThrow(/undefined filter/);
        continue;
      }
      const email = r.render(prepare(r, [broken(source), FOOTER]), scopeFor(), defaults);
      expect(email.html).toContain('<p>Hello!</p>');
      expect(email.blocks[0]).toMatchObject({ block: 'header', fellBack: true });
    }
    const r = new EmailRenderer();
    const throwing = {
      ...HEADER,
      variants: { default: '{% for i in (1..100000000) %}x{% endfor %}' },
    };
    const email = r.render(prepare(r, [throwing, FOOTER]), scopeFor(), defaults);
    expect(email.blocks[0]).toMatchObject({ fellBack: true });
    expect(email.html).toContain('<p>Hello!</p>');
  });

  it('uses the chosen variant, and the default for an unknown one', () => {
    const banner = {
      block: 'banner',
      required: false,
      variants: { default: '', vip: '<b>VIP</b>' },
      fallback: '',
    };
    const t = prepare(renderer, [banner]);
    expect(
      renderer.render(t, scopeFor(), { banner: { variant: 'vip', rule: { id: '1', name: 'r' } } })
        .html,
    ).toContain('<b>VIP</b>');
    const other = renderer.render(t, scopeFor(), { banner: { variant: 'gone', rule: undefined } });
    expect(other.html).not.toContain('VIP');
    expect(other.blocks[0]).toMatchObject({ variant: 'default', fellBack: false });
  });

  it('cannot read files', () => {
    const include = { ...HEADER, variants: { default: "{% include '/etc/passwd' %}" } };
    const email = renderer.render(prepare(renderer, [include, FOOTER]), scopeFor(), defaults);
    expect(email.blocks[0]).toMatchObject({ fellBack: true });
    expect(email.blocks[0].reason).toMatch(/Failed to lookup/);
    expect(email.html).not.toContain('root:');
  });

  it('keeps the subject on one line', () => {
    const scope = scopeFor({ recipient: recipient({ firstName: 'X\nY' }) });
    expect(
      renderer.render(prepare(renderer, [HEADER], 'a\n{{ first_name }}\r\nb'), scope, defaults)
        .subject,
    ).toBe('a X Y b');
  });
});
