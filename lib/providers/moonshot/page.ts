import type { PageFacts } from '../manifest';

/** What the pages show of this kind (lib/providers/pages.ts): all the popup loads of this kind. */
export const page = {
  id: 'moonshot',
  expiry: 'no-expiry',
  topUp: { pages: { 'api.moonshot.cn': 'https://platform.moonshot.cn/console/pay' } },
} as const satisfies PageFacts;
