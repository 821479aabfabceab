import type { PageFacts } from '../manifest';

/** What the pages show of this kind (lib/providers/pages.ts): all the popup loads of this kind. */
export const page = {
  id: 'deepseek',
  expiry: 'no-expiry',
  topUp: { pages: { 'api.deepseek.com': 'https://platform.deepseek.com/top_up' } },
} as const satisfies PageFacts;
