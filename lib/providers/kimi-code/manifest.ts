import type { Manifest } from '../manifest';
import { page } from './page';

/** A Kimi Code plan key (`sk-kimi-…`): its weekly, 5-hour and named windows (shared/spec/relays.md §6). */
export const manifest = {
  ...page,
  label: { brand: 'Kimi Code' },
  home: 'https://api.kimi.com',
  hosts: ['api.kimi.com'],
  secretPrefix: 'sk-kimi-',
  // Moonshot has no stated limit; a client proposed at most one read per 5 minutes (MoonshotAI/kimi-code #2937).
  minIntervalMinutes: 5,
  allApiHub: { telemetryModes: ['kimiQuota'] },
} as const satisfies Manifest;
