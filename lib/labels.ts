import { i18n } from '#i18n';
import type { ErrorKind, KeyState, ReadError } from './model';

/** People-facing names of states and error kinds, in the browser's language (kinds: `lib/providers/labels.ts`). */
export const stateLabel = (state: KeyState): string =>
  ({
    ok: i18n.t('stateOk'),
    low: i18n.t('stateLow'),
    capped: i18n.t('stateCapped'),
    exhausted: i18n.t('stateExhausted'),
    expired: i18n.t('stateExpired'),
    invalid: i18n.t('stateInvalid'),
    error: i18n.t('stateError'),
    pending: i18n.t('statePending'),
  })[state];

/** A window's name in words: the common lengths translated ("5-hour", "weekly"), a gateway's own name as it is. */
export function windowLabel(name: string): string {
  switch (name) {
    case '5h':
      return i18n.t('window5h');
    case 'day':
      return i18n.t('windowDay');
    case 'week':
      return i18n.t('windowWeek');
    case 'month':
      return i18n.t('windowMonth');
    case 'total':
      return i18n.t('windowTotal');
    default:
      return name;
  }
}

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
  if (error.code === 'stopped') return i18n.t('readStopped');
  if (error.code === 'account') return i18n.t('errorFromAccount');
  if (error.code === 'redirect') return i18n.t('errorRedirect', [errorDetail(error.message)]);
  if (error.code === 'storage') return i18n.t('errorStorage');
  if (error.code === 'cross-origin-redirect') {
    return i18n.t('errorCrossOriginRedirect', [/redirected to another site, (.*)$/.exec(error.message)?.[1] ?? '?']);
  }
  return errorLabel(error.kind);
};

/** Detail texts the extension itself writes (lib/http.ts, lib/engine.ts, adapters), by pattern. */
const DETAILS: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^connection failed$/, () => i18n.t('detailConnectionFailed')],
  [/^no answer within (\d+) s$/, (m) => i18n.t('detailNoAnswer', [m[1] ?? ''])],
  [/^redirected to another site, (.+)$/, (m) => i18n.t('detailRedirected', [m[1] ?? ''])],
  [/^the site moved to https, (.+)$/, (m) => i18n.t('detailHttpsUpgrade', [m[1] ?? ''])],
  [/^the site redirects in a loop$/, () => i18n.t('detailRedirectLoop')],
  [/^too many redirects$/, () => i18n.t('detailTooManyRedirects')],
  [/^redirected, and the target could not be reached$/, () => i18n.t('detailRedirectUnreachable')],
  [/^HTTP (\d+), a web page$/, (m) => i18n.t('detailWebPage', [m[1] ?? ''])],
  [/^HTTP (\d+), an empty answer$/, (m) => i18n.t('detailEmpty', [m[1] ?? ''])],
  [/^HTTP (\d+), not JSON$/, (m) => i18n.t('detailNotJson', [m[1] ?? ''])],
  [/^HTTP (\d+), malformed JSON$/, (m) => i18n.t('detailMalformed', [m[1] ?? ''])],
  [/^connection broke while reading the answer$/, () => i18n.t('detailBroke')],
  [/^answer larger than a quota reading can be$/, () => i18n.t('detailTooLarge')],
  [/^no permission for this site yet/, () => i18n.t('detailNoAccess')],
  [/^held back to stay within the site's rate limit$/, () => i18n.t('detailHeldBack')],
  [/^figures out of any sensible range$/, () => i18n.t('detailOutOfRange')],
  [/^this kind is not read yet$/, () => i18n.t('detailNotYet')],
  [/^HTTP 401 on \/v1\/models: the key is disabled$/, () => i18n.t('detailDisabled')],
];

/**
 * An error's detail in the page's language. Texts the extension wrote are translated;
 * a gateway's own words ("HTTP 401: invalid token") are shown as the gateway said them.
 */
export function errorDetail(message: string): string {
  for (const [pattern, text] of DETAILS) {
    const match = message.match(pattern);
    if (match) return text(match);
  }
  return message;
}

/** Whether an error says the extension has no access to the key's site yet (lib/engine.ts NO_ACCESS). */
export const isNoAccess = (message: string | undefined): boolean => !!message && /^no permission for this site yet/.test(message);
