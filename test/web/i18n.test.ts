import { describe, expect, it } from 'vitest';
import { CATEGORIES, DEPARTMENT_KINDS, LEVELS, ROLES } from '../../web/src/lib/api/types.ts';
import { en } from '../../web/src/lib/i18n/en.ts';
import { catalogues, interpolate, isLocale, isMessageKey, LOCALES, translate } from '../../web/src/lib/i18n/messages.ts';
import { zhCN } from '../../web/src/lib/i18n/zh-CN.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogue', () => {
  it('has the same keys in zh-CN and en', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhCN).sort());
  });

  it('has no empty message in any language', () => {
    for (const locale of LOCALES) {
      for (const [key, text] of Object.entries(catalogues[locale])) {
        expect(text.trim(), `${locale} ${key}`).not.toBe('');
      }
    }
  });

  it('uses the same placeholders in both languages', () => {
    for (const key of Object.keys(zhCN) as (keyof typeof zhCN)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(zhCN[key]));
    }
  });

  it('names every category and level', () => {
    for (const category of CATEGORIES) expect(isMessageKey(`category.${category}`), category).toBe(true);
    for (const level of LEVELS) expect(isMessageKey(`level.${level}`), level).toBe(true);
  });

  it('names every role and kind of department', () => {
    for (const role of ROLES) expect(isMessageKey(`role.${role}`), role).toBe(true);
    for (const kind of DEPARTMENT_KINDS) expect(isMessageKey(`departmentKind.${kind}`), kind).toBe(true);
    expect(zhCN['role.admin']).toBe('系统管理员');
    expect(zhCN['role.coordinator']).toBe('联合执法协调员');
    expect(zhCN['role.officer']).toBe('部门执法人员');
    expect(zhCN['role.inspector']).toBe('巡查员');
    expect(zhCN['role.viewer']).toBe('只读用户');
    expect(zhCN['departmentKind.natural_resources']).toBe('自然资源和规划');
    expect(zhCN['departmentKind.county_government']).toBe('县级政府');
  });

  it('explains every error code the accounts API answers with', () => {
    for (const code of ['invalid_request', 'invalid_credentials', 'wrong_password', 'too_many_attempts', 'unauthorized', 'forbidden', 'conflict', 'not_found']) {
      expect(isMessageKey(`error.code.${code}`), code).toBe(true);
    }
  });

  it('says the boundaries are schematic in both languages', () => {
    expect(zhCN['panel.schematicTitle']).toContain('示意边界');
    expect(en['panel.schematicTitle']).toMatch(/schematic/i);
    expect(zhCN['legend.schematic']).toContain('示意边界');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('zh-CN', 'list.countFiltered', { shown: 3, total: 43 })).toBe('3 / 43 处');
    expect(translate('en', 'list.count', { total: 43 })).toBe('43 areas');
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });

  it('recognises its locales only', () => {
    expect(isLocale('zh-CN')).toBe(true);
    expect(isLocale('en')).toBe(true);
    expect(isLocale('fr')).toBe(false);
    expect(isLocale(null)).toBe(false);
  });
});
