import { describe, expect, it } from 'vitest';
import { addPoint, type Point, splitHistory, trendOf } from '@/lib/history';

const MIN = 60_000;
const start = Date.UTC(2026, 0, 1);

describe('history', () => {
  // A year of reads is plain CPU work (35,000 calls): a generous limit, so a busy machine cannot fail it.
  it('stays small: a key read every 15 minutes for a year keeps about 300 points', { timeout: 60_000 }, () => {
    // The bound comes from fixed time slots per age tier, not from how often the key is read.
    let series: Point[] = [];
    for (let m = 0; m < 366 * 24 * 60; m += 15) series = addPoint(series, start + m * MIN, 1000 - m / 1000);
    expect(series.length).toBeLessThan(320);
    expect(series.length).toBeGreaterThan(150);
    // Recent points are dense, old ones sparse; the newest is always kept.
    const newest = series.at(-1)?.[0] ?? 0;
    expect(newest).toBe(Math.floor((start + (366 * 24 * 60 - 15) * MIN) / MIN));
    expect(series.filter(([t]) => newest - t <= 24 * 60).length).toBeGreaterThanOrEqual(47);
    expect(series.filter(([t]) => newest - t > 30 * 24 * 60).length).toBeLessThan(130);
  });

  it('measures the burn rate since the last top-up', () => {
    let series: Point[] = [];
    // Burning 2 a day, topped up at hour 12, then burning 4 a day.
    for (let h = 0; h <= 12; h++) series = addPoint(series, start + h * 60 * MIN, 100 - (2 * h) / 24);
    for (let h = 13; h <= 36; h++) series = addPoint(series, start + h * 60 * MIN, 200 - (4 * (h - 13)) / 24);
    const now = start + 36 * 60 * MIN;
    const trend = trendOf(series, now);
    expect(trend.burnPerDay).toBeCloseTo(4, 6);
    expect(((trend.runsOutAt ?? 0) - now) / 86_400_000).toBeCloseTo((200 - 4 * (23 / 24)) / 4, 4);
    expect(trend.sparkline.length).toBeLessThanOrEqual(28);
  });

  it('says nothing from too little data, and no run-out for an unused key', () => {
    const two = addPoint(addPoint([], start, 10), start + 30 * MIN, 9);
    expect(trendOf(two, start + 30 * MIN)).toMatchObject({ burnPerDay: null, runsOutAt: null });
    let flat: Point[] = [];
    for (let h = 0; h < 10; h++) flat = addPoint(flat, start + h * 60 * MIN, 10);
    expect(trendOf(flat, start + 9 * 60 * MIN)).toMatchObject({ burnPerDay: 0, runsOutAt: null });
  });
});

describe('history as stored', () => {
  it('the points before today do not change within a day, whatever is read (issue #7, item 10)', () => {
    let series: Point[] = [];
    // Forty days of readings every 20 minutes, then one more day.
    for (let m = 0; m < 40 * 24 * 60; m += 20) series = addPoint(series, start + m * MIN, 500 - m / 100);
    const dayBegins = start + 40 * 24 * 60 * MIN;
    const archived = splitHistory(addPoint(series, dayBegins, 1)).archive;
    for (let m = 20; m < 24 * 60; m += 20) {
      series = addPoint(series, dayBegins + m * MIN, 1 + m);
      const { archive, today } = splitHistory(series);
      expect(archive).toEqual(archived);
      expect(today.length).toBeLessThanOrEqual(48);
    }
  });

  it('splits a series into the points before the newest point’s day and that day’s', () => {
    const day = Math.floor(start / MIN);
    const series: Point[] = [
      [day - 90, 3],
      [day - 1, 2],
      [day, 1],
      [day + 600, 0],
    ];
    expect(splitHistory(series)).toEqual({ archive: series.slice(0, 2), today: series.slice(2) });
    expect(splitHistory([])).toEqual({ archive: [], today: [] });
  });
});
