import type { Manifest } from '../manifest';
import { page } from './page';

/** An r9s.ai management key (`sk_mg_` + 64 hex): the account balance (shared/spec/providers.md §1). */
export const manifest = {
  ...page,
  label: { message: 'kindR9sManager' },
  home: 'https://portal-api.r9s.ai',
  hosts: ['portal-api.r9s.ai'],
  secretPrefix: 'sk_mg_',
  maskHead: 8,
} as const satisfies Manifest;
