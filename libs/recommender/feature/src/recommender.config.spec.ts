import { DAY_MS, DEFAULT_ALS_CONFIG } from '@kairos/recommender/domain';
import { loadRecommenderSettings } from './recommender.config';

describe(loadRecommenderSettings.name, () => {
  it('defaults to a six-hour schedule and the domain ALS settings', () => {
    expect(loadRecommenderSettings({})).toEqual({
      trainIntervalMs: 6 * 60 * 60 * 1000,
      modelPollMs: 60_000,
      topN: 10,
      als: DEFAULT_ALS_CONFIG,
      alsThreads: 2,
      alsMinNnzForThreads: 50_000,
      interactionHalfLifeMs: 60 * DAY_MS,
      trendingHalfLifeMs: 14 * DAY_MS,
    });
  });

  it('turns the schedule off with 0 and reads overrides', () => {
    const settings = loadRecommenderSettings({
      KAIROS_RECOMMENDER_TRAIN_INTERVAL_MS: '0',
      KAIROS_RECOMMENDER_ALS_FACTORS: '16',
      KAIROS_RECOMMENDER_TRENDING_HALF_LIFE_DAYS: '0.5',
    });
    expect(settings.trainIntervalMs).toBe(0);
    expect(settings.als.factors).toBe(16);
    expect(settings.trendingHalfLifeMs).toBe(DAY_MS / 2);
  });

  it('names the bad variable', () => {
    expect(() => loadRecommenderSettings({ KAIROS_RECOMMENDER_TOP_N: '0' })).toThrow(
      /KAIROS_RECOMMENDER_TOP_N/,
    );
  });
});
