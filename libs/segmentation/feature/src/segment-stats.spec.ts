import { sizeOverTime } from './segment-stats';

describe(sizeOverTime.name, () => {
  it('reconstructs end-of-day sizes backwards from the current size', () => {
    const stats = sizeOverTime(
      3,
      [
        { day: '2026-03-01', entered: 4, exited: 0 },
        { day: '2026-03-03', entered: 1, exited: 2 },
      ],
      '2026-03-03',
      4,
    );
    expect(stats).toEqual([
      { day: '2026-02-28', entered: 0, exited: 0, size: 0 },
      { day: '2026-03-01', entered: 4, exited: 0, size: 4 },
      { day: '2026-03-02', entered: 0, exited: 0, size: 4 },
      { day: '2026-03-03', entered: 1, exited: 2, size: 3 },
    ]);
  });

  it('subtracts changes recorded after today', () => {
    const stats = sizeOverTime(5, [{ day: '2026-03-04', entered: 2, exited: 0 }], '2026-03-03', 1);
    expect(stats).toEqual([{ day: '2026-03-03', entered: 0, exited: 0, size: 3 }]);
  });
});
