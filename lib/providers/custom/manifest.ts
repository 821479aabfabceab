import type { Manifest } from '../manifest';

/** Any JSON endpoint, read by the key's own mapping (shared/spec/automation.md §3.1). */
export const manifest = {
  id: 'custom',
  label: { message: 'kindCustom' },
  expiry: 'optional',
  form: 'custom',
} as const satisfies Manifest;
