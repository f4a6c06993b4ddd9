import {
  context,
  propagation,
  type Context,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';

/**
 * W3C trace context travels in Kafka headers, so one event is one trace across all services.
 * Headers here are plain string maps; the transport decodes kafkajs' Buffers first.
 */
const setter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

const getter: TextMapGetter<Record<string, string>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

/** The trace headers of the active context (empty when tracing is off). */
export function currentTraceHeaders(ctx: Context = context.active()): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(ctx, headers, setter);
  return headers;
}

/** The context a message's headers carry, to parent the work done for that message. */
export function contextFromHeaders(
  headers: Record<string, string>,
  base: Context = context.active(),
): Context {
  return propagation.extract(base, headers, getter);
}

/** kafkajs headers (Buffer | string | arrays) to a plain string map. */
export function decodeHeaders(raw: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (const [key, value] of Object.entries(raw)) {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (first === undefined || first === null) continue;
    if (Buffer.isBuffer(first)) out[key] = first.toString('utf8');
    else if (typeof first === 'string' || typeof first === 'number') out[key] = String(first);
  }
  return out;
}
