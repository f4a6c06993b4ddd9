export const REDACTED = '[redacted]';

/** Keep only the path of a URL: query strings may carry identifiers such as emails. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : `${url.slice(0, q)}?${REDACTED}`;
}

/** A Redis command for span attributes: the command and its key, never the values. */
export function redisStatement(command: string, args: readonly unknown[]): string {
  const key =
    args.length > 0 && (typeof args[0] === 'string' || typeof args[0] === 'number')
      ? ` ${String(args[0])}`
      : '';
  const more = args.length > 1 ? ` [${args.length - 1} args]` : '';
  return `${command}${key}${more}`;
}
