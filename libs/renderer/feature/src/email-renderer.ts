import type { CartItem } from '@kairos/contracts';
import { Liquid, type Template } from 'liquidjs';
import type { Recipient, Recommendation } from './hot-profile';

/** A template version as stored (subject, HTML and text bodies are Liquid source). */
export interface TemplateSource {
  name: string;
  version: number;
  subject: string;
  html: string;
  text: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** The variables templates see. Snake-case, as Liquid templates conventionally use. */
export interface EmailScope {
  first_name: string | undefined;
  last_name: string | undefined;
  cart: CartItem[];
  recommendations: Recommendation[];
  unsubscribe_url: string;
  traits: Record<string, unknown>;
  data: Record<string, unknown>;
}

export function buildScope(input: {
  recipient: Recipient;
  cart: CartItem[] | undefined;
  recommendations: Recommendation[];
  unsubscribeUrl: string;
  data: Record<string, unknown>;
}): EmailScope {
  const cart = input.cart ?? [];
  // Recommending what is already in the cart wastes the slot: keep only other products.
  const inCart = new Set(cart.map((item) => item.productId));
  return {
    first_name: input.recipient.firstName,
    last_name: input.recipient.lastName,
    cart,
    recommendations: input.recommendations.filter((r) => !inCart.has(r.productId)),
    unsubscribe_url: input.unsubscribeUrl,
    traits: input.recipient.traits,
    data: input.data,
  };
}

const PARSED_CACHE_SIZE = 200;

/**
 * Renders email templates with Liquid, sandboxed: templates are strings, `templates: {}` means
 * include/render/layout can only reach that (empty) in-memory map, never the file system;
 * only own properties of the scope are visible; parse size and render time are bounded.
 *
 * The HTML body escapes every output by default (`outputEscape: 'escape'`), so a first name like
 * `<script>` arrives as text; a template author opts out per value with `| raw`. Subject and
 * text body are not HTML, so they are rendered without escaping (nothing interprets markup there).
 */
export class EmailRenderer {
  private readonly html = new Liquid({ ...SANDBOX, outputEscape: 'escape' });
  private readonly plain = new Liquid(SANDBOX);
  private readonly parsed = new Map<
    string,
    { subject: Template[]; html: Template[]; text: Template[] }
  >();

  render(template: TemplateSource, scope: EmailScope): RenderedEmail {
    const compiled = this.compile(template);
    const options = { renderLimit: RENDER_LIMIT_MS };
    return {
      subject: collapseWhitespace(
        this.plain.renderSync(compiled.subject, scope, options) as string,
      ),
      html: this.html.renderSync(compiled.html, scope, options) as string,
      text: this.plain.renderSync(compiled.text, scope, options) as string,
    };
  }

  /** Parse once per template version (versions are immutable, so the cache never goes stale). */
  private compile(template: TemplateSource) {
    const key = `${template.name}@${template.version}`;
    let compiled = this.parsed.get(key);
    if (!compiled) {
      compiled = {
        subject: this.plain.parse(template.subject),
        html: this.html.parse(template.html),
        text: this.plain.parse(template.text),
      };
      if (this.parsed.size >= PARSED_CACHE_SIZE)
        this.parsed.delete(this.parsed.keys().next().value as string);
      this.parsed.set(key, compiled);
    }
    return compiled;
  }
}

const RENDER_LIMIT_MS = 1_000;

const SANDBOX = {
  templates: {} as Record<string, string>,
  ownPropertyOnly: true,
  strictFilters: true,
  parseLimit: 1_000_000,
  memoryLimit: 10_000_000,
};

/** A subject is one line: a template's newlines (or a value's) must not become header folding. */
function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
