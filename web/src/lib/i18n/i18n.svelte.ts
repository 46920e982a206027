import {
  DEFAULT_LOCALE,
  isLocale,
  isMessageKey,
  translate,
  type Locale,
  type MessageKey,
  type MessageParams,
} from './messages.ts';

const STORAGE_KEY = 'portal.locale';

function storedLocale(): Locale {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLocale(value) ? value : DEFAULT_LOCALE;
  } catch {
    // Storage can be blocked (private mode, policies); the default language still works.
    return DEFAULT_LOCALE;
  }
}

/** The current language and the lookups that depend on it. */
export class I18n {
  locale = $state<Locale>(DEFAULT_LOCALE);

  constructor(initial: Locale = storedLocale()) {
    this.locale = initial;
  }

  /** The message for `key` in the current language. */
  t = (key: MessageKey, params?: MessageParams): string => translate(this.locale, key, params);

  /** The message for a key built from data (e.g. `category.${value}`), or `fallback` if there is none. */
  tDynamic = (key: string, fallback: string): string =>
    isMessageKey(key) ? translate(this.locale, key) : fallback;

  /** Switches the language, remembers it and tells the document. */
  setLocale(locale: Locale): void {
    this.locale = locale;
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, locale);
    } catch {
      // Not remembered across visits, but the switch itself still applies.
    }
    this.applyToDocument();
  }

  /** Sets `<html lang>` and the window title from the current language. */
  applyToDocument(): void {
    if (typeof document === 'undefined') return;
    document.documentElement.lang = this.locale;
    document.title = `${this.t('app.title')} · ${this.t('app.region')}`;
  }

  /** Formats a number for the current language. */
  number(value: number, maximumFractionDigits = 1): string {
    return new Intl.NumberFormat(this.locale, { maximumFractionDigits }).format(value);
  }

  /** Formats hectares with the unit. */
  hectares(value: number): string {
    return this.t('unit.ha', { value: this.number(value, value < 10 ? 2 : 1) });
  }

  /** The name of a protected-area category. */
  category(value: string): string {
    return this.tDynamic(`category.${value}`, value);
  }

  /** The name of a designation level. */
  level(value: string): string {
    return this.tDynamic(`level.${value}`, value);
  }

  /** The name of a functional zone in its scheme (the legacy and new schemes name the core differently). */
  zone(zone: string, scheme: string): string {
    const other = this.tDynamic(`zone.new.${zone}`, this.tDynamic(`zone.legacy.${zone}`, zone));
    return this.tDynamic(`zone.${scheme}.${zone}`, other);
  }

  /** The name of a role (`admin`, `coordinator`, …). */
  role(value: string): string {
    return this.tDynamic(`role.${value}`, value);
  }

  /** The name of a kind of department. */
  departmentKind(value: string): string {
    return this.tDynamic(`departmentKind.${value}`, value);
  }

  /** A date and time from the server (ISO 8601) for the current language; the raw text if unreadable. */
  dateTime(iso: string): string {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    return new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  }

  /** A name pair in reading order for the current language: [primary, secondary]. */
  names(zh: string | null | undefined, en: string | null | undefined): [string, string] {
    const a = zh ?? '';
    const b = en ?? '';
    return this.english ? [b || a, b ? a : ''] : [a || b, a ? b : ''];
  }

  /** Whether area and county names should be shown in English first. */
  get english(): boolean {
    return this.locale === 'en';
  }
}

/** The portal's one language state, shared by every component. */
export const i18n = new I18n();
