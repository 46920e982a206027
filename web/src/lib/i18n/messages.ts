import { en } from './en.ts';
import { zhCN, type MessageKey } from './zh-CN.ts';

export type { MessageKey };

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export const catalogues: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = {
  'zh-CN': zhCN,
  en,
};

export type MessageParams = Record<string, string | number>;

/** Replaces `{name}` placeholders; an unknown placeholder is left visible so it gets noticed. */
export function interpolate(template: string, params?: MessageParams): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** The message for `key` in `locale`, with its placeholders filled. */
export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  return interpolate(catalogues[locale][key] ?? catalogues[DEFAULT_LOCALE][key] ?? key, params);
}

/** Whether a string names a supported locale. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Whether a string is a key of the catalogue (used for message keys built from data values). */
export function isMessageKey(value: string): value is MessageKey {
  return Object.hasOwn(zhCN, value);
}
