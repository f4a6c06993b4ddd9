import { normalizeCurrency, toMoney } from './money';

describe(toMoney.name, () => {
  it.each([
    [19.99, 19.99],
    [0, 0],
    ['19.99', 19.99],
    [' 42 ', 42],
    ['.5', 0.5],
  ] as const)('takes %j as %j', (input, expected) => {
    expect(toMoney(input)).toBe(expected);
  });

  it.each(['$19.99', '19,99', 'free', '', '1e3', '0x10', -5, '-5', Infinity, NaN])(
    'refuses %j',
    (input) => {
      expect(toMoney(input)).toBeUndefined();
    },
  );
});

describe(normalizeCurrency.name, () => {
  it.each([
    ['usd', 'USD'],
    [' eur ', 'EUR'],
    ['JPY', 'JPY'],
  ])('upper-cases ISO 4217 %j to %j', (input, expected) => {
    expect(normalizeCurrency(input)).toBe(expected);
  });

  it.each(['US', 'dollars', 'XYZ', 'ABC', '', 840, null])('refuses %j', (input) => {
    expect(normalizeCurrency(input)).toBeUndefined();
  });
});
