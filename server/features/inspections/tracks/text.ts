/** Decoded text of an upload and, when the bytes disagreed with what the file said, a note for the officer. */
export interface DecodedText {
  text: string;
  encoding: string;
  note: string | null;
}

/** Decodes an upload: BOMs and UTF-16 first, then UTF-8, then the declared encoding or GB18030 (a superset of GBK). */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeWith('utf-16le', bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeWith('utf-16be', bytes);
  // Windows tools write UTF-16 without a BOM now and then; `<` followed or preceded by a NUL gives it away.
  if (bytes.length >= 2 && bytes[0] !== 0 && bytes[1] === 0) return decodeWith('utf-16le', bytes);
  if (bytes.length >= 2 && bytes[0] === 0 && bytes[1] !== 0) return decodeWith('utf-16be', bytes);

  const declared = declaredEncoding(bytes);
  const utf8 = tryDecode('utf-8', bytes, true);
  if (utf8 !== null) {
    // Chinese GBK text is practically never valid UTF-8, so valid UTF-8 wins over a declaration that says otherwise
    // (several apps write `encoding="GBK"` on UTF-8 files).
    const claimsOther = declared !== null && !/^utf-?8$/i.test(declared);
    const note = claimsOther && hasNonAscii(bytes) ? `声明的编码为 ${declared}，但内容是 UTF-8，已按 UTF-8 读取` : null;
    return { text: stripBom(utf8), encoding: 'utf-8', note };
  }
  if (declared !== null && !/^utf-?8$/i.test(declared)) {
    const text = tryDecode(declared, bytes, false);
    if (text !== null) return { text: stripBom(text), encoding: declared.toLowerCase(), note: null };
  }
  const text = tryDecode('gb18030', bytes, false) ?? new TextDecoder('utf-8').decode(bytes);
  return { text: stripBom(text), encoding: 'gb18030', note: '不是有效的 UTF-8，已按 GBK（GB18030）读取；名称如有乱码，请检查导出设置' };
}

function decodeWith(encoding: string, bytes: Uint8Array): DecodedText {
  return { text: stripBom(new TextDecoder(encoding).decode(bytes)), encoding, note: null };
}

function tryDecode(encoding: string, bytes: Uint8Array, fatal: boolean): string | null {
  try {
    return new TextDecoder(encoding, { fatal }).decode(bytes);
  } catch {
    // An unknown label (RangeError) or invalid bytes (TypeError): the caller tries the next candidate.
    return null;
  }
}

/** The `encoding="…"` of an XML declaration, read from the first bytes as ASCII. */
function declaredEncoding(bytes: Uint8Array): string | null {
  const head = String.fromCharCode(...bytes.subarray(0, 200));
  const match = /^\s*(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return match ? match[1] : null;
}

function hasNonAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] > 0x7f) return true;
  return false;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
