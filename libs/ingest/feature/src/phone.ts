import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * A phone number in E.164 (`+14155552671`), or undefined when it is not a valid number.
 * Numbers written without a country code are read in `defaultRegion`. Validity uses
 * libphonenumber's metadata (length and prefix rules per region), so "n/a", "12345" or a
 * number with too few digits for its region are refused rather than stored as garbage.
 */
export function normalizePhone(value: unknown, defaultRegion: CountryCode): string | undefined {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || text.trim() === '' || text.length > 64) return undefined;
  const phone = parsePhoneNumberFromString(text.trim(), { defaultCountry: defaultRegion });
  return phone?.isValid() ? phone.number : undefined;
}
