import type { Manifest } from '../manifest';
import { page } from './page';

/** An OpenRouter key: its own cap and usage (shared/spec/providers.md §2). */
export const manifest = {
  ...page,
  label: { brand: 'OpenRouter' },
  home: 'https://openrouter.ai',
  hosts: ['openrouter.ai'],
  secretPrefix: 'sk-or-',
  // OpenRouter's FAQ sends people to "the Credits page" to add credits.
} as const satisfies Manifest;
