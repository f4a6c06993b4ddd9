import type { EntityManager } from 'typeorm';
import { ProcessedEvents } from './processed-events';

describe(ProcessedEvents.name, () => {
  it('rejects an invalid schema', () => {
    expect(() => new ProcessedEvents('a;b')).toThrow(/Invalid schema/);
  });

  it('refuses to claim outside a transaction, where the claim would outlive a failed handler', async () => {
    const manager = { queryRunner: undefined } as unknown as EntityManager;
    await expect(new ProcessedEvents('s').claim(manager, 'c', 'e1')).rejects.toThrow(
      /inside the caller's transaction/,
    );
  });

  it('rejects a negative age when pruning', async () => {
    await expect(new ProcessedEvents('s').pruneOlderThan({} as EntityManager, -1)).rejects.toThrow(
      /non-negative/,
    );
  });
});
