import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';

describe('configuration', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: undefined,
      dataDir: './.data',
      storageDir: './.data/files',
      logLevel: 'info',
      seedSample: true,
      seedDemo: true,
      demoPassword: undefined,
      cookieSecure: false,
      sessionIdleMinutes: 480,
      sessionAbsoluteMinutes: 10080,
      trustProxy: false,
      uploadMaxMb: 20,
      jsonBodyMaxKb: 1024,
      statementTimeoutMs: 5000,
      longStatementTimeoutMs: 120000,
      databasePoolMax: 10,
      databasePoolWaitMs: 3000,
      timeZone: 'Asia/Shanghai',
      publicityDays: 7,
      publicityObjectionsTo: undefined,
      acceptanceLevels: ['county', 'city'],
      recheckMonths: [6, 12],
      supervisionDays: [30, 60, 90],
      clueDispatchDays: 5,
      verifyDays: 15,
    });
  });

  it('reads the workflow settings and refuses lists out of order or of the wrong length', () => {
    const c = loadConfig({ ACCEPTANCE_LEVELS: 'county, city, province', RECHECK_MONTHS: '3,6,12', SUPERVISION_DAYS: '10,20,40', PUBLICITY_DAYS: '5' });
    expect([c.acceptanceLevels, c.recheckMonths, c.supervisionDays, c.publicityDays]).toEqual([['county', 'city', 'province'], [3, 6, 12], [10, 20, 40], 5]);
    expect(() => loadConfig({ ACCEPTANCE_LEVELS: 'city,county' })).toThrow(/ACCEPTANCE_LEVELS="city,county": levels must be in the order county, city, province/);
    expect(() => loadConfig({ ACCEPTANCE_LEVELS: 'county' })).toThrow(/must include city/);
    expect(() => loadConfig({ RECHECK_MONTHS: '12,6' })).toThrow(/RECHECK_MONTHS="12,6": numbers must increase/);
    expect(() => loadConfig({ SUPERVISION_DAYS: '30,60' })).toThrow(/SUPERVISION_DAYS="30,60": must be three numbers of days/);
    expect(() => loadConfig({ SUPERVISION_DAYS: 'soon' })).toThrow(/must be whole numbers separated by commas/);
  });

  it('treats empty values as unset, as in .env.example', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: ' ', STORAGE_DIR: '', SEED_SAMPLE: '' }).port).toBe(8080);
  });

  it('moves the file store with DATA_DIR and seeds only the embedded database by default', () => {
    const c = loadConfig({ DATA_DIR: '/srv/portal/', DATABASE_URL: 'postgres://u:p@db/portal' });
    expect(c.storageDir).toBe('/srv/portal/files');
    expect(c.seedSample).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db/p', SEED_SAMPLE: 'true' }).seedSample).toBe(true);
  });

  it('lists every bad key in one message, never echoing a connection URL', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: '80a', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://root:secret@db/x', SEED_SAMPLE: 'maybe' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      [
        'Invalid configuration:',
        '  - PORT="80a": must be a number',
        '  - DATABASE_URL=(value hidden): must be a postgres:// or postgresql:// URL',
        '  - LOG_LEVEL="loud": must be one of debug, info, warn, error, silent',
        '  - SEED_SAMPLE="maybe": must be true or false',
      ].join('\n'),
    );
  });

  it('refuses a port out of range', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow('PORT="70000": must be between 1 and 65535');
  });
});
