export * from './counties.ts';
export * from './departments.ts';
export * from './protected-areas.ts';
export * from './meta.ts';
export * from './users.ts';
export * from './events.ts';
export * from './inspections.ts';
export * from './findings.ts';
