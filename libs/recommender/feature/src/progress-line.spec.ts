import { renderProgressLine } from './progress-line';

describe(renderProgressLine.name, () => {
  it('draws a bar with percent and count', () => {
    expect(renderProgressLine({ phase: 'als', done: 5, total: 10 }, 10)).toBe(
      '[#####-----]  50% ALS iterations 5/10',
    );
    expect(renderProgressLine({ phase: 'precompute', done: 7, total: 7 }, 4)).toBe(
      '[####] 100% top-N to Redis 7/7',
    );
  });

  it('shows a count when the total is unknown', () => {
    expect(renderProgressLine({ phase: 'load', done: 20000 }, 4)).toBe(
      '[    ] loading events: 20000',
    );
  });

  it('clamps a count beyond the total', () => {
    expect(renderProgressLine({ phase: 'als', done: 12, total: 10 }, 2)).toBe(
      '[##] 100% ALS iterations 12/10',
    );
  });
});
