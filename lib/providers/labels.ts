import { i18n } from '#i18n';
import type { KeyKind } from '../model';
import { PROVIDERS } from '.';

/**
 * A kind's name in the browser's language, from its provider's declared locale key.
 * Kept apart from `lib/labels.ts` so the popup does not load the providers.
 */
export const kindLabel = (kind: KeyKind): string => (kind === 'auto' ? i18n.t('kindAuto') : i18n.t(PROVIDERS[kind].label));
