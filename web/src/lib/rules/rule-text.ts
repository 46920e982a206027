/** How a rule's keys, route, source and evidence read in the UI. */
import { SCHEME_ZONES, type ZoneScheme } from '../api/types.ts';
import type { I18n } from '../i18n/i18n.svelte.ts';
import type { Rule } from './rules-api.ts';

/** The scheme a zone belongs to for an area category: the row's own, else the first of the category's schemes naming it. */
export function schemeOfZone(zone: string, scheme: string, category: string): ZoneScheme | null {
  if (scheme !== '*') return scheme as ZoneScheme;
  const order: ZoneScheme[] = category === 'nature_reserve' ? ['legacy', 'new'] : ['marine', 'forest_park', 'wetland_park', 'geopark', 'scenic_area', 'new'];
  return order.find((s) => (SCHEME_ZONES[s] as readonly string[]).includes(zone)) ?? null;
}

/** A zone's name in its scheme. */
export function zoneText(i18n: I18n, zone: string, scheme: string, category: string): string {
  return i18n.zone(zone, schemeOfZone(zone, scheme, category) ?? 'legacy');
}

/** The case a rule covers, e.g. "自然保护区 · 实验区 · 旅游开发 · 已批准 · 历史遗留". */
export function caseText(i18n: I18n, r: Pick<Rule, 'areaCategory' | 'zoneScheme' | 'zone' | 'activityClass' | 'approval' | 'timing'>): string {
  const any = i18n.t('rules.any');
  return [
    r.areaCategory === '*' ? `${i18n.t('rules.filterCategory')}：${any}` : i18n.category(r.areaCategory),
    r.zone === '*' ? (r.zoneScheme === '*' ? null : i18n.tDynamic(`zone.scheme.${r.zoneScheme}`, r.zoneScheme)) : zoneText(i18n, r.zone, r.zoneScheme, r.areaCategory),
    r.activityClass === '*' ? `${i18n.t('rules.filterActivity')}：${any}` : i18n.tDynamic(`activity.${r.activityClass}`, r.activityClass),
    r.approval === '*' ? null : i18n.tDynamic(`rules.approval.${r.approval}`, r.approval),
    r.timing === '*' ? null : i18n.tDynamic(`rules.timing.${r.timing}`, r.timing),
  ]
    .filter((x): x is string => x !== null)
    .join(' · ');
}

/** The route in words. */
export function routeText(i18n: I18n, route: string): string {
  return i18n.tDynamic(`route.${route}`, route);
}

/** The source kind's badge text. */
export function sourceKindText(i18n: I18n, kind: string | null): string {
  return kind ? i18n.tDynamic(`sourceKind.${kind}`, kind) : '';
}

/** The evidence kinds a condition accepts, in words. */
export function evidenceText(i18n: I18n, kinds: readonly string[]): string {
  return kinds.map((k) => i18n.tDynamic(`evidence.${k}`, k)).join(i18n.english ? ', ' : '、');
}
