import type { Manifest } from '../manifest';
import { page } from './page';

/**
 * An API key on a Sub2API gateway (shared/spec/relays.md §2). No host, no prefix of its
 * own (`sk-` like new-api's), and its public probe is not made: `auto` never guesses it.
 */
export const manifest = {
  ...page,
  label: { brand: 'Sub2API' },
  allApiHub: { telemetryModes: ['sub2apiUsage'] },
} as const satisfies Manifest;
