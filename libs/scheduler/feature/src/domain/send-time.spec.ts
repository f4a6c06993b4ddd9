import { chooseSendTime, emptyHistogram, openHourDistribution } from './send-time';

const opts = {
  maxDelayMs: 24 * 3_600_000,
  minOpens: 3,
  priorStrength: 5,
  minLift: 0.1,
  quietHours: { startMinute: 21 * 60, endMinute: 8 * 60 },
};
const hist = (entries: Record<number, number>) => {
  const h = emptyHistogram();
  for (const [hour, n] of Object.entries(entries)) h[Number(hour)] = n;
  return h;
};

describe(openHourDistribution.name, () => {
  it('is a distribution that blends the person with the population prior and smooths neighbours', () => {
    const d = openHourDistribution(hist({ 19: 10 }), hist({ 9: 100 }), 5);
    expect(d.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(d[19]).toBeGreaterThan(d[9]);
    expect(d[18]).toBeGreaterThan(d[12]);
    // No history: the population decides.
    const prior = openHourDistribution(emptyHistogram(), hist({ 9: 100 }), 5);
    expect(prior.indexOf(Math.max(...prior))).toBe(9);
  });
});

describe(chooseSendTime.name, () => {
  const now = new Date('2026-06-02T08:00:00Z'); // 10:00 Berlin

  it('shifts to the person’s most likely open hour, in their zone', () => {
    const choice = chooseSendTime(
      now,
      'Europe/Berlin',
      hist({ 19: 6, 20: 2 }),
      emptyHistogram(),
      opts,
    );
    expect(choice).toMatchObject({ hour: 19, at: new Date('2026-06-02T17:00:00Z') });
  });

  it('sends as scheduled without enough history', () => {
    expect(
      chooseSendTime(now, 'Europe/Berlin', hist({ 19: 2 }), emptyHistogram(), opts),
    ).toBeUndefined();
  });

  it('sends as scheduled when now is already the best hour', () => {
    expect(
      chooseSendTime(now, 'Europe/Berlin', hist({ 10: 9 }), emptyHistogram(), opts),
    ).toBeUndefined();
  });

  it('stays within the bounded delay and outside quiet hours', () => {
    const choice = chooseSendTime(now, 'Europe/Berlin', hist({ 23: 9, 14: 1 }), emptyHistogram(), {
      ...opts,
      maxDelayMs: 6 * 3_600_000,
    });
    // 23:00 is quiet; within 6 h the neighbours of 14:00 are the best that remain.
    expect(choice?.at.getTime()).toBeLessThanOrEqual(now.getTime() + 6 * 3_600_000);
    expect(choice?.hour).toBe(14);
  });

  it('picks an allowed hour when now is quiet', () => {
    const night = new Date('2026-06-02T21:00:00Z'); // 23:00 Berlin
    const choice = chooseSendTime(night, 'Europe/Berlin', hist({ 9: 5 }), emptyHistogram(), opts);
    expect(choice).toMatchObject({ hour: 9, at: new Date('2026-06-03T07:00:00Z') });
  });
});
