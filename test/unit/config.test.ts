import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, parseConfig, ConfigError } from '../../src/config';

describe('config', () => {
  it('applies defaults, derives the database file and freezes the result', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, dataDir: './data', databaseFile: 'data/atento.db', defaultLanguage: 'es' });
    expect(config.matching.answerThreshold).toBeGreaterThan(0);
    expect(Object.isFrozen(config.matching)).toBe(true);
  });

  it('reads PORT and ATENTO_* variables', () => {
    const config = loadConfig({ PORT: '8080', ATENTO_DATA_DIR: '/tmp/x', ATENTO_ALLOWED_ORIGINS: 'https://a.example, https://b.example', ATENTO_WATCH_KNOWLEDGE: 'false' });
    expect(config).toMatchObject({ port: 8080, databaseFile: '/tmp/x/atento.db', allowedOrigins: ['https://a.example', 'https://b.example'], watchKnowledge: false });
  });

  it('reads ATENTO_TRUSTED_PROXIES: IP addresses and CIDR ranges only', () => {
    expect(loadConfig({ ATENTO_TRUSTED_PROXIES: '172.28.0.10, 10.0.0.0/24,fd00::/8' }).trustedProxies).toEqual(['172.28.0.10', '10.0.0.0/24', 'fd00::/8']);
    expect(loadConfig({}).trustedProxies).toEqual([]);
    for (const wrong of ['nginx', '10.0.0.0/33', '10.0.0.1/24/1', '300.1.1.1']) {
      expect(() => loadConfig({ ATENTO_TRUSTED_PROXIES: wrong })).toThrow(/use an IP address such as "10.0.0.5"[\s\S]*trustedProxies/);
    }
  });

  it('reads ATENTO_DATABASE_URL: a postgres:// or postgresql:// URL only, and not together with a SQLite file', () => {
    expect(loadConfig({ ATENTO_DATABASE_URL: 'postgres://atento:s3cret@db.internal:5432/atento' }).databaseUrl).toBe('postgres://atento:s3cret@db.internal:5432/atento');
    expect(loadConfig({ ATENTO_DATABASE_URL: 'postgresql://db.internal/atento' }).databaseUrl).toBe('postgresql://db.internal/atento');
    expect(loadConfig({}).databaseUrl).toBeUndefined();
    for (const wrong of ['mysql://db.internal/atento', 'db.internal:5432', 'postgres://']) {
      expect(() => loadConfig({ ATENTO_DATABASE_URL: wrong })).toThrow(/use postgres:\/\/user:password@host:5432\/database[\s\S]*databaseUrl/);
    }
    expect(() => loadConfig({ ATENTO_DATABASE_URL: 'postgres://db.internal/atento', ATENTO_DB_FILE: '/tmp/atento.db' })).toThrow('atento: set either ATENTO_DATABASE_URL (databaseUrl, PostgreSQL) or ATENTO_DB_FILE (databaseFile, SQLite), not both');
    // The error names the key and the fix, never the value (which holds the password).
    const message = (() => {
      try {
        loadConfig({ ATENTO_DATABASE_URL: 'mysql://atento:s3cret@db/atento' });
        return 'no error';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(/databaseUrl/);
    expect(message).not.toContain('s3cret');
  });

  it('rejects a misspelled variable, naming it, the one it was probably meant to be, and the known ones', () => {
    expect(() => loadConfig({ ATENTO_DATADIR: 'x' })).toThrow(/unknown environment variable ATENTO_DATADIR \(did you mean ATENTO_DATA_DIR\?\); known ones are .*ATENTO_DATA_DIR/);
    expect(() => loadConfig({ ATENTO_SHOP_NAEM: 'x' })).toThrow(/ATENTO_SHOP_NAEM \(did you mean ATENTO_SHOP_NAME\?\)/);
    expect(() => loadConfig({ ATENTO_WEBHOOK: 'x' })).toThrow(/unknown environment variable ATENTO_WEBHOOK; known/);
  });

  it('points a config file that is not JSON at the line and column, as an editor shows them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atento-config-'));
    const file = path.join(dir, 'atento.json');
    fs.writeFileSync(file, '{\n  "port": 3000,\n  "shopName": "Luna",,\n}\n');
    try {
      expect(() => loadConfig({ ATENTO_CONFIG: file })).toThrow(/is not valid JSON: .* \(line 3, column 22\)$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains a bad value with its field, and the environment variable that set it', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/✖ a port number from 0 to 65535 \(0: any free port\)\n  → at port\n\(set by the environment variable PORT: fix or unset it\)/);
    expect(() => loadConfig({ ATENTO_ALLOWED_ORIGINS: 'https://shop.example/' })).toThrow('"https://shop.example/" is not an origin: use the scheme and host only, such as "https://shop.example" (no path, no trailing slash)');
    // A list's item is named by its index; the variable is the list's.
    expect(() => loadConfig({ ATENTO_ALLOWED_ORIGINS: 'shop.example' })).toThrow(/\(set by the environment variable ATENTO_ALLOWED_ORIGINS: fix or unset it\)/);
    // One message for a malformed range, not a second one about its order.
    expect(() => parseConfig({ handoff: { businessHours: { mon: '9-18' } } })).toThrow(/^atento: invalid config:\n✖ use "HH:MM-HH:MM", e.g. "09:00-18:00"\n  → at handoff.businessHours.mon$/);
    expect(() => parseConfig({ handoff: { timeZone: 'Mars/Olympus' } })).toThrow(/not a time zone name/);
    expect(() => parseConfig({ sessionSecret: 'short' })).toThrow(/at least 32 characters/);
  });

  it('logs at info and serves no /metrics unless a metrics token of 32+ characters is set', () => {
    expect(loadConfig({})).toMatchObject({ logLevel: 'info', metrics: {} });
    const config = loadConfig({ ATENTO_LOG_LEVEL: 'debug', ATENTO_METRICS_TOKEN: 'x'.repeat(32) });
    expect(config).toMatchObject({ logLevel: 'debug', metrics: { token: 'x'.repeat(32) } });
    expect(() => loadConfig({ ATENTO_METRICS_TOKEN: 'secret' })).toThrow(/at least 32 characters[\s\S]*metrics\.token/);
    expect(() => loadConfig({ ATENTO_LOG_LEVEL: 'verbose' })).toThrow(/logLevel/);
    expect(() => parseConfig({ limits: { maxTurnWaitMs: 0 } })).toThrow(/maxTurnWaitMs/);
  });

  const SECRET = 's'.repeat(32);
  const DATABASE = 'postgres://atento:pw@db.internal:5432/atento';
  it('takes a redis:// or rediss:// URL; several nodes (ATENTO_CLUSTER) refuse to start without one, without PostgreSQL or without a shared session secret', () => {
    expect(loadConfig({}).cluster).toBe(false);
    expect(loadConfig({}).redisUrl).toBeUndefined();
    expect(loadConfig({ ATENTO_REDIS_URL: 'rediss://:pw@cache.example:6380/2', ATENTO_CLUSTER: 'on', ATENTO_SESSION_SECRET: SECRET, ATENTO_DATABASE_URL: DATABASE })).toMatchObject({
      cluster: true,
      redisUrl: 'rediss://:pw@cache.example:6380/2',
    });
    expect(loadConfig({ ATENTO_REDIS_URL: 'redis://127.0.0.1:6379' })).toMatchObject({ cluster: false });
    for (const url of ['http://cache.example:6379', 'cache.example:6379', 'redis://', 'redis://cache.example/db0']) {
      expect(() => loadConfig({ ATENTO_REDIS_URL: url })).toThrow(/use redis:\/\/\[user:password@\]host:6379\[\/db\], or rediss:\/\/… for TLS\n  → at redisUrl/);
    }
    expect(() => loadConfig({ ATENTO_CLUSTER: 'on', ATENTO_SESSION_SECRET: SECRET, ATENTO_DATABASE_URL: DATABASE })).toThrow(
      /cluster is on \(ATENTO_CLUSTER: several nodes\) but redisUrl is not set: set ATENTO_REDIS_URL=redis:\/\/host:6379, .*\n  → at redisUrl/,
    );
    // Each node would generate its own: a shopper's session from one node would fail on the next.
    // A SQLite file per node: each would have its own conversations.
    expect(() => loadConfig({ ATENTO_CLUSTER: 'on', ATENTO_REDIS_URL: 'redis://cache.example:6379', ATENTO_SESSION_SECRET: SECRET })).toThrow(
      /cluster is on \(ATENTO_CLUSTER: several nodes\) but databaseUrl is not set: set ATENTO_DATABASE_URL=postgres:\/\/user:password@host:5432\/atento on every node .*\n  → at databaseUrl/,
    );
    expect(() => loadConfig({ ATENTO_CLUSTER: 'on', ATENTO_REDIS_URL: 'redis://cache.example:6379', ATENTO_DATABASE_URL: DATABASE })).toThrow(
      /cluster is on \(ATENTO_CLUSTER: several nodes\) but sessionSecret is not set: set ATENTO_SESSION_SECRET to the same 32\+ random characters on every node .*\n  → at sessionSecret/,
    );
    expect(() => loadConfig({ ATENTO_CLUSTER: 'maybe' })).toThrow(/cluster/);
  });
});
