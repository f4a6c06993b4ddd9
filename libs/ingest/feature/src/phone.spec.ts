import { normalizePhone } from './phone';

describe(normalizePhone.name, () => {
  it.each([
    ['(415) 555-2671', 'US', '+14155552671'],
    ['+1 415 555 2671', 'GB', '+14155552671'],
    ['020 7946 0018', 'GB', '+442079460018'],
    ['+44 20 7946 0018', 'US', '+442079460018'],
    ['030 901820', 'DE', '+4930901820'],
    [4155552671, 'US', '+14155552671'],
  ] as const)('normalizes %j (region %s) to %s', (input, region, expected) => {
    expect(normalizePhone(input, region)).toBe(expected);
  });

  it.each(['n/a', '', '   ', '12345', '+1 415 555', 'call me', '+999 123 456 789', null, {}, true])(
    'refuses %j',
    (input) => {
      expect(normalizePhone(input, 'US')).toBeUndefined();
    },
  );
});
