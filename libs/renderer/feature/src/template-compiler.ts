import { randomBytes } from 'node:crypto';
import mjml2html from 'mjml';

/** One block as a template version captured it when the version was created. */
export interface BlockSnapshot {
  /** A required block must render non-empty, or the email is held. */
  required: boolean;
  /** The static default (MJML), shown when the chosen variant fails to render. */
  fallback: string;
  /** Variant key → MJML (Liquid allowed in content and attribute values). */
  variants: Record<string, string>;
}

export type BlockSnapshots = Record<string, BlockSnapshot>;

/** One slot of a compiled layout: HTML (still Liquid) per variant, and the fallback. */
export interface CompiledSlot {
  block: string;
  required: boolean;
  variants: Record<string, string>;
  fallback: string;
}

/**
 * A template version compiled by MJML: `parts` are the layout's HTML around the slots
 * (parts.length === slots.length + 1); all of it still holds Liquid, filled per send.
 */
export interface CompiledTemplate {
  parts: string[];
  slots: CompiledSlot[];
}

export class TemplateCompileError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'TemplateCompileError';
  }
}

/** `<mj-slot name="header" />` in a layout marks where a block goes. */
const SLOT_TAG = /<mj-slot\s+name\s*=\s*"([a-z0-9][a-z0-9-]{0,62})"\s*\/>/g;

/** The block keys a layout's slots name, in order. */
export function slotsOf(layout: string): string[] {
  return [...layout.matchAll(SLOT_TAG)].map((m) => m[1]);
}

/**
 * Compile a layout and its blocks with ONE MJML run — MJML is far too slow to run per send,
 * and one run puts the CSS every variant needs (column widths, media queries) into the one
 * `<head>`. Each slot is expanded into all of its variants and its fallback, fenced by marker
 * comments inside `<mj-raw>` (MJML copies those verbatim), and the output is cut apart at the
 * markers. This works because MJML renders every body-level section self-contained (its own
 * Outlook table), so any one variant can stand in the slot alone. The markers carry a random
 * nonce, so template text can never forge one.
 *
 * Throws {@link TemplateCompileError} listing every problem (unknown or repeated slots, blocks
 * without variants, MJML validation errors).
 */
export async function compileTemplate(
  layout: string,
  blocks: BlockSnapshots,
): Promise<CompiledTemplate> {
  const problems: string[] = [];
  const slots = slotsOf(layout);
  const seen = new Set<string>();
  for (const slot of slots) {
    if (seen.has(slot)) problems.push(`slot "${slot}" appears more than once`);
    seen.add(slot);
    const block = blocks[slot];
    if (!block) problems.push(`slot "${slot}" names no known block`);
    else if (Object.keys(block.variants).length === 0)
      problems.push(`block "${slot}" has no variants`);
  }
  if (!/<mjml[\s>]/.test(layout) || !/<mj-body[\s>]/.test(layout))
    problems.push('the layout must be an <mjml> document with an <mj-body>');
  if (problems.length) throw new TemplateCompileError(problems);

  const nonce = randomBytes(6).toString('hex');
  const mark = (what: string) => `<mj-raw><!--k${nonce}:${what}--></mj-raw>`;
  const expanded = layout.replace(SLOT_TAG, (_, name: string) => {
    const block = blocks[name];
    const variants = Object.entries(block.variants)
      .map(([key, source]) => `${mark(`v:${key}`)}${source}${mark('end')}`)
      .join('');
    return `${mark(`slot:${name}`)}${variants}${mark('fb')}${block.fallback}${mark('end')}${mark('endslot')}`;
  });

  let html: string;
  try {
    const result = await mjml2html(expanded, { validationLevel: 'soft', keepComments: true });
    const errors = result.errors ?? [];
    if (errors.length)
      throw new TemplateCompileError(
        errors.slice(0, 10).map((e) => `MJML line ${e.line}: ${e.message}`),
      );
    html = result.html;
  } catch (error) {
    if (error instanceof TemplateCompileError) throw error;
    throw new TemplateCompileError([
      `MJML: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
  return cutAtMarkers(html, nonce, slots, blocks);
}

function cutAtMarkers(
  html: string,
  nonce: string,
  slots: string[],
  blocks: BlockSnapshots,
): CompiledTemplate {
  const marker = (what: string) => `<!--k${nonce}:${what}-->`;
  const parts: string[] = [];
  const compiled: CompiledSlot[] = [];
  let at = 0;
  /** Find the next marker from `at`; returns its [start, end) and moves past it. */
  const take = (what: string): [number, number] => {
    const start = html.indexOf(marker(what), at);
    if (start < 0) throw new TemplateCompileError([`MJML dropped a slot marker (${what})`]);
    at = start + marker(what).length;
    return [start, at];
  };
  let partStart = 0;
  for (const name of slots) {
    const [slotStart] = take(`slot:${name}`);
    parts.push(html.slice(partStart, slotStart));
    const variants: Record<string, string> = {};
    for (const key of Object.keys(blocks[name].variants)) {
      const [, from] = take(`v:${key}`);
      const [to] = take('end');
      variants[key] = html.slice(from, to).trim();
    }
    const [, fbFrom] = take('fb');
    const [fbTo] = take('end');
    [, partStart] = take('endslot');
    compiled.push({
      block: name,
      required: blocks[name].required,
      variants,
      fallback: html.slice(fbFrom, fbTo).trim(),
    });
  }
  parts.push(html.slice(partStart));
  return { parts, slots: compiled };
}
