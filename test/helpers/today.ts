/**
 * A movable "today" for API tests of the chain (observation periods, 公示, re-checks): the portal's
 * clock module wrapped so its `today()` runs `days` ahead when no instant is passed. Only the calendar
 * day the server reads moves; timestamps stay the database's, so "after the completion report" keeps
 * its meaning. A test file opts in with, at its top:
 *
 *   vi.mock('../../server/lib/clock.ts', async (original) => (await import('../helpers/today.ts')).movableClock(await original()));
 *
 * (Faking `Date` instead would also move PGlite's `now()`, which reads the JavaScript clock, and end
 * every session; PostgreSQL's would not move, so the two backends would disagree.)
 */

type Clock = { today: (timeZone?: string, now?: Date | number) => string };

let offsetMs = 0;
let installed = false;

/** The clock module with `today()` following `moveToday`; for vi.mock of server/lib/clock.ts. */
export function movableClock<T extends Clock>(original: T): T {
  installed = true;
  return { ...original, today: (timeZone?: string, now?: Date | number) => original.today(timeZone, now ?? Date.now() + offsetMs) };
}

/** Moves the server's (and the tests') "today" forward by `days`. */
export function moveToday(days: number): void {
  if (!installed) throw new Error('moveToday needs the vi.mock of server/lib/clock.ts at the top of the test file (see test/helpers/today.ts)');
  offsetMs += days * 86_400_000;
}

/** Puts "today" back to the real day (call in afterEach of every suite that moves it). */
export function realToday(): void {
  offsetMs = 0;
}
