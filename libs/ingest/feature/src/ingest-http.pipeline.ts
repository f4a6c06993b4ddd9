import { Inject, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import express, { type NextFunction, type Request, type Response } from 'express';
import { errorBody } from './http-error';
import { MAX_BATCH_BYTES } from './segment-call';
import { WRITE_KEYS } from './write-key.guard';
import type { WriteKeys } from './write-keys';

/** Where the Segment-compatible API lives. */
export const INGEST_HTTP_PREFIX = '/v1';

/**
 * Authentication and body parsing for the Segment-compatible API, in front of the routes:
 *  1. the write key is checked before a single body byte is read (an unauthenticated client
 *     cannot make ingest buffer 500 KB);
 *  2. the body is read up to Segment's 500 KB batch limit — over it → 413 — whatever its
 *     content type (Segment's browser library posts JSON as text/plain);
 *  3. it is parsed as JSON — malformed → 400.
 * Every refusal is a JSON {@link errorBody}, never Express' HTML error page.
 *
 * Why it is mounted from a provider's constructor: Nest installs its own JSON parser (100 KB
 * limit, HTML-free but generic errors) during `app.init()`, before any module middleware, and
 * `createService` gives no hook between creating the app and init. Providers are constructed in
 * `NestFactory.create`, i.e. before init, so this pipeline runs first; the default parser then
 * sees a fully read request and skips it (body-parser skips finished requests).
 */
@Injectable()
export class IngestHttpPipeline {
  private readonly log = new Logger(IngestHttpPipeline.name);
  private readonly readRaw = express.raw({ type: () => true, limit: MAX_BATCH_BYTES });

  constructor(
    adapterHost: HttpAdapterHost,
    @Inject(WRITE_KEYS) private readonly keys: WriteKeys,
  ) {
    const adapter = adapterHost.httpAdapter;
    if (!adapter) throw new Error('IngestHttpPipeline needs an HTTP application');
    adapter.use(INGEST_HTTP_PREFIX, this.authenticate, this.parseBody);
  }

  private readonly authenticate = (req: Request, res: Response, next: NextFunction): void => {
    const result = this.keys.check(req.headers.authorization);
    if (result.ok) return next();
    res.status(401).json(errorBody(401, result.message));
  };

  private readonly parseBody = (req: Request, res: Response, next: NextFunction): void => {
    this.readRaw(req, res, (error?: unknown) => {
      if (error) return this.refuseUnreadable(error, res);
      const raw: unknown = req.body;
      if (!Buffer.isBuffer(raw) || raw.length === 0) {
        req.body = undefined;
        return next();
      }
      try {
        req.body = JSON.parse(raw.toString('utf8')) as unknown;
      } catch (parseError) {
        // The parser's message can quote a snippet of the body: returned to the sender (it is
        // their own data), never logged.
        const detail = parseError instanceof Error ? ` (${parseError.message})` : '';
        res
          .status(400)
          .json(errorBody(400, `Malformed JSON: the request body is not valid JSON${detail}.`));
        return;
      }
      next();
    });
  };

  private refuseUnreadable(error: unknown, res: Response): void {
    const { status, type } = (error ?? {}) as { status?: number; type?: string };
    if (type === 'entity.too.large') {
      res
        .status(413)
        .json(
          errorBody(
            413,
            `The request body exceeds ${MAX_BATCH_BYTES} bytes (500 KB), Segment's limit for a batch; send fewer events per call.`,
          ),
        );
      return;
    }
    const code = typeof status === 'number' && status >= 400 && status < 500 ? status : 400;
    this.log.warn(`unreadable request body (${type ?? 'unknown'})`);
    res
      .status(code)
      .json(errorBody(code, `The request body could not be read (${type ?? 'unknown error'}).`));
  }
}
