import type { Manifest } from '../manifest';
import { page } from './page';

/**
 * A claude-relay-service key (`cr_…`, or the key's UUID), read from the stats page's own
 * route (shared/spec/relays.md §3). `auto` takes the default `cr_` prefix (§7.1); the site
 * is the user's own, so no home, host or top-up page.
 */
export const manifest = {
  ...page,
  label: { brand: 'claude-relay-service' },
  secretPrefix: 'cr_',
  // `expiresAt: ""` is no expiry, or an activation key not used yet (§3.2): nothing to say then.
} as const satisfies Manifest;
