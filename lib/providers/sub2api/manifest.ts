import type { Manifest } from '../manifest';

/**
 * An API key on a Sub2API gateway (shared/spec/relays.md §2). No host, no prefix of its
 * own (`sk-` like new-api's), and its public probe is not made: `auto` never guesses it.
 */
export const manifest = {
  id: 'sub2api',
  label: { brand: 'Sub2API' },
  expiry: 'optional',
  allApiHub: { telemetryModes: ['sub2apiUsage'] },
} as const satisfies Manifest;
