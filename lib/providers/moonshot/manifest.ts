import type { Manifest } from '../manifest';

/** A Moonshot / Kimi account balance (shared/spec/providers.md §4). */
export const manifest = {
  id: 'moonshot',
  label: { brand: 'Moonshot / Kimi' },
  home: 'https://api.moonshot.cn',
  hosts: ['api.moonshot.cn', 'api.moonshot.ai'],
  expiry: 'no-expiry',
  // The `.ai` platform is separate (automation.md §2) and its page is not confirmed: it keeps the root.
  topUp: { pages: { 'api.moonshot.cn': 'https://platform.moonshot.cn/console/pay' } },
} as const satisfies Manifest;
