import type { Manifest } from '../manifest';

/** A Kimi Code plan key (`sk-kimi-…`): its weekly, 5-hour and named windows (shared/spec/relays.md §6). */
export const manifest = {
  id: 'kimi-code',
  label: { brand: 'Kimi Code' },
  home: 'https://api.kimi.com',
  hosts: ['api.kimi.com'],
  secretPrefix: 'sk-kimi-',
  expiry: 'never-reported',
  allApiHub: { telemetryModes: ['kimiQuota'] },
} as const satisfies Manifest;
