import { Body, Controller, Get, Header, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { escapeHtml } from './domain/html-escape';
import { RendererException } from './renderer.exception';
import { UnsubscribeUseCase } from './unsubscribe.use-case';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The unsubscribe link of every email (no admin token: the delivery's random UUID in the path
 * is the credential).
 *
 *  - `POST /unsubscribe/:deliveryId` with the body `List-Unsubscribe=One-Click` is RFC 8058
 *    one-click (mail clients POST it from the List-Unsubscribe header) and also what the
 *    confirm page's button sends. It records the unsubscribe and publishes the events.
 *  - `GET` only shows a confirm page: link scanners and prefetchers fetch URLs in emails, so a
 *    GET must never unsubscribe anyone.
 *
 * Answers are never cached or indexed and send no Referer (the URL is a credential).
 */
@Controller('unsubscribe')
export class UnsubscribeController {
  constructor(private readonly unsubscribe: UnsubscribeUseCase) {}

  @Get(':deliveryId')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async confirmPage(
    @Param('deliveryId') deliveryId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    protect(res);
    if (!UUID.test(deliveryId) || !(await this.unsubscribe.exists(deliveryId.toLowerCase()))) {
      res.status(404);
      return page('Link not found', '<p>This unsubscribe link is not valid.</p>');
    }
    const action = `/unsubscribe/${encodeURIComponent(deliveryId.toLowerCase())}`;
    return page(
      'Unsubscribe',
      `<p>Do you want to stop receiving these emails?</p>
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<input type="hidden" name="source" value="page">
<button type="submit">Unsubscribe</button>
</form>`,
    );
  }

  @Post(':deliveryId')
  @HttpCode(200)
  @Header('Content-Type', 'text/html; charset=utf-8')
  async unsubscribeNow(
    @Param('deliveryId') deliveryId: string,
    @Body() body: Record<string, unknown> | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    protect(res);
    if (body?.['List-Unsubscribe'] !== 'One-Click') {
      res.status(400);
      return page(
        'Unsubscribe',
        '<p>Expected the RFC 8058 body <code>List-Unsubscribe=One-Click</code>.</p>',
      );
    }
    if (!UUID.test(deliveryId)) {
      res.status(404);
      return page('Link not found', '<p>This unsubscribe link is not valid.</p>');
    }
    try {
      await this.unsubscribe.execute(
        deliveryId.toLowerCase(),
        body['source'] === 'page' ? 'page' : 'one-click',
      );
    } catch (error) {
      if (!(error instanceof RendererException)) throw error;
      res.status(404);
      return page('Link not found', '<p>This unsubscribe link is not valid.</p>');
    }
    return page('Unsubscribed', '<p>You are unsubscribed and will not get these emails again.</p>');
  }
}

function protect(res: Response): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Robots-Tag', 'noindex');
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  );
}

/** A minimal page; `title` is escaped, `body` is trusted markup written in this file. */
function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:Arial,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222}button{padding:.6rem 1.2rem;font-size:1rem}</style>
</head><body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>
`;
}
