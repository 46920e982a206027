/** The closed vocabularies of the rule table (server/features/rules/), dependency-free like vocabulary.ts. */

/**
 * Activity classes the rules are keyed on. The first group are the classes 国环规生态〔2022〕1号 附件
 * names (一: 矿产资源开发、工业园; 二: 工业开发、能源开发、旅游开发、交通开发、养殖开发); 水利开发, 排污 and
 * 其他建设 are the city's own classes (附件 does not name them).
 */
export const activityClasses = [
  'mineral',
  'industrial_park',
  'industrial',
  'energy',
  'tourism',
  'transport',
  'water_works',
  'aquaculture',
  'discharge',
  'construction',
  'other',
] as const;
export type ActivityClass = (typeof activityClasses)[number];

/** What the rule asks to be done, broadly; also the order of strictness (strictest first). */
export const ruleRoutes = ['leave_area', 'exit', 'remove_structures', 'stop_discharge', 'assessment', 'limited_use'] as const;
export type RuleRoute = (typeof ruleRoutes)[number];

/**
 * Where a rule comes from: the 2022 annex; another national regulation or central guidance; the
 * Shandong 2023 实施细则; a city rule (本市规定); or a choice the portal makes (门户默认).
 */
export const ruleSourceKinds = ['national_annex', 'national_regulation', 'provincial', 'local', 'portal_default'] as const;
export type RuleSourceKind = (typeof ruleSourceKinds)[number];

