import type { PageFacts } from '../manifest';

/** What the pages show of this kind (lib/providers/pages.ts): all the popup loads of this kind. */
export const page = {
  id: 'siliconflow',
  expiry: 'no-expiry',
  topUp: { pages: { 'api.siliconflow.cn': 'https://cloud.siliconflow.cn/expensebill' } },
} as const satisfies PageFacts;
