import type { Manifest } from '../manifest';
import { page } from './page';

/** A DeepSeek account balance (shared/spec/providers.md §3). */
export const manifest = {
  ...page,
  label: { brand: 'DeepSeek' },
  home: 'https://api.deepseek.com',
  hosts: ['api.deepseek.com'],
} as const satisfies Manifest;
