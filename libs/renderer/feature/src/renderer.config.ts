import { loadExtraConfig, v } from '@kairos/config';
import { z } from 'zod';

export interface RendererConfig {
  /** Where mail is handed over (smtp:// or smtps://, credentials in the URL if any). */
  smtpUrl: string;
  /** The From header, e.g. "Kairos <no-reply@kairos.local>". */
  smtpFrom: string;
  /** Base of absolute links in emails (unsubscribe), without a trailing slash. */
  publicBaseUrl: string;
}

/** Nest token for {@link RendererConfig}. */
export const RENDERER_CONFIG = Symbol('kairos.renderer.config');

/** The renderer's own environment variables (the shared ones come from loadConfig). */
export function loadRendererConfig(env?: Record<string, string | undefined>): RendererConfig {
  const vars = loadExtraConfig(
    {
      KAIROS_SMTP_URL: v(
        z.string().regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL'),
        'smtp://127.0.0.1:2525',
      ),
      KAIROS_SMTP_FROM: v(z.string().min(3), 'Kairos <no-reply@kairos.local>'),
      KAIROS_PUBLIC_BASE_URL: v(
        z
          .string()
          .url()
          .regex(/^https?:\/\//, 'must be an http(s) URL')
          .transform((url) => url.replace(/\/+$/, '')),
        'http://127.0.0.1:3306',
      ),
    },
    env,
  );
  return {
    smtpUrl: vars.KAIROS_SMTP_URL,
    smtpFrom: vars.KAIROS_SMTP_FROM,
    publicBaseUrl: vars.KAIROS_PUBLIC_BASE_URL,
  };
}
