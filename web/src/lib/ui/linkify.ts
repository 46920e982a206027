/** A run of text, with `href` when the run is a web address. */
export interface TextRun {
  text: string;
  href?: string;
}

// Stops at whitespace and at the brackets and separators sources put around addresses.
const URL_PATTERN = /https?:\/\/[^\s()<>（）;；，,]+/g;

/** Splits a source note into plain runs and http(s) links, trailing punctuation left out of links. */
export function linkify(text: string): TextRun[] {
  const runs: TextRun[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let url = match[0];
    const trimmed = url.replace(/[.。:：'"]+$/, '');
    url = trimmed;
    const start = match.index;
    if (start > last) runs.push({ text: text.slice(last, start) });
    runs.push({ text: url, href: url });
    last = start + url.length;
  }
  if (last < text.length) runs.push({ text: text.slice(last) });
  return runs;
}
