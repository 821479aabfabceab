import type { Manifest } from '../manifest';
import { page } from './page';

/** A Moonshot / Kimi account balance (shared/spec/providers.md §4). */
export const manifest = {
  ...page,
  label: { brand: 'Moonshot / Kimi' },
  home: 'https://api.moonshot.cn',
  hosts: ['api.moonshot.cn', 'api.moonshot.ai'],
  // The `.ai` platform is separate (automation.md §2) and its page is not confirmed: it keeps the root.
} as const satisfies Manifest;
