/**
 * The portal's calendar in the browser: the same clock functions as the server, in the time zone the
 * server is configured with (TIME_ZONE, told to the web on sign-in), not the browser's own.
 */
import { currentPeriod, DEFAULT_TIME_ZONE, isTimeZone, today, type PeriodKind } from '../../../../server/lib/clock.ts';

let zone = DEFAULT_TIME_ZONE;

/** Adopts the server's time zone; an unknown name keeps the default. */
export function setPortalTimeZone(timeZone: string | undefined): void {
  zone = timeZone && isTimeZone(timeZone) ? timeZone : DEFAULT_TIME_ZONE;
}

/** The time zone the portal's dates are in. */
export const portalTimeZone = (): string => zone;

/** Today's date (YYYY-MM-DD) on the portal's calendar. */
export const portalToday = (now: Date | number = Date.now()): string => today(zone, now);

/** The year, quarter or month containing today on the portal's calendar. */
export const portalCurrentPeriod = (kind: PeriodKind, now: Date | number = Date.now()): string => currentPeriod(kind, zone, now);
