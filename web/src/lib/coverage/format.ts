/** A share (0–1) as a whole percentage for the language, e.g. `47%`; values under 1 % but above 0 read `<1%`. */
export function formatPercent(share: number, locale: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  if (share > 0 && share < 0.005) return `<${format.format(0.01)}`;
  return format.format(share);
}
