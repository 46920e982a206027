/**
 * What the browser tests share: the real app on a fresh copy of the seeded database, Chromium, a
 * sign-in through the login page, and a console watch that knows which errors a test expects.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApp } from '../../server/app.ts';
import type { Config } from '../../server/config.ts';
import type { Database } from '../../server/db/backend.ts';
import { createLogger } from '../../server/lib/log.ts';
import { chromiumArgs, findChromium } from '../helpers/chromium.ts';
import { DEMO_PASSWORD_FOR_TESTS, freshPglite, testConfig } from '../helpers/backends.ts';

export const chromiumPath = findChromium();
/** Why the browser suites are skipped, or null when Chromium is there. */
export const skipReason = chromiumPath ? null : `no Chromium at ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'}`;

/** The portal served on a free local port, with its own database. */
export interface Portal {
  base: string;
  /** The portal's database, for a test that must find a place or a row to start from. */
  database: Database;
  close(): Promise<void>;
}

/** Serves the app (API and built web app) on a fresh copy of the seeded database, with config overrides. */
export async function startPortal(overrides: Partial<Config> = {}): Promise<Portal> {
  const { database, dispose } = await freshPglite();
  const app = createApp({ database, config: testConfig(overrides), log: createLogger('silent') });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    database,
    close: async () => {
      await new Promise((r) => server.close(r));
      await dispose();
    },
  };
}

/** Starts Debian's Chromium headless. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath!, args: chromiumArgs });
}

/** Fills the login form the page is on and submits it. */
export async function submitLogin(page: Page, username: string, password = DEMO_PASSWORD_FOR_TESTS): Promise<void> {
  await page.getByTestId('login-form').waitFor();
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(password);
  await page.getByTestId('login-form').locator('button[type="submit"]').click();
}

/** Signs in through the login page and waits until the app has left it. */
export async function signIn(page: Page, base: string, username: string, password = DEMO_PASSWORD_FOR_TESTS): Promise<void> {
  await page.goto(`${base}/login`);
  await submitLogin(page, username, password);
  await page.waitForURL((url) => url.pathname !== '/login', { timeout: 30_000 });
}

/** One console error: its text and the address it is about (for failed requests, the request's). */
export interface ConsoleError {
  text: string;
  url: string;
}

/** A request the test makes fail on purpose, which Chromium logs as a console error. */
export interface ExpectedFailure {
  status: 400 | 401 | 403 | 409 | 429;
  url: string;
}

const reasons: Record<ExpectedFailure['status'], string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 409: 'Conflict', 429: 'Too Many Requests' };

/**
 * The errors a page logged, less those the test expects: each expected entry excuses exactly one
 * "failed to load" line with exactly that status and address, so an extra one still shows.
 */
export function unexpectedErrors(errors: readonly ConsoleError[], expected: readonly ExpectedFailure[]): ConsoleError[] {
  const left = [...expected];
  return errors.filter((error) => {
    const i = left.findIndex(
      (e) => error.url === e.url && error.text === `Failed to load resource: the server responded with a status of ${e.status} (${reasons[e.status]})`,
    );
    if (i === -1) return true;
    left.splice(i, 1);
    return false;
  });
}

/** Collects the console errors and uncaught exceptions of a page. */
export function watchConsole(page: Page): ConsoleError[] {
  const errors: ConsoleError[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push({ text: msg.text(), url: msg.location().url });
  });
  page.on('pageerror', (err) => errors.push({ text: String(err), url: page.url() }));
  return errors;
}
