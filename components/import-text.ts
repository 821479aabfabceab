import { i18n } from '#i18n';
import { MAX_IMPORT_BYTES, MAX_IMPORT_KEYS, type MergeProblem } from '@/lib/backup';
import type { UnknownChannel } from '@/lib/channels';
import type { Analysis } from '@/lib/imports/detect';
import type { ExtrasMerge } from '@/lib/imports/extras';
import { clip, type ImportPlace, type Skipped } from '@/lib/imports/types';
import type { AttentionCounts } from '@/lib/popup-view';

/** How many problems or skipped items a message lists before "…and N more". */
export const SHOWN_PROBLEMS = 10;

/** A message of the import section: a headline, then at most SHOWN_PROBLEMS lines and how many more there are. */
export interface ImportMessage {
  kind: 'ok' | 'problem';
  headline: string;
  lines: string[];
  more: number;
}

/** The first lines of a list, and how many were left out. */
export function firstOf(lines: readonly string[], count = lines.length): { lines: string[]; more: number } {
  const shown = lines.slice(0, SHOWN_PROBLEMS);
  return { lines: shown, more: Math.max(0, count - shown.length) };
}

const place = (at: ImportPlace) =>
  'line' in at
    ? i18n.t('importAtLine', [String(at.line)])
    : 'account' in at
      ? i18n.t('importAtAccount', [at.account])
      : 'profile' in at
        ? i18n.t('importAtProfile', [at.profile])
        : i18n.t('importAtKey', [String(at.key)]);

/** Why an item was skipped, in the reader's language. */
export function skipReason(item: Skipped): string {
  switch (item.reason) {
    case 'cookie-auth':
      return i18n.t('skipCookieAuth');
    case 'needs-token':
      return i18n.t('skipNeedsToken');
    case 'unsupported-site':
      return i18n.t('skipUnsupportedSite', [item.detail ?? '?']);
    case 'one-api-account':
      return i18n.t('skipOneApiAccount');
    case 'paused':
      return i18n.t('skipPaused');
    case 'missing-fields':
      return i18n.t('skipMissingFields');
    case 'duplicate':
      return i18n.t('skipDuplicate');
    case 'no-base-url':
      return i18n.t('skipNoBaseUrl');
    case 'unrecognised':
      return i18n.t('skipUnrecognised');
    case 'bad-link':
      return i18n.t('skipBadLink');
    case 'invalid':
      return i18n.t('skipInvalid', [item.detail ?? '']);
  }
}

/** One skipped item as a line: where, and why. */
export const skippedLine = (item: Skipped) => `${place(item.at)}: ${skipReason(item)}`;

/**
 * What a version 3 file's settings and channels did (automation.md §3.4): settings
 * applied, channels added and updated, and each channel left out with why.
 */
export function extrasLines(merge: ExtrasMerge, unknown: readonly UnknownChannel[]): string[] {
  const { added, updated, masked } = merge.channels;
  const channels = added + updated;
  return [
    ...(merge.settings ? [i18n.t('importedSettings')] : []),
    ...(channels ? [i18n.t('importedChannels', channels, [String(channels), String(added), String(updated)])] : []),
    ...unknown.map((c) => i18n.t('skippedChannelType', [String(c.position), clip(c.label), clip(c.type, 40)])),
    ...masked.map((c) => i18n.t('skippedChannelMasked', [String(c.position), clip(c.label)])),
  ];
}

/** A merge refusal, in the reader's language. */
export function mergeProblemText(problem: MergeProblem): string {
  switch (problem.code) {
    case 'masked-unknown':
      return i18n.t('mergeMaskedUnknown', [String(problem.key), problem.label]);
    case 'masked-ambiguous':
      return i18n.t('mergeMaskedAmbiguous', [String(problem.key), problem.label, String(problem.count)]);
    case 'masked-twice':
      return i18n.t('mergeMaskedTwice', [String(problem.key), problem.label, String(problem.other)]);
    case 'too-many':
      return i18n.t('mergeTooMany', [String(problem.count), String(problem.max)]);
  }
}

/** Why a whole file was refused, with its first details. */
export function fileProblemMessage(analysis: Extract<Analysis, { status: 'failed' }>): ImportMessage {
  const detail = firstOf(analysis.details);
  const headline = (() => {
    switch (analysis.problem) {
      case 'too-large':
        return i18n.t('importTooLarge', [String(MAX_IMPORT_BYTES / 1024 / 1024)]);
      case 'too-many':
        return i18n.t('importTooMany', [String(analysis.count ?? '?'), String(MAX_IMPORT_KEYS)]);
      case 'invalid-backup':
        return i18n.t('importFailed');
      case 'unrecognised':
        return i18n.t('importUnrecognised');
      case 'bad-envelope':
        return i18n.t('importBadEnvelope');
      case 'wrong-password':
        return i18n.t('importWrongPassword');
      case 'no-keys':
        return i18n.t('importNoKeys');
    }
  })();
  return { kind: 'problem', headline, ...detail };
}

/** What a round of reads found: "2 OK, 1 refused", then the other states worst first. */
export function readCountsText(counts: AttentionCounts): string {
  // The popup's words for the same keys (lib/attention.ts); muted keys apart.
  const notOk =
    counts.expired +
    counts.exhausted +
    counts.invalid +
    counts.capped +
    counts.low +
    counts.expiring +
    counts.error +
    counts.noAccess +
    counts.pending +
    counts.muted;
  const parts: [number, string][] = [
    [counts.total - notOk, 'countOk'],
    [counts.expired, 'countExpired'],
    [counts.exhausted, 'countOut'],
    [counts.invalid, 'countRefused'],
    [counts.capped, 'countCapped'],
    [counts.low, 'countLow'],
    [counts.expiring, 'countExpiring'],
    [counts.error, 'countUnreadable'],
    [counts.noAccess, 'countNoAccess'],
    [counts.pending, 'countPending'],
    [counts.muted, 'mutedGroup'],
  ];
  return parts
    .filter(([count]) => count > 0)
    .map(([count, key]) => i18n.t(key as 'countOk', [String(count)]))
    .join(i18n.t('listSeparator'));
}
