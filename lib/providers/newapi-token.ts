import { readNewApiToken } from '../adapters/newapi-token';
import { TOP_UP } from '../top-up';
import { noFields } from './fields';
import { newApiPolicy } from './newapi/policy';
import type { Provider } from './types';

/** An `sk-` key on a new-api gateway, read on its token route (shared/spec/new-api.md §1). */
export const newapiToken: Provider = {
  id: 'newapi-token',
  label: 'kindNewapiToken',
  hosts: [],
  fields: noFields,
  detect: { siteProbe: true },
  read: readNewApiToken,
  unit: { from: 'site-display' },
  expiry: 'reported',
  // The token route's budget, `/api/status` display cache and billing fallback (shared/spec/new-api.md §3, §6.1).
  policy: newApiPolicy,
  topUp: TOP_UP['newapi-token'],
};
