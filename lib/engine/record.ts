import { judgeAlerts } from '../alerts';
import { addPoint, type Point, trendOf } from '../history';
import { emptyStatus, type KeyConfig, type KeyStatus, type ReadOutcome } from '../model';
import { fitStatus } from '../reading-budget';
import { keyState, type Settings } from '../state';
import { judgeChildren } from '../token-views';
import type { Announcement } from './types';

/** What a read depends on: a result read with another identity is stale (issue #7, item 12). */
export const readIdentity = (key: KeyConfig) =>
  JSON.stringify([key.baseUrl, key.secret, key.kind, key.userId, key.currency, key.custom, key.expiresAt]);

/**
 * A key's status after a read ended at `at`: a success clears the error and the
 * failure count; a failure keeps the last good reading and counts one more failure.
 * A read Quota Glance held back itself (its budget for the site) asked nothing, and
 * notes when the key's turn comes (`heldBack`): a key read before keeps that attempt's
 * status, so no verdict changes without news from the site; a key never read says it
 * waits for the site's rate limit (an error that is no failure), not "not read yet"
 * for as long as the wait lasts. What was announced and the trend are kept.
 */
export function statusAfter(base: KeyStatus | undefined, outcome: ReadOutcome, at: number): KeyStatus {
  const { heldBack: _wasHeld, ...previous } = base ?? emptyStatus();
  if (!outcome.ok && outcome.error.heldBack) {
    const heldBack = { at, until: outcome.error.retryAt ?? at };
    if (previous.reading || previous.error) return { ...previous, heldBack };
    return { ...previous, error: { ...outcome.error, at }, attemptedAt: at, heldBack };
  }
  const kept = { ...(previous.trend ? { trend: previous.trend } : {}), ...(previous.alert ? { alert: previous.alert } : {}) };
  return outcome.ok
    ? { reading: outcome.reading, error: null, attemptedAt: at, failures: 0, detectedKind: outcome.reading.kind, ...kept }
    : {
        reading: outcome.reading ?? previous.reading,
        error: { ...outcome.error, at },
        attemptedAt: at,
        failures: previous.failures + 1,
        ...(previous.detectedKind ? { detectedKind: previous.detectedKind } : {}),
        ...kept,
      };
}

/** What recording one key's result needs: nothing is fetched, everything is given. */
export interface RecordInput {
  key: KeyConfig;
  /** The key's status after its read (`statusAfter`). */
  result: KeyStatus;
  /** The key's stored status, with its watched tokens' and plans' memory. */
  stored: KeyStatus | undefined;
  /** History series by id: the key's and its watched tokens'. */
  history: Readonly<Record<string, Point[]>>;
  settings: Settings;
  now: number;
}

/** The key's status to store, the history with its new points (gone tokens' series dropped), and what to announce. */
export interface Recorded {
  status: KeyStatus;
  history: Record<string, Point[]>;
  alerts: Announcement[];
}

/**
 * Records one key's result, as a pure function: a good reading with an amount adds
 * a history point and a trend; alerts are judged against what was announced; a
 * watched account's tokens and plans get theirs (lib/token-views.ts).
 */
export function recordResult({ key, result, stored, history, settings, now }: RecordInput): Recorded {
  const series: Record<string, Point[]> = { ...history };
  let status = result;
  const reading = result.reading;
  if (!result.error && reading && reading.remaining !== null && !reading.unlimited) {
    const extended = addPoint(history[key.id] ?? [], reading.fetchedAt, reading.remaining);
    series[key.id] = extended;
    status = { ...status, trend: trendOf(extended, now) };
  }
  const judged = judgeAlerts(key, status, keyState(key, status, settings, now), status.alert, settings, now);
  const family = judgeChildren(key, { ...status, alert: judged.memory }, stored, series, settings, now);
  // Within the key's byte budget with its tokens' memory; tokens cut to fit take their series along.
  const fitted = fitStatus(family.status);
  if (fitted !== family.status)
    for (const id of Object.keys(series)) if (id.startsWith(`${key.id}:`) && !fitted.children?.[id]) delete series[id];
  const alerts = [...judged.alerts.map((alert) => ({ key, alert })), ...family.alerts.filter((a) => !!fitted.children?.[a.key.id])];
  return { status: fitted, history: series, alerts };
}
