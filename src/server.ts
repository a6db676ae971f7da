import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { connectRedisBus, type Bus } from './bus';
import type { Config } from './config';
import { createLogger } from './observability';
import { describeDatabase, prepareConfiguredStore, type StoreOpener } from './store/open';

/**
 * The entry point that listens: `atento serve` (npm start) calls serve(); running this file
 * directly does the same. Everything else builds apps without listening (see src/app.ts).
 * Resolves with 0 once listening, or 1 when the database cannot be opened (logged).
 */
export async function serve(config: Config): Promise<number> {
  const log = createLogger(config.logLevel);
  // Before anything listens: a node that cannot reach Redis must not serve as if it were alone. First,
  // because a failure there leaves nothing open (the database's pool would have to be closed).
  let bus: Bus | null = null;
  try {
    bus = config.redisUrl ? await connectRedisBus({ url: config.redisUrl, onError: (error) => log.error({ err: error }, 'redis bus') }) : null;
  } catch (error) {
    // The message names the URL without its password, the time waited and the reason.
    log.fatal({ err: error }, 'redis unavailable: not starting');
    return 1;
  }
  // PostgreSQL opens (and migrates) asynchronously, before the app is built; SQLite opens inside createApp.
  let openStore: StoreOpener | undefined;
  try {
    openStore = config.databaseUrl ? await prepareConfiguredStore(config) : undefined;
  } catch (error) {
    // The message names the URL without its password and what went wrong (unreachable, refused, a failed migration).
    log.fatal({ err: error }, 'database unavailable: not starting');
    await bus?.close();
    return 1;
  }
  let app: ReturnType<typeof createApp>;
  try {
    app = createApp(config, { logger: log, openStore, sharedBus: bus ?? undefined });
  } catch (error) {
    const problem = dataDirProblem(error as NodeJS.ErrnoException, config);
    if (!problem) throw error;
    log.fatal({ code: (error as NodeJS.ErrnoException).code }, problem);
    await bus?.close();
    return 1;
  }
  try {
    await new Promise<void>((resolve, reject) => {
      app.server.once('error', reject);
      app.server.listen(config.port, config.host, () => resolve());
    });
  } catch (error) {
    log.fatal({ code: (error as NodeJS.ErrnoException).code }, cannotListen(error as NodeJS.ErrnoException, config));
    await app.close();
    await bus?.close();
    return 1;
  }
  const { port } = app.server.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  log.info({ ...describeDatabase(config), metrics: Boolean(config.metrics.token) }, 'database opened');
  if (bus) log.info({ cluster: config.cluster, nodeId: bus.nodeId }, 'connected to Redis');
  log.info({ port }, `listening on http://${shownHost}:${port}/ (demo shop; widget at /widget.js; health at /healthz)`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'closing sockets and the database');
    app
      .close()
      .then(() => bus?.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log.fatal({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return 0;
}

/** A data folder the server cannot create or write (permissions, a file in the way, a full disk), in one line. */
function dataDirProblem(error: NodeJS.ErrnoException, config: Config): string | null {
  const cannot = ['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'EEXIST', 'ENOSPC', 'SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_FULL', 'SQLITE_NOTADB'];
  if (!cannot.includes(String(error.code))) return null;
  const what = error.path ? `${error.code} on ${error.path}` : `${error.code}: ${error.message}`;
  if (String(error.code).startsWith('SQLITE_')) return `cannot open the database ${config.databaseFile} (${what}): fix or move that file, or set ATENTO_DATA_DIR (or ATENTO_DB_FILE) elsewhere`;
  return `cannot use the data folder ${config.dataDir} (${what}): make it a folder this user can write, or set ATENTO_DATA_DIR to one`;
}

/** One line an operator can act on, instead of a stack trace. */
function cannotListen(error: NodeJS.ErrnoException, config: Config): string {
  const where = `${config.host}:${config.port}`;
  if (error.code === 'EADDRINUSE') return `cannot listen on ${where}: the port is in use (another Atento, or another program); stop it or set PORT to a free one`;
  if (error.code === 'EACCES') return `cannot listen on ${where}: not allowed (ports below 1024 need privileges); set PORT to 1024 or above`;
  return `cannot listen on ${where}: ${error.message}`;
}
