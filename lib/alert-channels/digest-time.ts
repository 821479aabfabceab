/**
 * When the daily digest goes out: at `digestHour` local time, once per local day. Pure:
 * the time zone comes in as `offsetAt(ms)`, minutes as `Date#getTimezoneOffset` gives
 * them (positive west of UTC), so days that change their offset (summer time) are right.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export type OffsetAt = (ms: number) => number;
export const localOffset: OffsetAt = (ms) => new Date(ms).getTimezoneOffset();

/** The local calendar day of a moment, `YYYY-MM-DD`. */
export function localDay(ms: number, offsetAt: OffsetAt = localOffset): string {
  return new Date(ms - offsetAt(ms) * 60_000).toISOString().slice(0, 10);
}

/** The UTC moment of a local wall-clock time (ms since the epoch, as if it were UTC). */
function fromWall(wall: number, offsetAt: OffsetAt): number {
  // The offset in force at that moment: guessed from the wall time, then checked once (summer time).
  const guess = wall + offsetAt(wall) * 60_000;
  return wall + offsetAt(guess) * 60_000;
}

/** The next digest after `now` (Unix ms): today at `hour` local time if still ahead, else tomorrow's. */
export function nextDigestAt(now: number, hour: number, offsetAt: OffsetAt = localOffset): number {
  const wallNow = now - offsetAt(now) * 60_000;
  const today = Math.floor(wallNow / DAY) * DAY;
  for (let day = 0; day < 3; day++) {
    const at = fromWall(today + day * DAY + hour * HOUR, offsetAt);
    if (at > now) return at;
  }
  return fromWall(today + 3 * DAY + hour * HOUR, offsetAt);
}

/** Whether a digest is due at `now`: the hour has come today and today's was not sent yet. */
export function digestDue(now: number, hour: number, sentDay: string | undefined, offsetAt: OffsetAt = localOffset): boolean {
  const wallNow = now - offsetAt(now) * 60_000;
  const today = Math.floor(wallNow / DAY) * DAY;
  return now >= fromWall(today + hour * HOUR, offsetAt) && sentDay !== localDay(now, offsetAt);
}
