import { TemplateCompileError, compileTemplate, slotsOf } from './template-compiler';

const layout = (body: string) => `<mjml><mj-body width="600px">${body}</mj-body></mjml>`;
const block = (variants: Record<string, string>, fallback = '') => ({
  required: true,
  fallback,
  variants,
});
const section = (text: string) =>
  `<mj-section><mj-column><mj-text>${text}</mj-text></mj-column></mj-section>`;

describe(compileTemplate.name, () => {
  it('compiles once into layout parts and per-variant HTML that still holds the Liquid', async () => {
    const compiled = await compileTemplate(
      layout(`${section('top')}<mj-slot name="a" /><mj-slot name="b" />`),
      {
        a: block({ default: section('{{ first_name }}'), vip: section('VIP') }, section('A!')),
        b: block({ default: '' }),
      },
    );
    expect(compiled.parts).toHaveLength(3);
    expect(compiled.parts[0]).toContain('top');
    expect(compiled.parts[2]).toContain('</html>');
    expect(compiled.slots.map((s) => s.block)).toEqual(['a', 'b']);
    expect(compiled.slots[0].variants.default).toContain('{{ first_name }}');
    expect(compiled.slots[0].variants.vip).toContain('VIP');
    expect(compiled.slots[0].fallback).toContain('A!');
    expect(compiled.slots[1].variants.default).toBe('');
    expect(JSON.stringify(compiled)).not.toMatch(/<!--k[0-9a-f]{12}:/);
  });

  it('lists every problem of a broken template', async () => {
    await expect(
      compileTemplate(layout('<mj-slot name="x" /><mj-slot name="x" /><mj-slot name="y" />'), {
        x: block({}),
      }),
    ).rejects.toThrow(TemplateCompileError);
    await expect(
      compileTemplate(layout('<mj-slot name="x" /><mj-slot name="x" />'), {
        x: block({ default: '' }),
      }),
    ).rejects.toThrow(/appears more than once/);
    await expect(
      compileTemplate(layout('<mj-slot name="x" />'), {
        x: block({ default: '<mj-section><mj-bogus /></mj-section>' }),
      }),
    ).rejects.toThrow(/MJML/);
  });

  it('finds the slots of a layout', () => {
    expect(slotsOf('<mj-slot name="header" /> <mj-slot  name="cta"/>')).toEqual(['header', 'cta']);
  });
});
