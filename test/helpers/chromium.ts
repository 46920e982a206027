import { existsSync } from 'node:fs';

/** Path of the Chromium the browser tests drive, or null when none is installed. */
export function findChromium(): string | null {
  const candidate = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  return existsSync(candidate) ? candidate : null;
}

/** Flags that let headless Chromium render WebGL2 with SwiftShader on a machine with no network. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
