/**
 * The plain-text part of an email, generated from its final HTML (so the two never disagree).
 * Not a general HTML parser: it handles what MJML emits and email templates contain — tables,
 * paragraphs, headings, lists, line breaks, links, images, conditional comments and hidden
 * preheaders — in a few linear passes, fast enough to run on every send.
 *
 * Links become `text (url)` (just `url` when the text is the URL), images their alt text,
 * block elements line breaks, list items "- " lines; whitespace is collapsed, at most one blank
 * line is kept, and lines are trimmed.
 */
export function htmlToText(html: string): string {
  let s = html;
  // Everything outside <body>, comments (incl. Outlook conditionals), scripts and styles.
  const bodyStart = s.search(/<body[\s>]/i);
  if (bodyStart >= 0) s = s.slice(s.indexOf('>', bodyStart) + 1);
  s = s.replace(/<\/body>[\s\S]*$/i, '');
  s = s.replace(/<!--[\s\S]*?-->/g, '');
  s = s.replace(/<(script|style|head|title)[\s>][\s\S]*?<\/\1>/gi, '');
  // Hidden elements (MJML's preheader) are for inbox previews, not for reading.
  s = s.replace(
    /<(div|span)\b[^>]*style\s*=\s*"[^"]*display\s*:\s*none[^"]*"[^>]*>[\s\S]*?<\/\1>/gi,
    '',
  );
  s = s.replace(/\s+/g, ' ');
  s = s.replace(/<a\b([^>]*)>([\s\S]*?)<\/a>/gi, (_, attrs: string, inner: string) => {
    const href = /\bhref\s*=\s*("([^"]*)"|'([^']*)')/i.exec(attrs);
    const url = href ? decodeEntities(href[2] ?? href[3] ?? '').trim() : '';
    const text = inner.replace(/<[^>]*>/g, '').trim();
    if (!url || /^(#|javascript:)/i.test(url)) return text;
    const shown = decodeEntities(text);
    return shown === '' || shown === url || shown === url.replace(/^mailto:/i, '')
      ? ` ${encodeForText(url)} `
      : `${text} (${encodeForText(url)})`;
  });
  s = s.replace(/<img\b[^>]*>/gi, (tag) => {
    const alt = /\balt\s*=\s*("([^"]*)"|'([^']*)')/i.exec(tag);
    const text = alt ? (alt[2] ?? alt[3] ?? '').trim() : '';
    return text ? ` ${text} ` : '';
  });
  s = s.replace(/<br\s*\/?>/gi, '\n');
  s = s.replace(/<li\b[^>]*>/gi, '\n- ');
  s = s.replace(/<\/(td|th)>/gi, ' ');
  s = s.replace(/<(hr)\b[^>]*>/gi, '\n\n');
  s = s.replace(
    /<\/?(p|div|tr|table|tbody|thead|ul|ol|h[1-6]|section|article|blockquote)\b[^>]*>/gi,
    '\n',
  );
  s = s.replace(/<[^>]*>/g, '');
  s = decodeEntities(s);
  const lines = s.split('\n').map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim());
  const out: string[] = [];
  for (const line of lines) {
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.join('\n') + '\n';
}

/** Keep URLs intact through entity decoding: they are already decoded when captured. */
function encodeForText(url: string): string {
  return url.replace(/&/g, '&amp;');
}

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  times: '×',
  copy: '©',
  reg: '®',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  euro: '€',
  pound: '£',
  middot: '·',
  bull: '•',
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff
        ? String.fromCodePoint(code)
        : match;
    }
    return NAMED[name.toLowerCase()] ?? match;
  });
}
