import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('when nothing is set, then the original defaults and local services are used', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 8080,
      AWS_REGION: 'us-east-1',
      DYNAMODB_TABLE: 'cloudcafe-store-inventory-dev',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(config.MEMORYDB_ENDPOINT).toBeUndefined();
  });

  it('when values are set, then they are parsed to their types', () => {
    const config = loadConfig({ PORT: '9090', MEMORYDB_ENDPOINT: 'rediss://clustercfg.example.com:6379', CACHE_TTL_SECONDS: '60' });
    expect(config.PORT).toBe(9090);
    expect(config.CACHE_TTL_SECONDS).toBe(60);
    expect(config.MEMORYDB_ENDPOINT).toBe('rediss://clustercfg.example.com:6379');
  });

  it('when metrics settings are absent, then Prometheus is on and CloudWatch off; "true"/"false" switch them', () => {
    expect(loadConfig({})).toMatchObject({ METRICS_ENABLED: true, CLOUDWATCH_METRICS_ENABLED: false, METRICS_FLUSH_SECONDS: 60 });
    expect(loadConfig({ METRICS_ENABLED: 'false', CLOUDWATCH_METRICS_ENABLED: 'true' })).toMatchObject({
      METRICS_ENABLED: false,
      CLOUDWATCH_METRICS_ENABLED: true,
    });
  });

  it('when a variable is empty, then its default applies', () => {
    expect(loadConfig({ PORT: '' }).PORT).toBe(8080);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['AWS_REGION', 'mars'],
    ['DYNAMODB_TABLE', 'a b'],
    ['MEMORYDB_ENDPOINT', 'http://x'],
    ['DYNAMODB_ENDPOINT', 'not a url'],
    ['LOG_LEVEL', 'loud'],
    ['CLOUDWATCH_METRICS_ENABLED', 'yes please'],
    ['METRICS_FLUSH_SECONDS', '0'],
    ['WEBHOOK_SECRET_KEY', 'c2hvcnQ='],
  ])('when %s is %p, then loading fails naming that variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name} .*got "${value}"`));
  });

  it('when APP_ENV is not local, then a webhook secret key is required, named; locally a development key stands in', () => {
    expect(() => loadConfig({ APP_ENV: 'prod' })).toThrow(/WEBHOOK_SECRET_KEY is required when APP_ENV is not local/);
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ APP_ENV: 'prod', WEBHOOK_SECRET_KEY: key }).WEBHOOK_SECRET_KEY).toBe(key);
    expect(loadConfig({}).WEBHOOK_SECRET_KEY).toBeUndefined();
  });

  it('when only one of REDIS_USERNAME and REDIS_PASSWORD is set, then loading fails naming the missing one; both together load', () => {
    expect(() => loadConfig({ REDIS_USERNAME: 'inventory' })).toThrow(/REDIS_PASSWORD is required with REDIS_USERNAME/);
    expect(() => loadConfig({ REDIS_PASSWORD: 'a-long-enough-password' })).toThrow(/REDIS_USERNAME is required with/);
    expect(loadConfig({ REDIS_USERNAME: 'inventory', REDIS_PASSWORD: 'a-long-enough-password' })).toMatchObject({
      REDIS_USERNAME: 'inventory',
      REDIS_PASSWORD: 'a-long-enough-password',
    });
  });

  it('when two variables are bad, then both are named', () => {
    expect(() => loadConfig({ PORT: '-1', LOG_LEVEL: 'x' })).toThrow(/PORT.*LOG_LEVEL/);
  });
});
