#!/usr/bin/env node
'use strict';
/**
 * A throwaway PostgreSQL server for tests and benchmarks: Debian's PostgreSQL binaries (package
 * `postgresql`) run in a fresh temporary folder on a free loopback port, then stopped and the folder
 * deleted. test/helpers/postgres.ts uses it; from the shell:
 *
 *   node scripts/throwaway-postgres.js [--durable]
 *
 * prints `ATENTO_DATABASE_URL=postgres://…` and keeps the server until Ctrl-C (or SIGTERM).
 *
 * initdb and postgres refuse to run as root: as root (CI, containers) they run as the `postgres` system
 * user that the Debian package creates, in a folder handed over to it; as any other user they run as that
 * user. Authentication is `trust`, which is acceptable only because the server listens on 127.0.0.1 alone
 * and lives for one test run.
 */
const { execFile, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { promisify } = require('node:util');

const run = promisify(execFile);
const DEFAULT_START_TIMEOUT_SECONDS = 30;
const SUPERUSER = 'postgres';

/**
 * For throwaway test instances ONLY: nothing is flushed to disk (fsync=off), so a machine crash would
 * corrupt the cluster. That is fine for data that is deleted at the end of the run and never for a real
 * database. `durable: true` keeps PostgreSQL's own defaults, for benchmarks that should cost what
 * production costs.
 */
const FAST_SETTINGS = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];
const COMMON_SETTINGS = ['listen_addresses=127.0.0.1', 'max_connections=300', 'shared_buffers=64MB', 'log_min_messages=warning'];

/** The folder holding initdb, pg_ctl and postgres: $ATENTO_PG_BIN_DIR, else Debian's newest, else $PATH. */
function binDir() {
  if (process.env.ATENTO_PG_BIN_DIR) return process.env.ATENTO_PG_BIN_DIR;
  const debian = '/usr/lib/postgresql';
  const versions = fs.existsSync(debian) ? fs.readdirSync(debian).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const dir = path.join(debian, version, 'bin');
    if (fs.existsSync(path.join(dir, 'initdb'))) return dir;
  }
  return '';
}

function binary(name) {
  const dir = binDir();
  return dir ? path.join(dir, name) : name;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** The command line that runs a PostgreSQL binary as a user it accepts (see the header). */
function asServerUser(name, args) {
  return isRoot() ? ['runuser', ['-u', SUPERUSER, '--', binary(name), ...args]] : [binary(name), args];
}

function handOver(dir) {
  if (!isRoot()) return;
  let ids;
  try {
    ids = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, SUPERUSER], { encoding: 'utf8' }).trim()));
  } catch {
    throw new Error(
      `throwaway PostgreSQL: running as root, and there is no "${SUPERUSER}" system user to run initdb and postgres as ` +
        '(install the Debian package "postgresql", which creates it, or run the tests as a normal user)',
    );
  }
  fs.chownSync(dir, ids[0], ids[1]);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function runServerTool(name, args, timeoutMs) {
  const [command, commandArgs] = asServerUser(name, args);
  try {
    return await run(command, commandArgs, { timeout: timeoutMs, encoding: 'utf8' });
  } catch (error) {
    if (error.code === 'ENOENT') {
      throw new Error(
        `throwaway PostgreSQL: ${command} not found; install the Debian package "postgresql" ` +
          '(apt-get install postgresql) or set ATENTO_PG_BIN_DIR to the folder holding initdb, pg_ctl and postgres',
      );
    }
    throw error;
  }
}

function tail(file, lines = 20) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}

/**
 * Starts a server and resolves once it accepts connections.
 * @param {{ timeoutSeconds?: number, durable?: boolean }} [options]
 * @returns {Promise<{ host: string, port: number, dir: string, adminUrl: string, urlFor(database: string): string, createDatabase(name?: string): Promise<string>, stop(): Promise<void> }>}
 */
async function startPostgres(options = {}) {
  const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_START_TIMEOUT_SECONDS;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atento-pg-'));
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  let started = false;
  // Retries: the server's last processes may still be removing files of their own as the folder goes.
  const removeFolder = () => fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  // Last resort if the process exits without stop(): the server must not outlive the run.
  const stopOnExit = () => {
    if (started) {
      try {
        const [command, args] = asServerUser('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '10']);
        execFileSync(command, args, { stdio: 'ignore' });
      } catch {
        // already stopped
      }
    }
    removeFolder();
  };
  process.once('exit', stopOnExit);

  try {
    handOver(dir);
    await runServerTool(
      'initdb',
      ['-D', dataDir, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync', '--no-instructions'],
      timeoutSeconds * 1000,
    );
    const settings = [...COMMON_SETTINGS, ...(options.durable ? [] : FAST_SETTINGS)];
    let port = 0;
    // A port found free can be taken before the server binds it: try another one a few times.
    for (let attempt = 1; ; attempt += 1) {
      port = await freePort();
      const serverOptions = [`-p ${port}`, `-k ${dir}`, ...settings.map((setting) => `-c ${setting}`)].join(' ');
      started = true; // until proven otherwise: a start that timed out may still be coming up
      try {
        await runServerTool('pg_ctl', ['start', '-D', dataDir, '-l', logFile, '-w', '-t', String(timeoutSeconds), '-o', serverOptions], (timeoutSeconds + 5) * 1000);
        break;
      } catch (error) {
        const log = tail(logFile);
        if (attempt < 3 && /could not bind|already in use/i.test(log)) {
          started = false;
          continue;
        }
        throw new Error(
          `throwaway PostgreSQL did not start within ${timeoutSeconds} s on 127.0.0.1:${port} ` +
            `(${String(error.stderr || error.message).trim()}); server log ${logFile}:\n${log}`,
        );
      }
    }

    const host = '127.0.0.1';
    const urlFor = (database) => `postgres://${SUPERUSER}@${host}:${port}/${database}`;
    let created = 0;
    return {
      host,
      port,
      dir,
      adminUrl: urlFor('postgres'),
      urlFor,
      /** A new, empty database; its URL. */
      async createDatabase(name = `atento_${process.pid}_${Date.now().toString(36)}_${(created += 1)}`) {
        if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`throwaway PostgreSQL: database name "${name}" must be lowercase letters, digits and _`);
        const { Client } = require('pg');
        const client = new Client({ connectionString: urlFor('postgres') });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE ${name}`);
        } finally {
          await client.end();
        }
        return urlFor(name);
      },
      async stop() {
        process.removeListener('exit', stopOnExit);
        try {
          if (started) await runServerTool('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '30'], 35_000);
        } finally {
          started = false;
          removeFolder();
        }
      },
    };
  } catch (error) {
    process.removeListener('exit', stopOnExit);
    stopOnExit();
    throw error;
  }
}

module.exports = { startPostgres };

if (require.main === module) {
  const durable = process.argv.includes('--durable');
  startPostgres({ durable }).then(
    async (server) => {
      const url = await server.createDatabase('atento');
      process.stdout.write(`ATENTO_DATABASE_URL=${url}\n`);
      process.stderr.write(`throwaway PostgreSQL in ${server.dir}${durable ? '' : ' (fsync off: test data only)'}; Ctrl-C stops it and deletes the folder\n`);
      const keepAlive = setInterval(() => {}, 1 << 30); // the server lives until a signal
      const stop = () => clearInterval(keepAlive) || server.stop().then(() => process.exit(0), (error) => (console.error(error), process.exit(1)));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
