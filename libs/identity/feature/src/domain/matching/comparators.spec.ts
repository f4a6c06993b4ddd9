import {
  compareAddress,
  compareBirthDate,
  compareEmail,
  compareFirstName,
  compareLastName,
  comparePhone,
  comparePostcode,
} from './comparators';
import { areNicknames } from './nicknames';

describe(compareFirstName.name, () => {
  it('tells exact, nickname, typo, initial and different apart', () => {
    expect(compareFirstName('ada', 'ada')).toBe('exact');
    expect(compareFirstName('bob', 'robert')).toBe('nickname');
    expect(compareFirstName('liz', 'elizabeth')).toBe('nickname');
    // jhon/john: jaro (1 + 1 + 3/4) / 3 = 0.9167, prefix "j" → 0.925
    expect(compareFirstName('jhon', 'john')).toBe('similar');
    expect(compareFirstName('j', 'john')).toBe('initial');
    // emma/ella (twins): jaro 0.6667, JW 0.70
    expect(compareFirstName('emma', 'ella')).toBe('different');
    expect(compareFirstName(null, 'ada')).toBe('missing');
  });
});

describe(areNicknames.name, () => {
  it('knows common diminutives both ways, but not a name with itself', () => {
    expect(areNicknames('robert', 'bob')).toBe(true);
    expect(areNicknames('peggy', 'margaret')).toBe(true);
    expect(areNicknames('bob', 'william')).toBe(false);
    expect(areNicknames('bob', 'bob')).toBe(false);
  });
});

describe(compareLastName.name, () => {
  it('accepts typos and one part of a double-barrelled name', () => {
    expect(compareLastName('smith', 'smith')).toBe('exact');
    // schmidt/schmitt: one substitution near the end, long common prefix
    expect(compareLastName('schmidt', 'schmitt')).toBe('similar');
    expect(compareLastName('garcia', 'garcia lopez')).toBe('similar');
    expect(compareLastName('smith', 'jones')).toBe('different');
  });
});

describe(compareBirthDate.name, () => {
  it('recognizes a day/month swap, a one-digit typo and a shared year', () => {
    expect(compareBirthDate('1990-03-04', '1990-03-04')).toBe('exact');
    expect(compareBirthDate('1990-03-04', '1990-04-03')).toBe('transposed');
    expect(compareBirthDate('1990-03-04', '1990-03-05')).toBe('one-off');
    expect(compareBirthDate('1990-03-04', '1991-03-04')).toBe('one-off');
    expect(compareBirthDate('1990-03-04', '1990-07-21')).toBe('year-only');
    expect(compareBirthDate('1990-03-04', '1985-03-04')).toBe('different');
    expect(compareBirthDate(null, '1990-03-04')).toBe('missing');
  });
});

describe(comparePhone.name, () => {
  it('matches the last seven digits across prefixes', () => {
    expect(comparePhone('447911123456', '447911123456')).toBe('exact');
    expect(comparePhone('447911123456', '07911123456')).toBe('last7');
    expect(comparePhone('447911123456', '447911654321')).toBe('different');
  });
});

describe(compareAddress.name, () => {
  it('accepts a typo by normalized Levenshtein', () => {
    // one deletion in 14 characters: 1 - 1/14 = 0.93
    expect(compareAddress('12 high street', '12 hgh street')).toBe('similar');
    expect(compareAddress('12 high street', '12 high street')).toBe('exact');
    expect(compareAddress('12 high street', '7 station road')).toBe('different');
  });
});

describe(comparePostcode.name, () => {
  it('knows a shared outward code', () => {
    expect(comparePostcode('SW1A1AA', 'SW1A1AA')).toBe('exact');
    expect(comparePostcode('SW1A1AA', 'SW1A2BB')).toBe('area');
    expect(comparePostcode('SW1A1AA', 'E12AB')).toBe('different');
  });
});

describe(compareEmail.name, () => {
  it('matches a mailbox name at another provider, ignoring dots and +tags', () => {
    expect(compareEmail('ada.l@gmail.com', 'adal+shop@yahoo.com')).toBe('local-part');
    expect(compareEmail('ada@gmail.com', 'bob@gmail.com')).toBe('different');
  });
});
