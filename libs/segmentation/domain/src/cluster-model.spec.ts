import {
  assignCluster,
  clusterSegmentDefinition,
  describeCentroid,
  DEFAULT_CLUSTER_FEATURES,
  featureMatrix,
  fitClusterModel,
} from './cluster-model';
import { compileSegments } from './segment-program';
import type { Facts } from './traits-facts';

function profile(recencyDays: number | null, orders: number, ltv: number, openRate: number): Facts {
  return {
    'traits.recencyDays': recencyDays,
    'traits.orderCount': orders,
    'traits.ltv': ltv,
    'traits.openRate30d': openRate,
    'traits.clickRate30d': openRate / 4,
    'traits.visits30d': orders * 2,
  };
}

describe(fitClusterModel.name, () => {
  const facts: Facts[] = [];
  for (let i = 0; i < 40; i++) facts.push(profile(2 + (i % 5), 20 + (i % 7), 2000 + i * 10, 0.6)); // loyal high spenders
  for (let i = 0; i < 40; i++) facts.push(profile(300 + i, 1, 20 + (i % 3), 0)); // dormant one-timers
  const model = fitClusterModel(featureMatrix(facts), facts.length, {
    id: 'rfm-v1',
    kMin: 2,
    kMax: 4,
    seed: 11,
  });

  it('finds the two groups and names them in plain words', () => {
    expect(model.centroids).toHaveLength(2);
    expect([...model.labels].sort()).toEqual([
      'dormant one-time buyers',
      'loyal, engaged high spenders',
    ]);
    expect(model.sizes).toEqual([40, 40]);
  });

  it('turns a cluster into a segment definition evaluated by nearest centroid', () => {
    const loyal = model.labels.findIndex((l) => l.startsWith('loyal'));
    const def = clusterSegmentDefinition(model, loyal);
    const compiled = compileSegments([def], { clusterModels: [model] });
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
    expect(compiled.value.evaluateAll(profile(3, 25, 2500, 0.5))).toEqual([def.id]);
    expect(compiled.value.evaluateAll(profile(null, 0, 0, 0))).toEqual([]);
    expect(assignCluster(model, profile(null, 0, 0, 0))).not.toBe(loyal);
    expect(compiled.value.dependentsOfFact('traits.ltv')).toEqual([def.id]);
    const bad = compileSegments([{ ...def, rules: { cluster: { model: 'rfm-v1', index: 5 } } }], {
      clusterModels: [model],
    });
    expect(bad.ok ? [] : bad.issues.map((i) => i.path)).toEqual(['$.rules.cluster.index']);
  });
});

describe(describeCentroid.name, () => {
  it('falls back to per-axis words', () => {
    expect(describeCentroid([0, 0, 0, 0, 0, 0], DEFAULT_CLUSTER_FEATURES)).toBe(
      'steady occasional mid-spending shoppers',
    );
    expect(describeCentroid([1, 1, 1, 0, 0, 0], DEFAULT_CLUSTER_FEATURES)).toBe(
      'lapsed loyal customers (at risk)',
    );
    expect(describeCentroid([-1, -1, -1, 0, 0, 0], DEFAULT_CLUSTER_FEATURES)).toBe('new customers');
  });
});
