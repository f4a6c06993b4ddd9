import { Liquid, type Template } from 'liquidjs';
import type { BlockChoice } from './domain/block-selection';
import { defuseLiquid, escapeHtml } from './domain/html-escape';
import { htmlToText } from './domain/html-to-text';
import type { EmailScope } from './email-scope';
import type { CompiledTemplate } from './template-compiler';

/** A template version, parsed by Liquid once and kept by `name@version`. */
export interface PreparedTemplate {
  key: string;
  subject: Template[];
  parts: Template[][];
  slots: {
    block: string;
    required: boolean;
    variants: Record<string, Template[]>;
    fallback: Template[];
  }[];
}

/** How one block rendered: which variant (and rule), and whether it fell back. */
export interface BlockReport {
  block: string;
  variant: string;
  rule: string | undefined;
  fellBack: boolean;
  reason: string | undefined;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  blocks: BlockReport[];
  /** Rendered HTML of the required blocks, for the quality gate. */
  requiredBlocks: { block: string; html: string }[];
}

const PREPARED_CACHE_SIZE = 200;
const RENDER_LIMIT_MS = 1_000;
const UNRENDERED = /\{\{|\{%/;

/**
 * Renders modular templates with Liquid, sandboxed: `templates: {}` means include/render/layout
 * can only reach that (empty) in-memory map, never the file system; only own properties of the
 * scope are visible; unknown filters are errors; parse size, render time and memory (which also
 * bounds loops over ranges) are limited, and carts/recommendations are capped before rendering.
 *
 * HTML output is escaped by default ({@link escapeHtml}, braces included), so a first name like
 * `<script>` arrives as text; a template author opts out per value with `| raw`. The subject is
 * not HTML: it is not escaped, only Liquid delimiters in values are broken up.
 *
 * Each block renders on its own: if its chosen variant throws, leaves Liquid unrendered, or (if
 * required) renders empty, its static fallback is used instead — one broken block never takes
 * the email down. A failure of the layout or subject throws (the caller holds the email).
 */
export class EmailRenderer {
  private readonly html = new Liquid({ ...SANDBOX, outputEscape: escapeHtml });
  private readonly subject = new Liquid({ ...SANDBOX, outputEscape: defuseLiquid });
  private readonly prepared = new Map<string, PreparedTemplate>();

  constructor() {
    for (const engine of [this.html, this.subject]) engine.registerFilter('money', money);
  }

  /** Parse a compiled version once (versions are immutable, so the cache never goes stale). */
  prepare(key: string, subject: string, compiled: CompiledTemplate): PreparedTemplate {
    let prepared = this.prepared.get(key);
    if (!prepared) {
      prepared = {
        key,
        subject: this.subject.parse(subject),
        parts: compiled.parts.map((part) => this.html.parse(part)),
        slots: compiled.slots.map((slot) => ({
          block: slot.block,
          required: slot.required,
          variants: Object.fromEntries(
            Object.entries(slot.variants).map(([k, source]) => [k, this.html.parse(source)]),
          ),
          fallback: this.html.parse(slot.fallback),
        })),
      };
      if (this.prepared.size >= PREPARED_CACHE_SIZE)
        this.prepared.delete(this.prepared.keys().next().value as string);
      this.prepared.set(key, prepared);
    }
    return prepared;
  }

  render(
    template: PreparedTemplate,
    scope: EmailScope,
    choices: Record<string, BlockChoice>,
  ): RenderedEmail {
    const options = { renderLimit: RENDER_LIMIT_MS };
    const renderHtml = (t: Template[]) => this.html.renderSync(t, scope, options) as string;
    const blocks: BlockReport[] = [];
    const requiredBlocks: { block: string; html: string }[] = [];
    let html = renderHtml(template.parts[0]);
    template.slots.forEach((slot, i) => {
      const choice = choices[slot.block];
      const variant = choice && slot.variants[choice.variant] ? choice.variant : 'default';
      let out = '';
      let reason: string | undefined;
      const source = slot.variants[variant];
      if (!source) reason = `no variant "${choice?.variant ?? variant}"`;
      else {
        try {
          out = renderHtml(source);
          if (UNRENDERED.test(out)) reason = 'unrendered Liquid';
          else if (slot.required && isBlank(out)) reason = 'rendered empty';
        } catch (error) {
          reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        }
      }
      if (reason !== undefined) {
        try {
          out = renderHtml(slot.fallback);
        } catch {
          out = '';
        }
      }
      blocks.push({
        block: slot.block,
        variant,
        rule: choice?.rule?.name,
        fellBack: reason !== undefined,
        reason,
      });
      if (slot.required) requiredBlocks.push({ block: slot.block, html: out });
      html += out + renderHtml(template.parts[i + 1]);
    });
    return {
      subject: collapseWhitespace(
        this.subject.renderSync(template.subject, scope, options) as string,
      ),
      html,
      text: htmlToText(html),
      blocks,
      requiredBlocks,
    };
  }
}

const SANDBOX = {
  templates: {} as Record<string, string>,
  ownPropertyOnly: true,
  strictFilters: true,
  parseLimit: 1_000_000,
  memoryLimit: 10_000_000,
};

function money(value: unknown): string {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n.toFixed(2) : '';
}

function isBlank(html: string): boolean {
  return (
    html
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<[^>]*>/g, '')
      .trim() === ''
  );
}

/** A subject is one line: a template's newlines (or a value's) must not become header folding. */
function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
