import type { Browser } from 'playwright-core';
import type { ConfigInput } from '../../src/config';
import type { EngineHost } from '../../src/engine';
import { projectEngineHost, startTestServer, type TestServer } from './app';
import { launchChromium } from './browser';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildWeb } = require('../../scripts/build-web.js') as { buildWeb: (options: { quiet: boolean }) => Promise<unknown> };

export interface BrowserServerContext {
  server: TestServer;
  browser: Browser;
  engineHost: EngineHost;
}

/** One real server and one headless Chromium per test file, with the current widget and console built. */
export function useBrowserServer(config: () => ConfigInput | Promise<ConfigInput> = () => ({})): BrowserServerContext {
  const context = {} as BrowserServerContext;
  beforeAll(async () => {
    await buildWeb({ quiet: true });
    context.engineHost = projectEngineHost();
    context.server = await startTestServer({ config: await config(), deps: { engineHost: context.engineHost } });
    context.browser = await launchChromium();
  });
  afterAll(async () => {
    await context.browser?.close();
    await context.server?.stop();
    context.engineHost?.close();
  });
  return context;
}
