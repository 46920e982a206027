/** A point time read from a file: UTC ISO text, with a flag when the file gave no zone (taken as UTC). */
export interface ReadTime {
  iso: string;
  zoneless: boolean;
}

// ISO 8601 / XML Schema dateTime as field apps write it: `T` or a space, optional seconds and fraction,
// and `Z`, `UTC`, `±hh:mm`, `±hhmm` or `±hh` — or no zone at all.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/;

/** Parses a point time to UTC ISO 8601; null when the text is not a valid date and time of day. */
export function parseTime(text: string): ReadTime | null {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  // Years outside this window are device defaults or typos, not inspection times.
  if (year < 1900 || year > 2200) return null;
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 60) return null;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone && /^[+-]/.test(zone)) {
    const digits = zone.slice(1).replace(':', '');
    const offsetHours = Number(digits.slice(0, 2));
    const offsetMins = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (offsetHours > 14 || offsetMins > 59) return null;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const epoch = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  return { iso: new Date(epoch).toISOString(), zoneless: zone === undefined };
}

/** An epoch time in seconds or milliseconds (some GeoJSON exports) as UTC ISO 8601; null when out of range. */
export function epochToIso(value: number): string | null {
  if (!Number.isFinite(value)) return null;
  // Before ~1973 in milliseconds is below 1e11, and seconds stay below 1e11 until the year 5138.
  const millis = Math.abs(value) < 1e11 ? value * 1000 : value;
  const date = new Date(millis);
  const year = date.getUTCFullYear();
  return Number.isNaN(date.getTime()) || year < 1900 || year > 2200 ? null : date.toISOString();
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
