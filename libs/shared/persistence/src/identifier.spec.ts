import { assertSqlIdentifier, isSqlIdentifier, qualifiedTable, quoteIdent } from './identifier';

describe('SQL identifiers', () => {
  it('accepts the names services and tests use', () => {
    for (const name of ['identity', 'scheduler', 'pers_m1abc_0f3a9b2c', '_x', 'a'.repeat(63)]) {
      expect(isSqlIdentifier(name)).toBe(true);
    }
  });

  it('rejects anything that could break out of a quoted identifier or be truncated', () => {
    for (const name of [
      '',
      'Identity',
      '1abc',
      'a-b',
      'a.b',
      'a"b',
      'x"; DROP SCHEMA public; --',
      'a'.repeat(64),
      ' a',
    ]) {
      expect(isSqlIdentifier(name)).toBe(false);
      expect(() => assertSqlIdentifier(name, 'schema')).toThrow(/Invalid schema/);
    }
    expect(isSqlIdentifier(undefined)).toBe(false);
    expect(isSqlIdentifier(42)).toBe(false);
  });

  it('quotes validated names', () => {
    expect(quoteIdent('user')).toBe('"user"');
    expect(qualifiedTable('identity', 'outbox')).toBe('"identity"."outbox"');
    expect(() => qualifiedTable('identity', 'out"box')).toThrow(/Invalid table name/);
  });
});
