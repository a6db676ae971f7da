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

  it('rejects a misspelled variable, naming it and the known ones', () => {
    expect(() => loadConfig({ ATENTO_DATADIR: 'x' })).toThrow(/unknown environment variable ATENTO_DATADIR; known ones are .*ATENTO_DATA_DIR/);
  });

  it('explains a bad value with its field', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/port/);
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
  it('takes a redis:// or rediss:// URL; several nodes (ATENTO_CLUSTER) refuse to start without one or without a shared session secret', () => {
    expect(loadConfig({}).cluster).toBe(false);
    expect(loadConfig({}).redisUrl).toBeUndefined();
    expect(loadConfig({ ATENTO_REDIS_URL: 'rediss://:pw@cache.example:6380/2', ATENTO_CLUSTER: 'on', ATENTO_SESSION_SECRET: SECRET })).toMatchObject({
      cluster: true,
      redisUrl: 'rediss://:pw@cache.example:6380/2',
    });
    expect(loadConfig({ ATENTO_REDIS_URL: 'redis://127.0.0.1:6379' })).toMatchObject({ cluster: false });
    for (const url of ['http://cache.example:6379', 'cache.example:6379', 'redis://', 'redis://cache.example/db0']) {
      expect(() => loadConfig({ ATENTO_REDIS_URL: url })).toThrow(/use redis:\/\/\[user:password@\]host:6379\[\/db\], or rediss:\/\/… for TLS\n  → at redisUrl/);
    }
    expect(() => loadConfig({ ATENTO_CLUSTER: 'on', ATENTO_SESSION_SECRET: SECRET })).toThrow(
      /cluster is on \(ATENTO_CLUSTER: several nodes\) but redisUrl is not set: set ATENTO_REDIS_URL=redis:\/\/host:6379, .*\n  → at redisUrl/,
    );
    // Each node would generate its own: a shopper's session from one node would fail on the next.
    expect(() => loadConfig({ ATENTO_CLUSTER: 'on', ATENTO_REDIS_URL: 'redis://cache.example:6379' })).toThrow(
      /cluster is on \(ATENTO_CLUSTER: several nodes\) but sessionSecret is not set: set ATENTO_SESSION_SECRET to the same 32\+ random characters on every node .*\n  → at sessionSecret/,
    );
    expect(() => loadConfig({ ATENTO_CLUSTER: 'maybe' })).toThrow(/cluster/);
  });
});
