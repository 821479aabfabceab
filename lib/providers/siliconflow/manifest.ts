import type { Manifest } from '../manifest';

/** A SiliconFlow account balance (shared/spec/providers.md §5). */
export const manifest = {
  id: 'siliconflow',
  label: { brand: 'SiliconFlow', localBrand: { zh_CN: '硅基流动 SiliconFlow' } },
  home: 'https://api.siliconflow.cn',
  hosts: ['api.siliconflow.cn', 'api.siliconflow.com'],
  expiry: 'no-expiry',
  // The `.com` platform is separate (automation.md §2) and its page is not confirmed: it keeps the root.
  topUp: { pages: { 'api.siliconflow.cn': 'https://cloud.siliconflow.cn/expensebill' } },
} as const satisfies Manifest;
