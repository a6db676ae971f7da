import { redactUrl } from '../../src/observability';

describe('connection URLs in logs', () => {
  it('hides a password written in the user part or in the query', () => {
    expect(redactUrl('postgres://atento:s3cret@db:5432/atento')).toBe('postgres://atento:***@db:5432/atento');
    expect(redactUrl('postgres://atento@db:5432/atento?password=s3cret&sslmode=require')).toBe('postgres://atento@db:5432/atento?password=***&sslmode=require');
    expect(redactUrl('rediss://:s3cret@cache:6380/0')).toBe('rediss://:***@cache:6380/0');
    expect(redactUrl('not a url s3cret')).not.toContain('s3cret');
  });
});
