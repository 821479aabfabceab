import { readNewApiToken } from '../adapters/newapi-token';
import { noFields } from './fields';
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
};
