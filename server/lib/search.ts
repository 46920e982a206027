/** `%text%` for ILIKE with the wildcards escaped, so a search for "50%" matches the text, not a pattern. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}
