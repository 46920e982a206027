import { isMessageKey, translate, type Locale } from '../i18n/messages.ts';
import { ApiError, type ApiIssue } from './client.ts';
import { errorText } from './error-text.ts';

/** What a form shows after a failed submit: messages next to its fields, and one above them. */
export interface FormErrors {
  fields: Record<string, string>;
  form: string | null;
}

export const NO_FORM_ERRORS: FormErrors = { fields: {}, form: null };

/**
 * The text for one refused field. The server words it in Chinese, so Chinese readers get it as is;
 * English readers get the catalogue's rule for that field (`issue.<field>`), or a general line.
 */
export function issueText(issue: ApiIssue, locale: Locale): string {
  const field = issue.path.split('.')[0] ?? '';
  if (locale === 'zh-CN' && issue.message) return issue.message;
  const key = `issue.${field}`;
  return translate(locale, isMessageKey(key) ? key : 'issue.other');
}

/**
 * Spreads a failed request over a form: each issue goes next to its field when the form has it,
 * error codes listed in `codeFields` (e.g. 409 conflict → username) go next to that field, and
 * everything else is said once above the form.
 */
export function formErrors(
  error: unknown,
  locale: Locale,
  fields: readonly string[],
  codeFields: Readonly<Record<string, string>> = {},
): FormErrors {
  if (!(error instanceof ApiError)) return { fields: {}, form: errorText(error, locale) };
  const byField: Record<string, string[]> = {};
  const elsewhere: string[] = [];
  for (const issue of error.issues) {
    const field = issue.path.split('.')[0] ?? '';
    // A code that names the problem (wrong_password) says more in English than the field's general rule.
    const text = codeFields[error.code] === field && locale !== 'zh-CN' ? errorText(error, locale) : issueText(issue, locale);
    if (fields.includes(field)) byField[field] = [...(byField[field] ?? []), text];
    else elsewhere.push(text);
  }
  // Several issues on one field can read the same once translated; say each once.
  const separator = locale === 'zh-CN' ? '；' : '; ';
  const joined: Record<string, string> = {};
  for (const [field, texts] of Object.entries(byField)) joined[field] = [...new Set(texts)].join(separator);
  const codeField = codeFields[error.code];
  if (codeField && fields.includes(codeField) && !joined[codeField]) joined[codeField] = errorText(error, locale);
  let form: string | null = null;
  if (elsewhere.length) form = [...new Set(elsewhere)].join(separator);
  else if (Object.keys(joined).length === 0) form = errorText(error, locale);
  return { fields: joined, form };
}
