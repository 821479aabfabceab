/**
 * A compact, bounded history of each key's remaining amount, and what it says
 * about the future: burn rate, "runs out in about N days", a sparkline.
 */

import type { Point, Trend } from './schema';

/** [unix minutes, remaining] and a trend: stored shapes, defined in lib/schema.ts. */
export type { Point, Trend } from './schema';

const HOUR = 60;
const DAY = 24 * HOUR;

/**
 * Resolution by age, counted from the start of the current UTC day: today's and
 * yesterday's points close together, older ones far apart, so a key polled every
 * minute for a year keeps at most about 300 points.
 */
type Tiers = readonly { maxAgeMinutes: number; spacingMinutes: number }[];

const TIERS: Tiers = [
  { maxAgeMinutes: 0, spacingMinutes: 30 },
  { maxAgeMinutes: DAY, spacingMinutes: HOUR },
  { maxAgeMinutes: 30 * DAY, spacingMinutes: 6 * HOUR },
  { maxAgeMinutes: 400 * DAY, spacingMinutes: 3 * DAY },
];

/**
 * A watched account's token keeps a week, coarser (about 50 points, 1 KB): enough for
 * its trend and sparkline, and an account of hundreds of tokens stays small in storage.
 */
export const TOKEN_TIERS: Tiers = [
  { maxAgeMinutes: 0, spacingMinutes: HOUR },
  { maxAgeMinutes: 7 * DAY, spacingMinutes: 6 * HOUR },
];

/** The start of the UTC day of a time in Unix minutes. */
const dayStart = (minutes: number) => minutes - (minutes % DAY);

/**
 * Adds a reading and thins the series by age: each tier keeps one point per fixed
 * time slot (the latest reading in it), and points older than the last tier go.
 * Ages count from the start of the current day, so the points before today change
 * only when the day changes: storage rewrites them once a day, not on every read.
 */
export function addPoint(series: readonly Point[], at: number, remaining: number, tiers: Tiers = TIERS): Point[] {
  const now = Math.floor(at / 60_000);
  const today = dayStart(now);
  // Points come sorted by time; each keeps the slot of its tier, the latest point winning.
  const kept: Point[] = [];
  let lastSlot = Number.NaN;
  const add = (point: Point) => {
    const age = point[0] >= today ? 0 : today - point[0];
    const tier = tiers.findIndex((t) => age <= t.maxAgeMinutes);
    if (tier < 0) return;
    const slot = tier * 1e12 + Math.floor(point[0] / (tiers[tier] as Tiers[number]).spacingMinutes);
    if (slot === lastSlot) kept[kept.length - 1] = point;
    else kept.push(point);
    lastSlot = slot;
  };
  for (const point of series) if (point[0] < now) add(point);
  add([now, remaining]);
  return kept;
}

/**
 * A series as stored: the points before the UTC day of its newest point (which
 * change once a day) apart from that day's points (which change on every read).
 */
export function splitHistory(series: readonly Point[]): { archive: Point[]; today: Point[] } {
  const newest = series.at(-1);
  if (!newest) return { archive: [], today: [] };
  const today = dayStart(newest[0]);
  return { archive: series.filter(([t]) => t < today), today: series.filter(([t]) => t >= today) };
}

/**
 * The burn rate from the last 7 days since the latest top-up (a rise in remaining),
 * by least squares; needs at least 3 points spanning 2 hours to say anything.
 */
export function trendOf(series: readonly Point[], at: number): Trend {
  const now = Math.floor(at / 60_000);
  const week = series.filter(([t]) => t >= now - 7 * DAY);
  let start = 0;
  for (let i = 1; i < week.length; i++) if ((week[i] as Point)[1] > (week[i - 1] as Point)[1] + 1e-9) start = i;
  const stretch = week.slice(start);
  const sparkline = thin(week, 28);
  const first = stretch[0];
  const last = stretch[stretch.length - 1];
  if (stretch.length < 3 || !first || !last || last[0] - first[0] < 2 * HOUR) return { burnPerDay: null, runsOutAt: null, sparkline };

  const n = stretch.length;
  const mt = stretch.reduce((s, [t]) => s + t, 0) / n;
  const mv = stretch.reduce((s, [, v]) => s + v, 0) / n;
  let num = 0;
  let den = 0;
  for (const [t, v] of stretch) {
    num += (t - mt) * (v - mv);
    den += (t - mt) ** 2;
  }
  const perMinute = den > 0 ? num / den : 0;
  const burnPerDay = Math.max(0, -perMinute * DAY);
  const remaining = last[1];
  const runsOutAt = burnPerDay > 0 && remaining > 0 ? at + (remaining / burnPerDay) * 86_400_000 : null;
  return { burnPerDay, runsOutAt, sparkline };
}

function thin(points: readonly Point[], most: number): Point[] {
  if (points.length <= most) return [...points];
  const step = (points.length - 1) / (most - 1);
  return Array.from({ length: most }, (_, i) => points[Math.round(i * step)] as Point);
}
