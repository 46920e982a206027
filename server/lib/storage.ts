/** Uploaded files, kept untouched under STORAGE_DIR and named by their SHA-256 (so a file is stored once). */
import { randomBytes, webcrypto } from 'node:crypto';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The file's SHA-256 as hex; Web Crypto hashes on libuv's thread pool, so a 20 MB upload does not hold up the event loop. */
export async function fileSha256(bytes: Uint8Array): Promise<string> {
  return Buffer.from(await webcrypto.subtle.digest('SHA-256', bytes)).toString('hex');
}

/** Stores the bytes (unless already there) under their SHA-256, computed here unless the caller already has it. */
export async function storeFile(storageDir: string, bytes: Uint8Array, knownSha256?: string): Promise<string> {
  const sha256 = knownSha256 ?? (await fileSha256(bytes));
  const dir = path.join(storageDir, sha256.slice(0, 2), sha256.slice(2, 4));
  const file = path.join(dir, sha256);
  if (await stat(file).catch(() => null)) return sha256;
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, file);
  return sha256;
}
