import { z } from 'zod';
import { readNewApiUser } from '../adapters/newapi-user';
import { TOP_UP } from '../top-up';
import type { Provider } from './types';

/** A new-api account: system access token + user id, its wallet (shared/spec/new-api.md §4). */
export const newapiUser: Provider = {
  id: 'newapi-user',
  label: 'kindNewapiUser',
  hosts: [],
  fields: z.object({ userId: z.number().int().positive(), watchTokens: z.boolean().optional() }),
  detect: { manual: true },
  read: readNewApiUser,
  unit: { from: 'site-display' },
  expiry: 'no-expiry',
  topUp: TOP_UP['newapi-user'],
};
