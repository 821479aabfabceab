import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dedupeCredentials, mergeStates, type SyncKey, type SyncState, sameState, TOMBSTONE_MS } from '@/lib/sync/merge';

const NOW = Date.UTC(2026, 11, 7, 10, 0, 0);
type Key = SyncKey & { label: string };
type State = SyncState<Key, { hour: number }, string[]>;
const empty = (): State => ({ keys: [], deleted: [] });

/**
 * A history on several browsers: each step is an add, an edit or a delete on one browser
 * at a later time, or a sync of one browser with another (each takes the merge). The
 * result says, for every id ever added, the last thing done to it anywhere.
 */
type Step =
  | { op: 'add'; browser: number; id: number }
  | { op: 'edit'; browser: number; id: number; label: string }
  | { op: 'delete'; browser: number; id: number }
  | { op: 'sync'; browser: number; other: number };
/** Whether the clock moved before the step: two browsers may well change a key in the same millisecond. */
type Timed = Step & { tick: boolean };

const BROWSERS = 3;
const untimed: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('add' as const), browser: fc.nat(BROWSERS - 1), id: fc.nat(2) }),
  fc.record({ op: fc.constant('edit' as const), browser: fc.nat(BROWSERS - 1), id: fc.nat(2), label: fc.constantFrom('x', 'y', 'z') }),
  fc.record({ op: fc.constant('delete' as const), browser: fc.nat(BROWSERS - 1), id: fc.nat(2) }),
  fc.record({ op: fc.constant('sync' as const), browser: fc.nat(BROWSERS - 1), other: fc.nat(BROWSERS - 1) }),
);
const step: fc.Arbitrary<Timed> = fc.tuple(untimed, fc.boolean()).map(([s, tick]) => ({ ...s, tick }));

/** Runs a history; `time` is each step's clock; a change is stamped as lib/storage/keys.ts stamps it (later than what it saw). */
function run(steps: Timed[]) {
  const browsers: State[] = Array.from({ length: BROWSERS }, empty);
  const added = new Set<string>();
  let time = NOW - 1000 * steps.length;
  for (const s of steps) {
    if (s.tick) time += 1000;
    const b = browsers[s.browser] as State;
    const id = `k${'id' in s ? s.id : 0}`;
    if (s.op === 'add') {
      // A fresh id each add (ids are random in the extension): same credential as id, so dedupe has work too.
      const fresh = `${id}-${s.browser}-${time}`;
      b.keys = [
        ...b.keys,
        { id: fresh, updatedAt: time, baseUrl: 'https://relay.example.com', secret: `sk-${id}-${s.browser}`, label: 'new' },
      ];
      added.add(fresh);
    } else if (s.op === 'edit') {
      const target = b.keys[s.id % Math.max(1, b.keys.length)];
      if (target) b.keys = b.keys.map((k) => (k === target ? { ...k, label: s.label, updatedAt: Math.max(time, k.updatedAt + 1) } : k));
    } else if (s.op === 'delete') {
      const target = b.keys[s.id % Math.max(1, b.keys.length)];
      if (target) {
        b.keys = b.keys.filter((k) => k !== target);
        b.deleted = [...b.deleted, { id: target.id, deletedAt: Math.max(time, target.updatedAt + 1) }];
      }
    } else {
      const merged = dedupeCredentials(mergeStates(b, browsers[s.other] as State, time));
      browsers[s.browser] = merged;
      browsers[s.other] = merged;
    }
  }
  return { browsers, added, time };
}

const stateArb = fc.array(step, { maxLength: 25 }).map((steps) => run(steps).browsers);

describe('sync merge (automation.md §6)', () => {
  it('is commutative, associative and idempotent over random histories on three browsers', () => {
    fc.assert(
      fc.property(stateArb, ([a, b, c]) => {
        const m = (x: State, y: State) => mergeStates(x, y, NOW);
        expect(sameState(m(a as State, b as State), m(b as State, a as State))).toBe(true);
        expect(sameState(m(m(a as State, b as State), c as State), m(a as State, m(b as State, c as State)))).toBe(true);
        expect(sameState(m(a as State, a as State), m(a as State, empty()))).toBe(true);
        const ab = m(a as State, b as State);
        expect(sameState(m(ab, ab), ab)).toBe(true);
        expect(sameState(m(ab, a as State), ab)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('loses no key and brings none back: after everyone syncs, a key is there exactly when its last change anywhere was not a delete', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const { browsers, added, time } = run(steps);
        // Everyone syncs with browser 0, then browser 0 with everyone again.
        let all = browsers[0] as State;
        for (const b of browsers) all = dedupeCredentials(mergeStates(all, b, time + 1));
        // What each browser did last to each key, and when.
        const lastOp = new Map<string, { at: number; deleted: boolean }>();
        for (const b of browsers)
          for (const t of b.deleted) if ((lastOp.get(t.id)?.at ?? -1) < t.deletedAt) lastOp.set(t.id, { at: t.deletedAt, deleted: true });
        for (const b of browsers)
          for (const k of b.keys) if ((lastOp.get(k.id)?.at ?? -1) < k.updatedAt) lastOp.set(k.id, { at: k.updatedAt, deleted: false });
        const there = new Set(all.keys.map((k) => k.id));
        for (const id of added) {
          const last = lastOp.get(id);
          if (!last) continue; // dropped as a duplicate before anyone kept it: see the dedupe test
          const duplicateOfLive = all.keys.some((k) => k.id !== id && k.secret === `sk-${id.split('-')[0]}-${id.split('-')[1]}`);
          if (last.deleted) expect(there.has(id)).toBe(false);
          else if (!duplicateOfLive) expect(there.has(id)).toBe(true);
        }
        // And every browser that takes the final merge holds the same.
        for (const b of browsers) expect(sameState(dedupeCredentials(mergeStates(b, all, time + 2)), all)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('a newer edit wins, a delete wins over older edits, an edit newer than the delete keeps the key', () => {
    const key = (at: number, label: string): Key => ({
      id: 'a',
      updatedAt: NOW - 100 + at,
      baseUrl: 'https://x.example',
      secret: 's',
      label,
    });
    const edited = mergeStates<Key, unknown, unknown>({ keys: [key(1, 'old')], deleted: [] }, { keys: [key(2, 'new')], deleted: [] }, NOW);
    expect(edited.keys.map((k) => k.label)).toEqual(['new']);
    const deleted = mergeStates<Key, unknown, unknown>(
      { keys: [key(5, 'edit')], deleted: [] },
      { keys: [], deleted: [{ id: 'a', deletedAt: NOW - 94 }] },
      NOW,
    );
    expect(deleted.keys).toEqual([]);
    expect(deleted.deleted).toEqual([{ id: 'a', deletedAt: NOW - 94 }]);
    const revived = mergeStates<Key, unknown, unknown>(
      { keys: [key(7, 'later')], deleted: [] },
      { keys: [], deleted: [{ id: 'a', deletedAt: NOW - 94 }] },
      NOW,
    );
    expect(revived.keys.map((k) => k.label)).toEqual(['later']);
  });

  it('remembers a deletion 90 days, then forgets it', () => {
    const t = { id: 'gone', deletedAt: NOW - TOMBSTONE_MS };
    expect(mergeStates(empty(), { keys: [], deleted: [t] }, NOW).deleted).toEqual([t]);
    expect(mergeStates(empty(), { keys: [], deleted: [t] }, NOW + 1).deleted).toEqual([]);
  });

  it('settings and channels: the newer whole wins', () => {
    const a: State = { keys: [], deleted: [], settings: { value: { hour: 1 }, updatedAt: 10 }, channels: { value: ['x'], updatedAt: 30 } };
    const b: State = { keys: [], deleted: [], settings: { value: { hour: 2 }, updatedAt: 20 }, channels: { value: ['y'], updatedAt: 5 } };
    const merged = mergeStates(a, b, NOW);
    expect(merged.settings?.value).toEqual({ hour: 2 });
    expect(merged.channels?.value).toEqual(['x']);
  });

  it('folds one credential added in two browsers into one key, and both browsers agree', () => {
    const one: Key = { id: 'one', updatedAt: 5, baseUrl: 'https://x.example', secret: 'sk-same', label: 'home' };
    const two: Key = { id: 'two', updatedAt: 7, baseUrl: 'https://x.example', secret: 'sk-same', label: 'work' };
    const a = dedupeCredentials(mergeStates<Key, unknown, unknown>({ keys: [one], deleted: [] }, { keys: [two], deleted: [] }, NOW));
    const b = dedupeCredentials(mergeStates<Key, unknown, unknown>({ keys: [two], deleted: [] }, { keys: [one], deleted: [] }, NOW));
    expect(a.keys.map((k) => k.label)).toEqual(['work']);
    expect(a.deleted).toEqual([{ id: 'one', deletedAt: 7 }]);
    expect(sameState(a, b)).toBe(true);
    // The browser that still holds the older one unchanged does not bring it back.
    expect(dedupeCredentials(mergeStates(a, { keys: [one], deleted: [] }, NOW)).keys.map((k) => k.id)).toEqual(['two']);
    expect(sameState(dedupeCredentials(a), a)).toBe(true);
  });
});
