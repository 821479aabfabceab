import type { Point } from '@/lib/history';

/** The remaining amount over the last days, as a small line; nothing for fewer than two points. */
export function Sparkline({ points, label }: { points: readonly Point[]; label: string }) {
  const first = points[0];
  const last = points[points.length - 1];
  if (points.length < 2 || !first || !last) return null;
  const values = points.map(([, v]) => v);
  const min = Math.min(...values, 0);
  const max = Math.max(...values);
  const span = last[0] - first[0] || 1;
  const height = max - min || 1;
  const path = points
    .map(([t, v]) => `${(((t - first[0]) / span) * 100).toFixed(1)},${(20 - ((v - min) / height) * 18 - 1).toFixed(1)}`)
    .join(' ');
  return (
    <svg class="spark" viewBox="0 0 100 20" preserveAspectRatio="none" role="img" aria-label={label}>
      <polyline points={path} fill="none" stroke="currentColor" stroke-width="1.5" vector-effect="non-scaling-stroke" />
    </svg>
  );
}
