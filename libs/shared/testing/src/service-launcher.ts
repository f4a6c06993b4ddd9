import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_PG_SCHEMAS, type ServiceName } from '@kairos/config';
import { freePort } from './free-port';
import { waitFor } from './wait-for';

export const SERVICE_NAMES: readonly ServiceName[] = [
  'ingest',
  'identity-resolution',
  'segmentation',
  'recommender',
  'trigger-scheduler',
  'renderer',
];

/**
 * The repository root (the folder with nx.json), found from this file whether it runs from
 * source (tests) or from a build under dist/ (the demo).
 */
export function findWorkspaceRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no nx.json above ${from}`);
  }
}

const WORKSPACE_ROOT = findWorkspaceRoot();

/** Where `nx run <service>:build` puts a service's entry point. */
export function builtEntryPoint(service: ServiceName, root = WORKSPACE_ROOT): string {
  return join(root, 'dist/apps', service, 'apps', service, 'src/main.js');
}

export interface LaunchOptions {
  /** Environment for every service (namespace, tokens, OTLP endpoint, …). */
  env: Record<string, string>;
  /** Extra environment per service. */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Each service gets Postgres schema `<schemaPrefix>_<its default schema>` (isolation per run). */
  schemaPrefix?: string;
  /** Folder for one log file per service. */
  logDir: string;
  services?: readonly ServiceName[];
}

export interface LaunchedService {
  name: ServiceName;
  url: string;
  process: ChildProcess;
  logFile: string;
}

export interface LaunchedPlatform {
  services: Record<ServiceName, LaunchedService>;
  /** SIGTERM every service and wait for it to exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** The tail of a service's log, for failure messages. */
  logTail(name: ServiceName, lines?: number): string;
}

/**
 * Start the built services as separate processes — the way they run in production — each on
 * a free loopback port, and wait until every one answers /health.
 */
export async function launchServices(options: LaunchOptions): Promise<LaunchedPlatform> {
  const names = options.services ?? SERVICE_NAMES;
  mkdirSync(options.logDir, { recursive: true });
  for (const name of names) {
    if (!existsSync(builtEntryPoint(name))) {
      throw new Error(
        `${builtEntryPoint(name)} is missing: build the services first (npx nx run-many -t build)`,
      );
    }
  }
  const services = {} as Record<ServiceName, LaunchedService>;
  for (const name of names) {
    const port = await freePort();
    const logFile = join(options.logDir, `${name}.log`);
    const log = createWriteStream(logFile, { flags: 'a' });
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      ...options.env,
      ...(options.schemaPrefix
        ? { KAIROS_PG_SCHEMA: `${options.schemaPrefix}_${DEFAULT_PG_SCHEMAS[name]}` }
        : {}),
      ...options.serviceEnv?.[name],
      KAIROS_HTTP_HOST: '127.0.0.1',
      KAIROS_HTTP_PORT: String(port),
    };
    const child = spawn(process.execPath, ['--enable-source-maps', builtEntryPoint(name)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    services[name] = { name, url: `http://127.0.0.1:${port}`, process: child, logFile };
  }

  const platform: LaunchedPlatform = {
    services,
    logTail: (name, lines = 40) => {
      try {
        return readFileSync(services[name].logFile, 'utf8').split('\n').slice(-lines).join('\n');
      } catch {
        return '(no log)';
      }
    },
    stop: async () => {
      await Promise.all(Object.values(services).map((s) => stopProcess(s.process)));
    },
  };

  try {
    await Promise.all(
      Object.values(services).map((s) =>
        waitFor(
          async () => {
            if (s.process.exitCode !== null) {
              throw new Error(
                `${s.name} exited with code ${s.process.exitCode}:\n${platform.logTail(s.name)}`,
              );
            }
            const response = await fetch(`${s.url}/health`);
            return response.ok;
          },
          { timeoutMs: 60_000, intervalMs: 200, description: `${s.name} to answer /health` },
        ),
      ),
    );
  } catch (error) {
    await platform.stop();
    throw error;
  }
  return platform;
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}
