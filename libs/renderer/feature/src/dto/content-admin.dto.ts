import { z } from 'zod';
import { parseCondition, type Condition } from '../domain/condition';

const Key = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes, at most 63');
const Mjml = z.string().max(100_000, 'at most 100,000 characters');

/** PUT /admin/brands/:key */
export const SaveBrandDto = z
  .object({
    name: z.string().min(1).max(200),
    tone: z.string().min(1).max(50),
    formality: z.enum(['casual', 'formal']),
    signOff: z.string().min(1).max(500),
    websiteUrl: z
      .string()
      .url()
      .regex(/^https?:\/\//, 'must be an absolute http(s) URL'),
  })
  .strict();
export type SaveBrandDto = z.infer<typeof SaveBrandDto>;

/** PUT /admin/blocks/:key */
export const SaveBlockDto = z
  .object({
    description: z.string().max(2000).default(''),
    required: z.boolean(),
    fallback: Mjml,
  })
  .strict();
export type SaveBlockDto = z.infer<typeof SaveBlockDto>;

/** PUT /admin/blocks/:key/variants/:variant */
export const SaveVariantDto = z
  .object({ description: z.string().max(2000).default(''), mjml: Mjml })
  .strict();
export type SaveVariantDto = z.infer<typeof SaveVariantDto>;

/** POST /admin/templates/:name/versions */
export const CreateTemplateVersionDto = z
  .object({ subject: z.string().min(1).max(500), layout: Mjml, brand: Key })
  .strict();
export type CreateTemplateVersionDto = z.infer<typeof CreateTemplateVersionDto>;

/** POST /admin/rules, PUT /admin/rules/:id */
export const SaveRuleDto = z
  .object({
    name: Key,
    block: Key,
    variant: Key,
    priority: z.number().int().min(-1_000_000).max(1_000_000),
    condition: z.unknown(),
    enabled: z.boolean().default(true),
    description: z.string().max(2000).default(''),
  })
  .strict();
export type SaveRuleDto = Omit<z.infer<typeof SaveRuleDto>, 'condition'> & {
  condition: Condition;
};

export { Key as ContentKey };

/** Parse a body; the error names the first bad field (for a 400 answer). */
export function parseBody<T extends z.ZodTypeAny>(
  schema: T,
  body: unknown,
): { ok: true; value: z.infer<T> } | { ok: false; error: string } {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return { ok: true, value: parsed.data as z.infer<T> };
  const issue = parsed.error.issues[0];
  return { ok: false, error: `${issue.path.join('.') || 'body'}: ${issue.message}` };
}

export function parseRuleBody(
  body: unknown,
): { ok: true; value: SaveRuleDto } | { ok: false; error: string } {
  const parsed = parseBody(SaveRuleDto, body);
  if (!parsed.ok) return parsed;
  const condition = parseCondition(parsed.value.condition);
  if (!condition.ok) return { ok: false, error: `condition: ${condition.error}` };
  return { ok: true, value: { ...parsed.value, condition: condition.value } };
}
