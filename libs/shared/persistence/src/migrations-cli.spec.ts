import { runMigrationsCli } from './migrations-cli';

describe(runMigrationsCli.name, () => {
  const lines: { log: string[]; error: string[] } = { log: [], error: [] };
  const output = {
    log: (l: string) => lines.log.push(l),
    error: (l: string) => lines.error.push(l),
  };

  beforeEach(() => {
    lines.log = [];
    lines.error = [];
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('rejects an unknown command with usage and exit code 2, without touching the database', async () => {
    const build = jest.fn();
    await expect(runMigrationsCli(build, ['node', 'migrate', 'sideways'], output)).resolves.toBe(2);
    expect(build).not.toHaveBeenCalled();
    expect(process.exitCode).toBe(2);
    expect(lines.error.join('\n')).toMatch(
      /Unknown command "sideways".*Usage: migrate \[run\|revert\]/,
    );
  });

  it('reports a failure to build the data source with exit code 1', async () => {
    const build = () => {
      throw new Error('KAIROS_PG_URL is required');
    };
    await expect(runMigrationsCli(build, ['node', 'migrate'], output)).resolves.toBe(1);
    expect(process.exitCode).toBe(1);
    expect(lines.error).toEqual(['Migration run failed: Error: KAIROS_PG_URL is required']);
  });
});
