import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import type { CallIssue } from './segment-call';

/** The JSON body of every error the ingest HTTP API answers (never an HTML page). */
export interface IngestErrorBody {
  success: false;
  statusCode: number;
  error: string;
  /** What was wrong and how to fix it; names fields and limits, never values or keys. */
  message: string;
  /** Per-event problems: which event (batch index), which field, why. */
  issues?: CallIssue[];
}

export function errorBody(
  statusCode: number,
  message: string,
  issues?: CallIssue[],
): IngestErrorBody {
  return {
    success: false,
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
    ...(issues ? { issues } : {}),
  };
}

/** An HTTP error whose response is an {@link IngestErrorBody}. */
export class IngestHttpException extends HttpException {
  constructor(statusCode: number, message: string, issues?: CallIssue[]) {
    super(errorBody(statusCode, message, issues), statusCode);
  }
}
