import type { Manifest } from '../manifest';

/** An OpenRouter key: its own cap and usage (shared/spec/providers.md §2). */
export const manifest = {
  id: 'openrouter',
  label: { brand: 'OpenRouter' },
  home: 'https://openrouter.ai',
  hosts: ['openrouter.ai'],
  secretPrefix: 'sk-or-',
  expiry: 'optional',
  // OpenRouter's FAQ sends people to "the Credits page" to add credits.
  topUp: { pages: { 'openrouter.ai': 'https://openrouter.ai/settings/credits' } },
} as const satisfies Manifest;
