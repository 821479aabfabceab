import type { Manifest } from '../manifest';
import { page } from './page';

/**
 * A Claude Code Hub key (`sk-…`), read from the hub's self-quota route (shared/spec/relays.md
 * §4). Its keys look like any `sk-` key and a secret is never tried on another kind's route
 * (§7.1): `auto` knows a hub only by its public health routes (its reader's `siteProbe`).
 */
export const manifest = {
  ...page,
  label: { brand: 'Claude Code Hub' },
} as const satisfies Manifest;
