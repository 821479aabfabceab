import type { Manifest } from '../manifest';
import { page } from './page';

/** Any JSON endpoint, read by the key's own mapping (shared/spec/automation.md §3.1). */
export const manifest = {
  ...page,
  label: { message: 'kindCustom' },
  form: 'custom',
} as const satisfies Manifest;
