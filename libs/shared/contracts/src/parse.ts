import type { z } from 'zod';

export interface SchemaIssue {
  /** Dotted path to the offending field, e.g. "properties.products.0.price". */
  path: string;
  message: string;
}

export type ParseResult<T> =
  { ok: true; value: T } | { ok: false; issues: SchemaIssue[]; summary: string };

/**
 * Validate a payload against a contract schema and describe every problem with the path of
 * the field, so error messages and dead-letter reasons say exactly what was wrong.
 */
export function parseContract<S extends z.ZodTypeAny>(
  schema: S,
  payload: unknown,
): ParseResult<z.output<S>> {
  const result = schema.safeParse(payload);
  if (result.success) return { ok: true, value: result.data as z.output<S> };
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.join('.') : '(root)',
    message: issue.message,
  }));
  const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return { ok: false, issues, summary };
}
