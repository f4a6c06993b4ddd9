import { classifySmtpError } from './smtp-failure';

describe(classifySmtpError.name, () => {
  it('retries a 4xx reply', () => {
    expect(classifySmtpError({ code: 'EENVELOPE', responseCode: 451, command: 'RCPT TO' })).toEqual(
      {
        kind: 'transient',
        reason: 'SMTP 451 (EENVELOPE at RCPT TO)',
      },
    );
  });

  it('gives up on a 5xx reply', () => {
    expect(classifySmtpError({ code: 'EMESSAGE', responseCode: 550, command: 'DATA' }).kind).toBe(
      'permanent',
    );
  });

  it('retries when the server cannot be reached', () => {
    expect(classifySmtpError({ code: 'ECONNREFUSED', command: 'CONN' })).toEqual({
      kind: 'transient',
      reason: 'cannot reach the SMTP server (ECONNREFUSED)',
    });
  });

  it('gives up on authentication and envelope errors without a reply', () => {
    expect(classifySmtpError({ code: 'EAUTH', command: 'API' }).kind).toBe('permanent');
    expect(classifySmtpError({ code: 'EENVELOPE', command: 'API' }).kind).toBe('permanent');
  });

  it('calls a broken connection or timeout unknown: the server may have taken the message', () => {
    expect(classifySmtpError({ code: 'ECONNECTION', command: 'CONN' }).kind).toBe('unknown');
    expect(classifySmtpError({ code: 'ETIMEDOUT', command: 'CONN' }).kind).toBe('unknown');
    expect(classifySmtpError(new Error('boom')).kind).toBe('unknown');
    expect(classifySmtpError('weird').kind).toBe('unknown');
  });
});
