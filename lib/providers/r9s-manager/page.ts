import type { PageFacts } from '../manifest';

/** What the pages show of this kind (lib/providers/pages.ts): all the popup loads of this kind. */
export const page = {
  id: 'r9s-manager',
  expiry: 'no-expiry',
} as const satisfies PageFacts;
