import { z } from 'zod';

/**
 * The only place that reads `process.env`. Each app validates its environment once at boot
 * into a typed, nested object and fails fast with a message naming the bad variable.
 */

export type ServiceName =
  | 'ingest'
  | 'identity-resolution'
  | 'segmentation'
  | 'recommender'
  | 'trigger-scheduler'
  | 'renderer';

export const DEFAULT_HTTP_PORTS: Record<ServiceName, number> = {
  ingest: 3301,
  'identity-resolution': 3302,
  segmentation: 3303,
  recommender: 3304,
  'trigger-scheduler': 3305,
  renderer: 3306,
};

/** Each service owns one Postgres schema (ARCHITECTURE.md, "Stores"). */
export const DEFAULT_PG_SCHEMAS: Record<ServiceName, string> = {
  ingest: 'ingest',
  'identity-resolution': 'identity',
  segmentation: 'segmentation',
  recommender: 'recommender',
  'trigger-scheduler': 'scheduler',
  renderer: 'renderer',
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const pgIdentifier = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier');
const namespace = z
  .string()
  .regex(/^[a-zA-Z0-9._-]*$/, 'may contain only letters, digits, ".", "_" and "-"');

/** One environment variable: its schema (parsing the raw string) and default. */
export interface Var<T> {
  schema: z.ZodType<T, z.ZodTypeDef, unknown>;
  default?: string;
  optional?: boolean;
}

export function v<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, defaultValue?: string): Var<T> {
  return { schema, default: defaultValue };
}
export function optional<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>): Var<T | undefined> {
  return { schema: schema, optional: true };
}

/** Read a set of variables; collects every problem before failing, so one boot shows them all. */
export function readVars<T extends Record<string, Var<unknown>>>(
  env: Env,
  vars: T,
): { [K in keyof T]: T[K] extends Var<infer U> ? U : never } {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(vars)) {
    const raw = env[name] === '' ? undefined : env[name];
    const value = raw ?? spec.default;
    if (value === undefined) {
      if (spec.optional) out[name] = undefined;
      else problems.push(`${name} is required`);
      continue;
    }
    const parsed = spec.schema.safeParse(value);
    if (parsed.success) out[name] = parsed.data;
    else
      problems.push(
        `${name}=${JSON.stringify(value)}: ${parsed.error.issues.map((i) => i.message).join(', ')}`,
      );
  }
  if (problems.length) throw new ConfigError(problems);
  return out as { [K in keyof T]: T[K] extends Var<infer U> ? U : never };
}

export interface KairosConfig {
  service: ServiceName;
  http: { host: string; port: number; adminToken: string | undefined };
  kafka: {
    brokers: string[];
    clientId: string;
    /** Prefix for every topic and consumer group ('' in production by default). */
    namespace: string;
    /** How many times a failing handler is retried before the message goes to the DLQ. */
    maxAttempts: number;
    retryBackoffMs: number;
    partitionsConsumedConcurrently: number;
  };
  postgres: { url: string; schema: string; migrateOnStart: boolean; poolSize: number };
  redis: { url: string; keyPrefix: string };
  clock: { mode: 'system' | 'controllable' };
  outbox: { pollIntervalMs: number };
}

/** Where the local stack (deploy/local/stack.sh) listens by default. */
export const LOCAL_STACK = {
  kafkaBrokers: '127.0.0.1:19092',
  postgresUrl: 'postgres://kairos:kairos@127.0.0.1:15432/kairos',
  redisUrl: 'redis://127.0.0.1:16379',
} as const;

/** Load the configuration every service shares. */
export function loadConfig(service: ServiceName, env: Env = process.env): KairosConfig {
  const vars = readVars(env, {
    KAIROS_HTTP_HOST: v(z.string().min(1), '127.0.0.1'),
    KAIROS_HTTP_PORT: v(port, String(DEFAULT_HTTP_PORTS[service])),
    KAIROS_ADMIN_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),
    KAIROS_KAFKA_BROKERS: v(
      z
        .string()
        .transform((s) =>
          s
            .split(',')
            .map((b) => b.trim())
            .filter(Boolean),
        )
        .refine(
          (list) => list.length > 0 && list.every((b) => /^[^:\s]+:\d+$/.test(b)),
          'must be host:port[,host:port…]',
        ),
      LOCAL_STACK.kafkaBrokers,
    ),
    KAIROS_NAMESPACE: v(namespace, ''),
    KAIROS_KAFKA_MAX_ATTEMPTS: v(positiveInt, '5'),
    KAIROS_KAFKA_RETRY_BACKOFF_MS: v(positiveInt, '200'),
    KAIROS_KAFKA_PARTITIONS_CONCURRENTLY: v(positiveInt, '3'),
    KAIROS_PG_URL: v(
      z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
      LOCAL_STACK.postgresUrl,
    ),
    KAIROS_PG_SCHEMA: v(pgIdentifier, DEFAULT_PG_SCHEMAS[service]),
    KAIROS_PG_MIGRATE_ON_START: v(bool, 'true'),
    KAIROS_PG_POOL_SIZE: v(positiveInt, '10'),
    KAIROS_REDIS_URL: v(
      z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'),
      LOCAL_STACK.redisUrl,
    ),
    KAIROS_CLOCK: v(z.enum(['system', 'controllable']), 'system'),
    KAIROS_OUTBOX_POLL_MS: v(positiveInt, '200'),
  });
  const ns = vars.KAIROS_NAMESPACE;
  return {
    service,
    http: {
      host: vars.KAIROS_HTTP_HOST,
      port: vars.KAIROS_HTTP_PORT,
      adminToken: vars.KAIROS_ADMIN_TOKEN,
    },
    kafka: {
      brokers: vars.KAIROS_KAFKA_BROKERS,
      clientId: `kairos-${service}`,
      namespace: ns,
      maxAttempts: vars.KAIROS_KAFKA_MAX_ATTEMPTS,
      retryBackoffMs: vars.KAIROS_KAFKA_RETRY_BACKOFF_MS,
      partitionsConsumedConcurrently: vars.KAIROS_KAFKA_PARTITIONS_CONCURRENTLY,
    },
    postgres: {
      url: vars.KAIROS_PG_URL,
      schema: vars.KAIROS_PG_SCHEMA,
      migrateOnStart: vars.KAIROS_PG_MIGRATE_ON_START,
      poolSize: vars.KAIROS_PG_POOL_SIZE,
    },
    redis: { url: vars.KAIROS_REDIS_URL, keyPrefix: ns ? `kairos:${ns}:` : 'kairos:' },
    clock: { mode: vars.KAIROS_CLOCK },
    outbox: { pollIntervalMs: vars.KAIROS_OUTBOX_POLL_MS },
  };
}

/** For service-specific variables, read with the same rules and error messages. */
export function loadExtraConfig<T extends Record<string, Var<unknown>>>(
  vars: T,
  env: Env = process.env,
) {
  return readVars(env, vars);
}

export { bool, port, positiveInt, namespace };
