import type { PageFacts } from '../manifest';

/** What the pages show of this kind (lib/providers/pages.ts): all the popup loads of this kind. */
export const page = {
  id: 'openrouter',
  expiry: 'optional',
  topUp: { pages: { 'openrouter.ai': 'https://openrouter.ai/settings/credits' } },
} as const satisfies PageFacts;
