/**
 * A compact, bounded history of each key's remaining amount, and what it says
 * about the future: burn rate, "runs out in about N days", a sparkline.
 */

/** [unix minutes, remaining] */
export type Point = [number, number];

const HOUR = 60;
const DAY = 24 * HOUR;

/**
 * Resolution by age: recent points are kept close together, old ones far apart, so
 * a key polled every minute for a year keeps at most about 300 points.
 */
const TIERS: { maxAgeMinutes: number; spacingMinutes: number }[] = [
  { maxAgeMinutes: DAY, spacingMinutes: 30 },
  { maxAgeMinutes: 30 * DAY, spacingMinutes: 6 * HOUR },
  { maxAgeMinutes: 400 * DAY, spacingMinutes: 3 * DAY },
];

/**
 * Adds a reading and thins the series by age: each tier keeps one point per fixed
 * time slot (the latest reading in it), and points older than the last tier go.
 */
export function addPoint(series: readonly Point[], at: number, remaining: number): Point[] {
  const now = Math.floor(at / 60_000);
  const slots = new Map<string, Point>();
  for (const point of [...series.filter(([t]) => t < now), [now, remaining] as Point]) {
    const tier = TIERS.find((t) => now - point[0] <= t.maxAgeMinutes);
    if (tier) slots.set(`${tier.spacingMinutes}:${Math.floor(point[0] / tier.spacingMinutes)}`, point);
  }
  return [...slots.values()].sort((a, b) => a[0] - b[0]);
}

export interface Trend {
  /** Units of the key's currency used per day, over the recent stretch without top-ups; null when unknown. */
  burnPerDay: number | null;
  /** Unix ms when it runs out at that rate; null when not burning or unknown. */
  runsOutAt: number | null;
  /** Up to 28 points of the last 7 days, for a sparkline. */
  sparkline: Point[];
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
