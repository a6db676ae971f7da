import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import type { Config } from './config';

/**
 * The entry point that listens: `atento serve` (npm start) calls serve(); running this file
 * directly does the same. Everything else builds apps without listening (see src/app.ts).
 */
export async function serve(config: Config): Promise<void> {
  const log = (line: string) => console.log(`[atento] ${line}`);
  const app = createApp(config, { log });
  await new Promise<void>((resolve, reject) => {
    app.server.once('error', reject);
    app.server.listen(config.port, config.host, () => resolve());
  });
  const { port } = app.server.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  log(`database ${config.databaseFile}`);
  log(`listening on http://${shownHost}:${port}/ (demo shop; widget at /widget.js; health at /healthz)`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: closing sockets and the database`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
