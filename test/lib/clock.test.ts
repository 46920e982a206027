/** The one clock: today and period edges in the configured time zone, with `now` passed in. */
import { describe, expect, it } from 'vitest';
import { resolveWindow } from '../../server/features/coverage/coverage.schemas.ts';
import { loadConfig } from '../../server/config.ts';
import { addYears, currentPeriod, DEFAULT_TIME_ZONE, isTimeZone, periodContaining, periodRange, today } from '../../server/lib/clock.ts';
import { currentQuarter, windowRange } from '../../web/src/lib/coverage/period.ts';
import { portalCurrentPeriod, portalTimeZone, portalToday, setPortalTimeZone } from '../../web/src/lib/time/portal-clock.ts';

// 23:30 UTC on the last day of Q1 is already 07:30 on 1 April, the first day of Q2, in Shanghai.
const lastEveningOfQ1 = Date.parse('2026-03-31T23:30:00Z');

describe('the clock', () => {
  it('reckons today in Asia/Shanghai by default, so the new quarter starts at midnight Beijing time', () => {
    expect(DEFAULT_TIME_ZONE).toBe('Asia/Shanghai');
    expect(today(undefined, lastEveningOfQ1)).toBe('2026-04-01');
    expect(today('UTC', lastEveningOfQ1)).toBe('2026-03-31');
    expect(currentPeriod('quarter', DEFAULT_TIME_ZONE, lastEveningOfQ1)).toBe('2026-Q2');
    expect(currentPeriod('month', DEFAULT_TIME_ZONE, new Date(lastEveningOfQ1))).toBe('2026-04');
    expect(currentPeriod('year', DEFAULT_TIME_ZONE, Date.parse('2026-12-31T16:00:00Z'))).toBe('2027');
    expect(today(DEFAULT_TIME_ZONE, Date.parse('2026-03-31T15:59:59Z'))).toBe('2026-03-31');
  });

  it('gives the same default window to the coverage API and the coverage page', () => {
    const query: { swath: number; from?: string; to?: string } = { swath: 200 };
    const serverWindow = resolveWindow(query, today(DEFAULT_TIME_ZONE, lastEveningOfQ1));
    expect(serverWindow).toEqual({ swath: 200, from: '2026-04-01', to: '2026-06-30' });
    const none = { period: null, from: null, to: null, swath: 200, area: null };
    expect(windowRange(none, lastEveningOfQ1)).toEqual(['2026-04-01', '2026-06-30']);
    expect(currentQuarter(lastEveningOfQ1)).toBe('2026-Q2');
  });

  it('follows TIME_ZONE from the configuration and refuses a zone the runtime does not know', () => {
    expect(loadConfig({}).timeZone).toBe('Asia/Shanghai');
    const utc = loadConfig({ TIME_ZONE: 'UTC' }).timeZone;
    expect(today(utc, lastEveningOfQ1)).toBe('2026-03-31');
    expect(isTimeZone('Asia/Urumqi')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(() => loadConfig({ TIME_ZONE: 'Mars/Olympus' })).toThrow(/TIME_ZONE/);
  });

  it('turns presets into their first and last days', () => {
    expect(periodRange('2026')).toEqual(['2026-01-01', '2026-12-31']);
    expect(periodRange('2024-Q1')).toEqual(['2024-01-01', '2024-03-31']);
    expect(periodRange('2026-Q4')).toEqual(['2026-10-01', '2026-12-31']);
    expect(periodRange('2024-02')).toEqual(['2024-02-01', '2024-02-29']);
    expect(periodRange('2100-02')).toEqual(['2100-02-01', '2100-02-28']);
    expect(periodContaining('2026-09-30', 'quarter')).toBe('2026-Q3');
    expect(periodContaining('2026-10-01', 'quarter')).toBe('2026-Q4');
  });

  it('adds years, keeping 29 February inside its month', () => {
    expect(addYears('2024-02-29', 3)).toBe('2027-02-28');
    expect(addYears('2024-01-01', 3)).toBe('2027-01-01');
  });
});

describe("the web's clock", () => {
  it("follows the time zone the server names, and keeps the default for a name it doesn't know", () => {
    try {
      setPortalTimeZone('UTC');
      expect(portalTimeZone()).toBe('UTC');
      expect(portalToday(lastEveningOfQ1)).toBe('2026-03-31');
      expect(currentQuarter(lastEveningOfQ1)).toBe('2026-Q1');
      setPortalTimeZone('Mars/Olympus_Mons');
      expect(portalTimeZone()).toBe(DEFAULT_TIME_ZONE);
      expect(portalToday(lastEveningOfQ1)).toBe('2026-04-01');
      expect(portalCurrentPeriod('quarter', lastEveningOfQ1)).toBe('2026-Q2');
    } finally {
      setPortalTimeZone(undefined);
    }
  });
});
