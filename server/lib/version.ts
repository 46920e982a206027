import { readFileSync } from 'node:fs';

/** The portal's version, from package.json. */
export const portalVersion: string = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
).version;
