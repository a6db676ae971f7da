import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startTestRedis, type TestRedis } from '../helpers/redis';
import { ensureBundle, runCli } from '../cli/run-cli';
import { freePort } from '../helpers/ports';

const root = path.join(__dirname, '..', '..');
const SESSION_SECRET = 'a-session-secret-shared-by-every-node';
let dataDir: string;
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atento-serve-'));
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('atento serve with Redis', () => {
  it('refuses to start a cluster node without ATENTO_REDIS_URL, saying what Redis is for', () => {
    const { code, stderr } = runCli(['serve'], { env: { ATENTO_CLUSTER: 'on', ATENTO_SESSION_SECRET: SESSION_SECRET, ATENTO_DATABASE_URL: 'postgres://db.internal/atento', ATENTO_DATA_DIR: dataDir, PORT: '0' } });
    expect(code).toBe(2);
    expect(stderr).toContain('cluster is on (ATENTO_CLUSTER: several nodes) but redisUrl is not set: set ATENTO_REDIS_URL=redis://host:6379');
    expect(fs.readdirSync(dataDir)).toEqual([]); // stopped before opening anything
  });

  it('refuses to start when Redis is unreachable: one fatal log line naming the URL (password hidden) and the reason, exit code 1', async () => {
    const port = await freePort();
    const { code, stdout } = runCli(['serve'], { env: { ATENTO_SESSION_SECRET: SESSION_SECRET, ATENTO_REDIS_URL: `redis://:hunter2@127.0.0.1:${port}`, ATENTO_DATA_DIR: dataDir, PORT: '0' } });
    expect(code).toBe(1);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as { level: number; msg: string; err?: { message: string; code: string } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 60, msg: 'redis unavailable: not starting', err: { code: 'ATENTO_ERR_REDIS_UNREACHABLE' } });
    expect(lines[0]!.err!.message).toMatch(
      new RegExp(`^atento: cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port} \\(ATENTO_REDIS_URL\\) within 5000 ms: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\. Check that Redis is running`),
    );
    expect(stdout).not.toContain('hunter2');
    expect(fs.readdirSync(dataDir)).toEqual([]); // nothing opened
  });

  describe('with Redis running', () => {
    let redis: TestRedis;
    beforeAll(async () => {
      redis = await startTestRedis();
    });
    afterAll(async () => {
      await redis?.remove();
    });

    it('connects before listening and closes the connection on SIGTERM', async () => {
      const child = spawn(process.execPath, [ensureBundle(), 'serve'], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', ATENTO_SESSION_SECRET: SESSION_SECRET, ATENTO_REDIS_URL: redis.url, ATENTO_DATA_DIR: dataDir, PORT: '0', ATENTO_WATCH_KNOWLEDGE: 'false' },
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        await waitFor(() => stdout.includes('listening on http://'), 15_000);
        const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as { msg: string; nodeId?: string; cluster?: boolean });
        const connected = lines.find((line) => line.msg === 'connected to Redis');
        expect(connected).toMatchObject({ cluster: false, nodeId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
        expect(lines.findIndex((line) => line.msg === 'connected to Redis')).toBeLessThan(lines.findIndex((line) => line.msg.startsWith('listening on')));
        expect(await redisClients(redis.port)).toBe(2 + 1); // the node's two connections and this probe
      } finally {
        child.kill('SIGTERM');
      }
      expect(await exited).toBe(0);
      expect(await redisClients(redis.port)).toBe(1);
    });
  });
});

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Clients connected to Redis (CLIENT LIST over raw RESP), this probe included. */
function redisClients(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write('CLIENT LIST\r\n'));
    let reply = '';
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      const header = /^\$(\d+)\r\n/.exec(reply);
      if (header && reply.length >= header[0].length + Number(header[1])) {
        socket.destroy();
        resolve(reply.slice(header[0].length).trim().split('\n').length);
      }
    });
    socket.on('error', reject);
  });
}

