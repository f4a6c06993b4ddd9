const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&#34;',
  "'": '&#39;',
  '{': '&#123;',
  '}': '&#125;',
};

/**
 * Liquid's HTML output escaping, plus braces: a value that contains `{{` or `{%` (a hostile
 * name, a product title) reaches the HTML as entities, so the quality gate's "unrendered
 * Liquid" check only ever fires on the template's own leftovers, never on a person's data.
 * Arrays print their items joined, null/undefined print nothing (as liquidjs does).
 */
export function escapeHtml(value: unknown): string {
  return stringify(value).replace(/[&<>"'{}]/g, (c) => HTML_ESCAPES[c]);
}

/** For the subject (not HTML): only breaks up Liquid delimiters coming from data. */
export function defuseLiquid(value: unknown): string {
  return stringify(value)
    .replace(/\{(?=[{%])/g, '{\u200b')
    .replace(/([}%])\}/g, '$1\u200b}');
}

function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(stringify).join('');
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      // Objects (a whole trait map printed by mistake) print as JSON, never "[object Object]".
      return JSON.stringify(value) ?? '';
  }
}
