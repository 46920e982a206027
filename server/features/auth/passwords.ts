/**
 * Password hashing with scrypt (memory-hard, from node:crypto) and constant-time comparison.
 * Stored form: `scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>`, so the cost can rise later.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const LOG_N = 15; // N = 32768, r = 8: 32 MiB per hash, ~0.1 s here
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N, r, p, maxmem: 256 * N * r }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** Hashes a password for storage. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, LOG_N, R, P);
  return ['scrypt', LOG_N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Checks a password against a stored hash in constant time; false for any malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [logN, r, p] = parts.slice(1, 4).map(Number);
  if (![logN, r, p].every(Number.isInteger) || logN < 10 || logN > 20) return false;
  const expected = Buffer.from(parts[5], 'base64');
  if (expected.length !== KEY_LENGTH) return false;
  const actual = await derive(password, Buffer.from(parts[4], 'base64'), logN, r, p);
  return timingSafeEqual(actual, expected);
}

/**
 * A valid hash of a random password, checked when the username is unknown so that a wrong
 * username costs the same time as a wrong password (no account discovery by timing).
 */
export const unknownUserHash: Promise<string> = hashPassword(randomBytes(16).toString('hex'));
