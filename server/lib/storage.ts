/** Uploaded files, kept untouched under STORAGE_DIR and named by their SHA-256 (so a file is stored once). */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Stores the bytes (unless already there) and returns their SHA-256. */
export async function storeFile(storageDir: string, bytes: Uint8Array): Promise<string> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const dir = path.join(storageDir, sha256.slice(0, 2), sha256.slice(2, 4));
  const file = path.join(dir, sha256);
  if (await stat(file).catch(() => null)) return sha256;
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, file);
  return sha256;
}
