import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp, type App, type AppDeps } from '../../src/app';
import { parseConfig, type ConfigInput } from '../../src/config';
import { startEngineHost, type EngineHost } from '../../src/engine';
import { postgresOpenerFor } from './postgres';
import { ShopperClient } from './shopper-client';

const ROOT = path.resolve(__dirname, '../..');

/** Business hours with someone always on duty, so tests do not depend on the clock. */
export const ALWAYS_OPEN = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, '00:00-24:00']));

export interface TestServer {
  app: App;
  dataDir: string;
  httpUrl: string;
  socketUrl: string;
  /** Closes the app; keeps the data folder so a test can start again on the same database. */
  stop(): Promise<void>;
}

/** The project's real knowledge base, loaded once per test file. */
export function projectEngineHost(): EngineHost {
  return startEngineHost(
    parseConfig({ knowledgeDir: path.join(ROOT, 'knowledge'), intentsDir: path.join(ROOT, 'intents'), watchKnowledge: false }),
  );
}

const running = new Set<App>();

/** Stops the servers a failed test never reached its `stop()` for, so jest exits and reports the failure. */
export async function stopLeftoverServers(): Promise<void> {
  await Promise.all([...running].map((app) => app.close()));
  running.clear();
}

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'atento-test-'));
}

/** The real app on an ephemeral port with a real SQLite file in a temp folder (a PostgreSQL database of its own under npm run test:pg). */
export async function startTestServer(options: { config?: ConfigInput; dataDir?: string; deps?: AppDeps; port?: number } = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const config = parseConfig({
    port: 0,
    dataDir,
    knowledgeDir: path.join(ROOT, 'knowledge'),
    intentsDir: path.join(ROOT, 'intents'),
    watchKnowledge: false,
    ...options.config,
  });
  // npm run test:pg: the same server on PostgreSQL (test/helpers/postgres.ts).
  const openStore = options.deps?.openStore ?? (await postgresOpenerFor(dataDir, options.deps?.clock));
  const app = createApp(config, { ...options.deps, openStore });
  running.add(app);
  await new Promise<void>((resolve) => app.server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    dataDir,
    httpUrl: `http://127.0.0.1:${port}`,
    socketUrl: `ws://127.0.0.1:${port}/ws/shopper`,
    stop: () => {
      running.delete(app);
      return app.close();
    },
  };
}

/**
 * One server for a whole test file, with the project's knowledge base, and shoppers that are closed
 * after each test. Call at the top level of a test file; the fields are set before the first test.
 */
export interface ShopperServerContext {
  server: TestServer;
  engineHost: EngineHost;
  shopper(): Promise<ShopperClient>;
}

export function useShopperServer(config?: ConfigInput): ShopperServerContext {
  const clients: ShopperClient[] = [];
  const context = {
    async shopper() {
      const client = await ShopperClient.connect(context.server.socketUrl);
      clients.push(client);
      return client;
    },
  } as ShopperServerContext;
  beforeAll(async () => {
    context.engineHost = projectEngineHost();
    context.server = await startTestServer({ deps: { engineHost: context.engineHost }, config });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  afterAll(async () => {
    await context.server.stop();
    context.engineHost.close();
  });
  return context;
}
