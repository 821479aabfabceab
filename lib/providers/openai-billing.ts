import { readOpenAiBilling } from '../adapters/openai-billing';
import { noFields } from './fields';
import type { Provider } from './types';

/** A key on any gateway with OpenAI-style billing (shared/spec/new-api.md §2). */
export const openaiBilling: Provider = {
  id: 'openai-billing',
  label: 'kindOpenaiBilling',
  hosts: [],
  fields: noFields,
  detect: { siteProbe: true },
  read: readOpenAiBilling,
  unit: { from: 'site-display' },
  // `access_until` 0 means never *or* unknown (new-api.md §2): billing cannot say.
  expiry: 'never-reported',
};
