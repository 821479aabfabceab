import { i18n } from '#i18n';
import type { ErrorKind, KeyKind, KeyState, ReadError } from './model';

/** People-facing names of states, error kinds and key kinds, in the browser's language. */
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

export const kindLabel = (kind: KeyKind): string =>
  ({
    auto: i18n.t('kindAuto'),
    'newapi-token': i18n.t('kindNewapiToken'),
    'openai-billing': i18n.t('kindOpenaiBilling'),
    'newapi-user': i18n.t('kindNewapiUser'),
    'r9s-manager': i18n.t('kindR9sManager'),
    openrouter: i18n.t('kindOpenrouter'),
    deepseek: i18n.t('kindDeepseek'),
    moonshot: i18n.t('kindMoonshot'),
    siliconflow: i18n.t('kindSiliconflow'),
    stepfun: i18n.t('kindStepfun'),
    custom: i18n.t('kindCustom'),
  })[kind];

/** An error's localised description: the kind's, or a more precise one (a redirect to another site, a storage failure). */
export const errorText = (error: Pick<ReadError, 'kind' | 'code' | 'message'>): string => {
  if (error.code === 'cross-origin-redirect') {
    return i18n.t('errorCrossOriginRedirect', [/redirected to another site, (.*)$/.exec(error.message)?.[1] ?? '?']);
  }
  return errorLabel(error.kind);
};
