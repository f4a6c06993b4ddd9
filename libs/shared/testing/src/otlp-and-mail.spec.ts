import { parseOtlpJson } from './otlp-receiver';
import { decodeHeader, header } from './smtp-sink';

describe('parseOtlpJson', () => {
  it('flattens resource/scope spans and keeps the service name', () => {
    const spans = parseOtlpJson({
      resourceSpans: [
        {
          resource: {
            attributes: [{ key: 'service.name', value: { stringValue: 'kairos-ingest' } }],
          },
          scopeSpans: [
            { spans: [{ traceId: 't1', spanId: 's1', parentSpanId: '', name: 'process' }] },
          ],
        },
      ],
    });
    expect(spans).toEqual([
      {
        service: 'kairos-ingest',
        traceId: 't1',
        spanId: 's1',
        parentSpanId: undefined,
        name: 'process',
      },
    ]);
  });
});

describe('mail headers', () => {
  const raw =
    'Subject: =?UTF-8?Q?Ann=2C_your_cart?=\r\nMessage-ID: <abc@kairos>\r\nTo: ann@example.com\r\n\r\nbody\r\nSubject: not a header';
  it('reads unfolded header values, not body lines', () => {
    expect(header(raw, 'message-id')).toBe('<abc@kairos>');
    expect(header(raw, 'x-missing')).toBeUndefined();
  });
  it('decodes RFC 2047 encoded words', () => {
    expect(decodeHeader(header(raw, 'subject') ?? '')).toBe('Ann, your cart');
    expect(decodeHeader('=?utf-8?B?SGFsbG8=?=')).toBe('Hallo');
  });
});
