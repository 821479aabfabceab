import type { Manifest } from '../manifest';
import { page } from './page';

/** A SiliconFlow account balance (shared/spec/providers.md §5). */
export const manifest = {
  ...page,
  label: { brand: 'SiliconFlow', localBrand: { zh_CN: '硅基流动 SiliconFlow' } },
  home: 'https://api.siliconflow.cn',
  hosts: ['api.siliconflow.cn', 'api.siliconflow.com'],
  // The `.com` platform is separate (automation.md §2) and its page is not confirmed: it keeps the root.
} as const satisfies Manifest;
