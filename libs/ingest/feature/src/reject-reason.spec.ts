import { RawEvent, parseContract, type SchemaIssue } from '@kairos/contracts';
import { describeRejection } from './reject-reason';

const at = new Date('2025-03-01T12:00:00.000Z');

function reject(payload: unknown) {
  const parsed = parseContract(RawEvent, payload);
  if (parsed.ok) throw new Error('expected a schema violation');
  return describeRejection(payload, parsed.issues, JSON.stringify(payload), at);
}

describe(describeRejection.name, () => {
  it('says MISSING_IDENTITY when identity is the only problem', () => {
    const rejection = reject({ type: 'track', event: 'X' });
    expect(rejection.code).toBe('MISSING_IDENTITY');
    expect(rejection.reason).toBe('userId: userId or anonymousId is required');
    expect(rejection.rejectedAt).toBe('2025-03-01T12:00:00.000Z');
  });

  it('lists a missing identity next to other problems, as a SCHEMA_VIOLATION', () => {
    const rejection = reject({ type: 'track' });
    expect(rejection.code).toBe('SCHEMA_VIOLATION');
    expect(rejection.issues.map((i: SchemaIssue) => i.path)).toEqual(['event', 'userId']);
    expect(rejection.reason).toMatch(/^event: .*; userId: userId or anonymousId is required$/);
  });

  it('names the field of a wrong type', () => {
    const rejection = reject({ type: 'identify', userId: 'u1', traits: 'not an object' });
    expect(rejection.code).toBe('SCHEMA_VIOLATION');
    expect(rejection.reason).toMatch(/^traits: Expected object, received string$/);
  });

  it('says UNSUPPORTED_TYPE for an unknown type, naming the field without echoing values', () => {
    const rejection = reject({ type: 'screen', userId: 'secret@example.com' });
    expect(rejection.code).toBe('UNSUPPORTED_TYPE');
    expect(rejection.reason).toMatch(/^type: Invalid discriminator value/);
    expect(rejection.reason).not.toContain('secret');
  });

  it('rejects a payload that is not an object at the root', () => {
    const rejection = reject([1, 2]);
    expect(rejection.code).toBe('SCHEMA_VIOLATION');
    expect(rejection.issues[0].path).toBe('(root)');
    expect(rejection.original).toBe('[1,2]');
  });
});
