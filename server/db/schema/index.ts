export * from './counties.ts';
export * from './departments.ts';
export * from './protected-areas.ts';
export * from './meta.ts';
