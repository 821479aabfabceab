import { i18n } from '#i18n';
import type { ErrorKind, KeyState, ReadError } from './model';

/** People-facing names of states and error kinds, in the browser's language (kinds: `lib/providers/labels.ts`). */
export const stateLabel = (state: KeyState): string =>
  ({
    ok: i18n.t('stateOk'),
    low: i18n.t('stateLow'),
    exhausted: i18n.t('stateExhausted'),
    expired: i18n.t('stateExpired'),
    invalid: i18n.t('stateInvalid'),
    error: i18n.t('stateError'),
    pending: i18n.t('statePending'),
  })[state];

export const errorLabel = (kind: ErrorKind): string =>
  ({
    auth: i18n.t('errorAuth'),
    forbidden: i18n.t('errorForbidden'),
    'rate-limited': i18n.t('errorRateLimited'),
    timeout: i18n.t('errorTimeout'),
    network: i18n.t('errorNetwork'),
    server: i18n.t('errorServer'),
    'bad-response': i18n.t('errorBadResponse'),
    'not-supported': i18n.t('errorNotSupported'),
  })[kind];

/** An error's localised description: the kind's, or a more precise one (a redirect to another site, a storage failure). */
export const errorText = (error: Pick<ReadError, 'kind' | 'code' | 'message'>): string => {
  if (error.code === 'cross-origin-redirect') {
    return i18n.t('errorCrossOriginRedirect', [/redirected to another site, (.*)$/.exec(error.message)?.[1] ?? '?']);
  }
  return errorLabel(error.kind);
};
