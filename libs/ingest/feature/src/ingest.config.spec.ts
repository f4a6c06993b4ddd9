import { loadIngestSettings } from './ingest.config';

describe(loadIngestSettings.name, () => {
  it('defaults the dedupe TTL to a day', () => {
    expect(loadIngestSettings({})).toEqual({ dedupeTtlSeconds: 86_400 });
  });

  it('reads KAIROS_INGEST_DEDUPE_TTL_S and names it when invalid', () => {
    expect(loadIngestSettings({ KAIROS_INGEST_DEDUPE_TTL_S: '60' })).toEqual({
      dedupeTtlSeconds: 60,
    });
    expect(() => loadIngestSettings({ KAIROS_INGEST_DEDUPE_TTL_S: '-1' })).toThrow(
      /KAIROS_INGEST_DEDUPE_TTL_S/,
    );
  });
});
