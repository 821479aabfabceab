import { i18n } from '#i18n';
import { CONCERN_ORDER, type Concern } from './attention';
import type { ErrorKind, KeyState, ReadError } from './model';

/** `rate-limited` → `RateLimited`: a state's, an error kind's or a window's name as the end of its message key. */
export const pascal = (name: string) => name.replace(/(?:^|-)(\w)/g, (_, c: string) => c.toUpperCase());

/**
 * People-facing names of states and error kinds, in the browser's language (kinds:
 * `lib/providers/labels.ts`). Message keys are `state…` and `error…` plus the name
 * (tests/locales.test.ts holds every one to exist).
 */
export const stateLabel = (state: KeyState): string => i18n.t(`state${pascal(state)}` as 'stateOk');

/** A concern in words (lib/attention.ts), the same on the chip, in the badge's tooltip and on the options page. */
export const concernLabel = (concern: Concern): string =>
  concern === 'expiring' ? i18n.t('expiresSoon') : concern === 'no-access' ? i18n.t('needsAccess') : stateLabel(concern);

/** The message that counts keys of a concern ("2 expired"). */
const COUNTED: Partial<Record<Concern, string>> = {
  expired: 'countExpired',
  exhausted: 'countOut',
  invalid: 'countRefused',
  capped: 'countCapped',
  low: 'countLow',
  expiring: 'countExpiring',
  error: 'countUnreadable',
  'no-access': 'countNoAccess',
};

/** "2 expired, 1 low, 1 expiring soon": the headline's and the tooltip's counts, worst first. */
export const concernCounts = (by: Partial<Record<Concern, number>>): string =>
  CONCERN_ORDER.flatMap((c) => (by[c] ? [i18n.t(COUNTED[c] as 'countLow', [String(by[c])])] : [])).join(i18n.t('listSeparator'));

/** A window's name in words: the common lengths translated ("5-hour", "weekly"), a gateway's own name as it is. */
export const windowLabel = (name: string): string =>
  ['5h', 'day', 'week', 'month', 'total'].includes(name) ? i18n.t(`window${pascal(name)}` as 'windowDay') : name;

export const errorLabel = (kind: ErrorKind): string => i18n.t(`error${pascal(kind)}` as 'errorAuth');

/** An error's localised description: the kind's, or a more precise one (a redirect to another site, a storage failure). */
export const errorText = (error: Pick<ReadError, 'kind' | 'code' | 'message' | 'heldBack'>): string => {
  // Never asked: Quota Glance waits for its own budget for the site, the site did not refuse anything.
  if (error.heldBack) return i18n.t('errorHeldBack');
  if (error.code === 'stopped') return i18n.t('readStopped');
  if (error.code === 'account') return i18n.t('errorFromAccount');
  if (error.code === 'redirect') return i18n.t('errorRedirect', [errorDetail(error.message)]);
  if (error.code === 'storage') return i18n.t('errorStorage');
  if (error.code === 'cross-origin-redirect') {
    return i18n.t('errorCrossOriginRedirect', [/redirected to another site, (.*)$/.exec(error.message)?.[1] ?? '?']);
  }
  return errorLabel(error.kind);
};

/** Whether an error's own message would only repeat what `errorText` says (a precise description, or a read held back). */
export const saysItAll = (error: Pick<ReadError, 'code' | 'heldBack'>): boolean =>
  !!error.heldBack || (!!error.code && error.code !== 'account');

/** A text and its detail in brackets, as the language writes them: "… (HTTP 502)", "…。（HTTP 502）". */
export const withDetail = (text: string, detail: string): string => i18n.t('textWithDetail', [text, detail]);

/** A failed read in words, the popup's and the options page's alike: what went wrong, and the site's words in brackets when they add to it. */
export const errorWithDetail = (error: Pick<ReadError, 'kind' | 'code' | 'message' | 'heldBack'>): string =>
  saysItAll(error) ? errorText(error) : withDetail(errorText(error), errorDetail(error.message));

/**
 * Two sentences one after the other: a space between them in English, none in Chinese or Japanese (the
 * language of the messages in use, `localeId`). Not a message "$1$2": Chrome reads "$1$" as a named placeholder.
 */
export const twoSentences = (first: string, second: string): string =>
  /^(zh|ja)/.test(i18n.t('localeId')) ? `${first}${second}` : `${first} ${second}`;

/** Detail texts the extension itself writes (lib/http.ts, lib/engine.ts, adapters), by pattern. */
// Each message takes the pattern's first group, if it has one, as its $1.
const DETAILS: [RegExp, string][] = [
  [/^connection failed$/, 'detailConnectionFailed'],
  [/^no answer within (\d+) s$/, 'detailNoAnswer'],
  [/^redirected to another site, (.+)$/, 'detailRedirected'],
  [/^the site moved to https, (.+)$/, 'detailHttpsUpgrade'],
  [/^the site redirects in a loop$/, 'detailRedirectLoop'],
  [/^too many redirects$/, 'detailTooManyRedirects'],
  [/^redirected, and the target could not be reached$/, 'detailRedirectUnreachable'],
  [/^HTTP (\d+), a web page$/, 'detailWebPage'],
  [/^HTTP (\d+), an empty answer$/, 'detailEmpty'],
  [/^HTTP (\d+), not JSON$/, 'detailNotJson'],
  [/^HTTP (\d+), malformed JSON$/, 'detailMalformed'],
  [/^connection broke while reading the answer$/, 'detailBroke'],
  [/^answer larger than a quota reading can be$/, 'detailTooLarge'],
  [/^no permission for this site yet/, 'detailNoAccess'],
  [/^held back to stay within the site's rate limit$/, 'detailHeldBack'],
  [/^figures out of any sensible range$/, 'detailOutOfRange'],
  [/^this kind is not read yet$/, 'detailNotYet'],
  [/^HTTP 401 on \/v1\/models: the key is disabled$/, 'detailDisabled'],
];

/**
 * An error's detail in the page's language. Texts the extension wrote are translated;
 * a gateway's own words ("HTTP 401: invalid token") are shown as the gateway said them.
 */
export function errorDetail(message: string): string {
  for (const [pattern, key] of DETAILS) {
    const match = message.match(pattern);
    if (match) return i18n.t(key as 'detailNoAnswer', [match[1] ?? '']);
  }
  return message;
}

/** Whether an error says the extension has no access to the key's site yet (lib/engine.ts NO_ACCESS). */
export const isNoAccess = (message: string | undefined): boolean => !!message && /^no permission for this site yet/.test(message);
