// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { noteChangesFromNow, useStored, type Watchable } from '@/lib/storage/use-stored';

afterEach(cleanup);

/** A stored value with its change event, as `storage.onChanged` reports it to every watcher. */
function storedValue(initial: string) {
  let value = initial;
  const watchers = new Set<(v: string) => void>();
  const changeListeners: (() => void)[] = [];
  const item: Watchable<string> = {
    getValue: async () => value,
    watch(callback) {
      watchers.add(callback);
      return () => watchers.delete(callback);
    },
  };
  return {
    item,
    onChanged: { addListener: (l: () => void) => void changeListeners.push(l) },
    write(next: string) {
      value = next;
      for (const l of changeListeners) l();
      for (const w of watchers) w(next);
    },
    /** A write that lands before the page's watchers start: only the change event sees it. */
    writeUnwatched(next: string) {
      value = next;
      for (const l of changeListeners) l();
    },
  };
}

function Shown({ item, initial }: { item: Watchable<string>; initial: string }) {
  return <p>{useStored(item, initial)}</p>;
}

describe('useStored with the value a page read first (issue #9)', () => {
  it('shows a write that landed between the first read and the watcher', async () => {
    const stored = storedValue('first');
    noteChangesFromNow(stored.onChanged);
    const read = await stored.item.getValue();
    stored.writeUnwatched('landed meanwhile');
    render(<Shown item={stored.item} initial={read} />);
    expect(await screen.findByText('landed meanwhile')).toBeTruthy();
  });

  it('keeps showing what it read when nothing changed, and follows later writes', async () => {
    const stored = storedValue('first');
    noteChangesFromNow(stored.onChanged);
    render(<Shown item={stored.item} initial={await stored.item.getValue()} />);
    expect(screen.getByText('first')).toBeTruthy();
    act(() => stored.write('second'));
    expect(await screen.findByText('second')).toBeTruthy();
  });
});
