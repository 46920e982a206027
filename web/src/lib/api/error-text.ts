import { isMessageKey, translate, type Locale } from '../i18n/messages.ts';
import { ApiError } from './client.ts';

/**
 * What to tell a person about a failed request. The server's own message is Chinese, so it is
 * shown as is in Chinese; in English the catalogue's text for the error code is preferred.
 */
export function errorText(error: unknown, locale: Locale): string {
  if (!(error instanceof ApiError)) return translate(locale, 'error.network');
  if (error.isNetwork) return translate(locale, 'error.network');
  const codeKey = `error.code.${error.code}`;
  if (locale === 'zh-CN' && error.message) return error.message;
  if (isMessageKey(codeKey)) return translate(locale, codeKey);
  if (error.message) return error.message;
  return translate(locale, 'error.http', { status: error.status });
}
