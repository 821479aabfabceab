import { R9S_BASE_URL, readR9s } from '../adapters/r9s';
import { noFields } from './fields';
import type { Provider } from './types';

/** An r9s.ai management key (`sk_mg_…`): the account balance (shared/spec/providers.md §1). */
export const r9sManager: Provider = {
  id: 'r9s-manager',
  label: 'kindR9sManager',
  defaultSite: R9S_BASE_URL,
  hosts: ['portal-api.r9s.ai'],
  fields: noFields,
  detect: { secretPrefix: 'sk_mg_', hosts: ['portal-api.r9s.ai'] },
  read: readR9s,
  unit: { from: 'answer' },
  expiry: 'no-expiry',
};
