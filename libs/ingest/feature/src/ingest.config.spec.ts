import { loadIngestSettings } from './ingest.config';

describe(loadIngestSettings.name, () => {
  it('has safe defaults: a day of dedupe, no write keys, US phones, 5 min skew', () => {
    expect(loadIngestSettings({})).toEqual({
      dedupeTtlSeconds: 86_400,
      writeKeys: [],
      defaultRegion: 'US',
      maxFutureSkewSeconds: 300,
      outlierWindowSize: 1000,
      outlierMinSamples: 30,
    });
  });

  it('reads KAIROS_INGEST_DEDUPE_TTL_S and names it when invalid', () => {
    expect(loadIngestSettings({ KAIROS_INGEST_DEDUPE_TTL_S: '60' }).dedupeTtlSeconds).toBe(60);
    expect(() => loadIngestSettings({ KAIROS_INGEST_DEDUPE_TTL_S: '-1' })).toThrow(
      /KAIROS_INGEST_DEDUPE_TTL_S/,
    );
  });

  it('splits KAIROS_INGEST_WRITE_KEYS on commas, ignoring blanks', () => {
    expect(loadIngestSettings({ KAIROS_INGEST_WRITE_KEYS: ' k1, k2 ,,' }).writeKeys).toEqual([
      'k1',
      'k2',
    ]);
  });

  it('reads the default phone region and refuses an unknown one', () => {
    expect(loadIngestSettings({ KAIROS_INGEST_DEFAULT_REGION: 'gb' }).defaultRegion).toBe('GB');
    expect(() => loadIngestSettings({ KAIROS_INGEST_DEFAULT_REGION: 'XX' })).toThrow(
      /KAIROS_INGEST_DEFAULT_REGION/,
    );
  });

  it('reads the future-skew allowance', () => {
    expect(loadIngestSettings({ KAIROS_INGEST_MAX_FUTURE_SKEW_S: '60' }).maxFutureSkewSeconds).toBe(
      60,
    );
  });
});
