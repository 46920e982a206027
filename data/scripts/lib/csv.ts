/** Reading the team's reference CSVs (RFC 4180 quoting) and interpreting their free-text fields. */
import { readFileSync } from 'node:fs';

/** Parses RFC 4180 CSV text into rows of fields (quoted fields may hold commas, quotes and newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += ch;
  }
  if (quoted) throw new Error('CSV ends inside a quoted field');
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** Reads a CSV file into objects keyed by its header, failing on ragged rows. */
export function readCsvRecords(file: string): Record<string, string>[] {
  const [header, ...body] = parseCsv(readFileSync(file, 'utf8'));
  return body.map((cells, i) => {
    if (cells.length !== header.length) {
      throw new Error(`${file}: row ${i + 2} has ${cells.length} fields, header has ${header.length}`);
    }
    return Object.fromEntries(header.map((h, j) => [h, cells[j].trim()]));
  });
}

export interface EstablishedDate {
  establishedOn: string | null;
  establishedPrecision: 'day' | 'month' | 'year' | null;
}

/**
 * Derives an ISO date from free text such as `1992`, `2011-12`, `c.2012 (pilot)`: the first
 * year(-month(-day)) found; missing parts become the first of the period, and the precision says which.
 */
export function parseEstablished(text: string | null): EstablishedDate {
  const m = text ? /(?<!\d)(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?!\d)/.exec(text) : null;
  if (!m) return { establishedOn: null, establishedPrecision: null };
  const [, y, mo, d] = m;
  const month = mo ? Number(mo) : 1;
  const day = d ? Number(d) : 1;
  const iso = `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const probe = new Date(`${iso}T00:00:00Z`);
  if (month < 1 || month > 12 || probe.getUTCDate() !== day) throw new Error(`impossible date in "${text}"`);
  return { establishedOn: iso, establishedPrecision: d ? 'day' : mo ? 'month' : 'year' };
}

/** Empty CSV cell → null, otherwise a finite number (or a thrown error naming the column). */
export function optionalNumber(value: string, what: string): number | null {
  if (value === '') return null;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`${what}: "${value}" is not a number`);
  return n;
}
