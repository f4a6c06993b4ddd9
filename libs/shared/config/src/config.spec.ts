import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults to the local stack on loopback', () => {
    const config = loadConfig('ingest', {});
    expect(config.http.host).toBe('127.0.0.1');
    expect(config.kafka.brokers).toEqual(['127.0.0.1:19092']);
    expect(config.postgres.schema).toBe('ingest');
    expect(config.redis.keyPrefix).toBe('kairos:');
    expect(config.http.adminToken).toBeUndefined();
  });

  it('namespaces redis keys with the deployment namespace', () => {
    const config = loadConfig('renderer', { KAIROS_NAMESPACE: 't-42' });
    expect(config.kafka.namespace).toBe('t-42');
    expect(config.redis.keyPrefix).toBe('kairos:t-42:');
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig('ingest', {
        KAIROS_HTTP_PORT: 'eighty',
        KAIROS_PG_SCHEMA: 'Bad-Schema',
        KAIROS_KAFKA_BROKERS: 'nohost',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('KAIROS_HTTP_PORT');
    expect(problems).toContain('KAIROS_PG_SCHEMA');
    expect(problems).toContain('KAIROS_KAFKA_BROKERS');
  });
});
