import type { KindForm } from '@/lib/providers/manifest';
import { accountFields } from './AccountFields';
import { customFields } from './CustomFields';
import type { KindFields } from './types';

export type { KindFieldsProps, Problems } from './types';

/** Each set of kind fields a manifest can name (`Manifest.form`), by that name. */
// biome-ignore lint/suspicious/noExplicitAny: each entry keeps its own state type; the form stores them opaquely.
export const KIND_FIELDS: { readonly [K in KindForm]: KindFields<any> } = { account: accountFields, custom: customFields };
