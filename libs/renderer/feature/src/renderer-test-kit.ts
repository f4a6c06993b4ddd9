import type { KairosConfig } from '@kairos/config';
import { KairosServiceModule } from '@kairos/service-kit';
import { RENDERER_ENTITIES, RENDERER_MIGRATIONS } from './index';
import { RendererFeatureModule } from './renderer.module';

/** What apps/renderer composes (a library test must not import an app). */
export function rendererApp(config: KairosConfig) {
  return KairosServiceModule.register({
    config,
    feature: RendererFeatureModule,
    persistence: { entities: RENDERER_ENTITIES, migrations: RENDERER_MIGRATIONS },
  });
}

/** The decoded body of one MIME part of a raw message (enough for nodemailer's output). */
export function mimePart(raw: string, contentType: string): string {
  const start = raw.indexOf(`Content-Type: ${contentType}`);
  if (start < 0) throw new Error(`no ${contentType} part`);
  const headerEnd = raw.indexOf('\r\n\r\n', start);
  const headers = raw.slice(start, headerEnd);
  const end = raw.indexOf('\r\n--', headerEnd);
  const body = raw.slice(headerEnd + 4, end < 0 ? undefined : end);
  if (/Content-Transfer-Encoding: quoted-printable/i.test(headers)) {
    const bytes = body
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  if (/Content-Transfer-Encoding: base64/i.test(headers))
    return Buffer.from(body, 'base64').toString('utf8');
  return body;
}

export function header(raw: string, name: string): string | undefined {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  return new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1];
}
