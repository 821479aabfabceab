import type { Manifest } from '../manifest';

/** A DeepSeek account balance (shared/spec/providers.md §3). */
export const manifest = {
  id: 'deepseek',
  label: { brand: 'DeepSeek' },
  home: 'https://api.deepseek.com',
  hosts: ['api.deepseek.com'],
  expiry: 'no-expiry',
  topUp: { pages: { 'api.deepseek.com': 'https://platform.deepseek.com/top_up' } },
} as const satisfies Manifest;
