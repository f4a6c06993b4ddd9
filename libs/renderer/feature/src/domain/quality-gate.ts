/**
 * The last check before an email leaves. Every problem is listed (not just the first), so the
 * held delivery's reason tells the template author everything to fix at once. An email with
 * any problem is held, never sent.
 */
export interface GateInput {
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  unsubscribeUrl: string;
  /** The rendered HTML of each block the template marks required. */
  requiredBlocks: readonly { block: string; html: string }[];
}

/** Gmail clips an HTML body larger than about 102 KB (and hides the unsubscribe link with it). */
export const MAX_HTML_BYTES = 102_000;

const UNRENDERED = /\{\{|\{%/;

export function checkEmail(email: GateInput): string[] {
  const problems: string[] = [];
  for (const [part, value] of [
    ['subject', email.subject],
    ['HTML', email.html],
    ['text', email.text],
  ] as const) {
    if (UNRENDERED.test(value)) problems.push(`unrendered Liquid in the ${part}`);
  }
  if (email.subject.trim() === '') problems.push('empty subject');
  for (const { block, html } of email.requiredBlocks) {
    if (visibleText(html) === '' && !/<img\b/i.test(html))
      problems.push(`required block "${block}" is empty`);
  }
  const links = linksIn(email.html);
  if (!links.includes(email.unsubscribeUrl)) problems.push('no unsubscribe link in the HTML');
  if (!email.text.includes(email.unsubscribeUrl)) problems.push('no unsubscribe link in the text');
  if (email.headers['List-Unsubscribe'] !== `<${email.unsubscribeUrl}>`)
    problems.push('List-Unsubscribe header missing or not the unsubscribe URL');
  if (email.headers['List-Unsubscribe-Post'] !== 'List-Unsubscribe=One-Click')
    problems.push('List-Unsubscribe-Post header missing (RFC 8058 one-click)');
  const relative = links.filter((link) => !isAbsolute(link));
  if (relative.length)
    problems.push(`${relative.length} link(s) not absolute, e.g. "${truncate(relative[0], 60)}"`);
  const bytes = Buffer.byteLength(email.html, 'utf8');
  if (bytes > MAX_HTML_BYTES)
    problems.push(`HTML is ${bytes} bytes, over the ${MAX_HTML_BYTES}-byte clipping limit`);
  return problems;
}

/** href and src attribute values (entity-decoded for &amp;), in document order. */
export function linksIn(html: string): string[] {
  const links: string[] = [];
  const attr = /\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
  for (let m = attr.exec(html); m; m = attr.exec(html))
    links.push((m[1] ?? m[2] ?? '').replace(/&amp;/g, '&').trim());
  return links;
}

/** http(s) URLs with a host, mailto: and tel:. Everything else breaks in a mail client. */
export function isAbsolute(link: string): boolean {
  return /^https?:\/\/[^\s/?#]+/i.test(link) || /^(mailto|tel):\S+/i.test(link);
}

function visibleText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(style|script)[\s>][\s\S]*?<\/\1>/gi, '')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;|&#160;|\s/g, '');
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
