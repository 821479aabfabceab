// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ImportPanel, type ImportTarget } from '@/components/ImportPanel';
import type { StoredExtras } from '@/lib/imports/extras';
import type { KeyConfig } from '@/lib/model';
import { DEFAULT_ALERT_SETTINGS } from '@/lib/settings-v3';
import { DEFAULT_SETTINGS } from '@/lib/state';
import { makeKey, NOW } from './helpers';

afterEach(cleanup);

/** A target over in-memory keys, settings and channels, as the options page keeps them in storage. */
function memoryTarget(keys: KeyConfig[], extras: StoredExtras) {
  const state = { keys, extras };
  const target: ImportTarget = {
    readKeys: async () => state.keys,
    writeKeys: async (next) => {
      state.keys = next;
    },
    refresh: vi.fn(() => new Promise<never>(() => undefined)),
    readExtras: async () => state.extras,
    writeExtras: async (next) => {
      state.extras = next;
    },
  };
  return { target, state };
}

const choose = (text: string) => {
  const input = screen.getByLabelText('Import') as HTMLInputElement;
  Object.defineProperty(input, 'files', { value: [new File([text], 'backup.json')], configurable: true });
  fireEvent.change(input);
};

const v3 = (fields: Record<string, unknown>) => JSON.stringify({ format: 'quota-glance', version: 3, keys: [], ...fields });
const empty: StoredExtras = { settings: DEFAULT_SETTINGS, alerts: DEFAULT_ALERT_SETTINGS, channels: [] };
const hook = { type: 'webhook' as const, label: 'team hook', url: 'https://hooks.example.com/qg' };

describe('import panel: backup version 3 (automation.md §3.4)', () => {
  it('says what was imported (keys, settings, channels, skipped channels), stores it, and Undo puts all of it back', async () => {
    const stored = [makeKey({ id: 'k-1', label: 'ci', baseUrl: 'https://relay.example.com', secret: 'sk-ci', updatedAt: NOW })];
    const { target, state } = memoryTarget(stored, { ...empty, channels: [hook] });
    render(<ImportPanel target={target} />);
    choose(
      v3({
        keys: [
          { id: 'k-1', label: 'ci', baseUrl: 'https://relay.example.com', kind: 'auto', secret: 'sk-ci', muted: true },
          { id: 'k-2', label: 'new', baseUrl: 'https://relay.example.com', kind: 'auto', secret: 'sk-new', pinned: true, updatedAt: 77 },
        ],
        settings: { notifyRestored: false, digestHour: 9 },
        channels: [
          { ...hook, url: 'https://hooks.example.com/changed' },
          { type: 'ntfy', label: 'phone', topic: 'qg-7f3a' },
          { type: 'pigeon', label: 'loft' },
          { type: 'bark', label: 'iPhone', deviceKey: 'bar…wxyz' },
        ],
      }),
    );
    await screen.findByText('Imported 2 keys (1 new, 1 updated). Reading them now…');
    expect(screen.getByText('Settings imported.')).toBeTruthy();
    expect(screen.getByText('Imported 2 alert channels (1 new, 1 updated).')).toBeTruthy();
    expect(screen.getByText('Channel 3 (“loft”) skipped: its type “pigeon” is not known to this version of Quota Glance.')).toBeTruthy();
    expect(screen.getByText(/^Channel 4 \(“iPhone”\) skipped: its secret was masked in the export/)).toBeTruthy();
    expect(state.keys.map((k) => [k.id, k.muted, k.pinned])).toEqual([
      ['k-1', true, undefined],
      ['k-2', undefined, true],
    ]);
    // The changed key is stamped later than it was (lib/storage/keys.ts `stamp`), the added one keeps the file's time.
    expect(state.keys[0]?.updatedAt).toBeGreaterThan(NOW);
    expect(state.keys[1]?.updatedAt).toBe(77);
    expect(state.extras.alerts).toEqual({ notifyRestored: false, digestHour: 9 });
    expect(state.extras.channels).toEqual([
      { ...hook, url: 'https://hooks.example.com/changed' },
      { type: 'ntfy', label: 'phone', server: 'https://ntfy.sh', topic: 'qg-7f3a' },
    ]);

    fireEvent.click(screen.getByRole('button', { name: 'Undo import' }));
    await screen.findByText('The import was undone: keys, settings and alert channels are back as they were.');
    expect(state.keys).toEqual(stored);
    expect(state.extras).toEqual({ ...empty, channels: [hook] });
  });

  it('a file of settings and channels only is imported, and says so', async () => {
    const { target, state } = memoryTarget([], empty);
    render(<ImportPanel target={target} />);
    choose(v3({ channels: [hook] }));
    await screen.findByText('No keys to import; the rest of the file was imported.');
    expect(screen.getByText('Imported 1 alert channel (1 new, 0 updated).')).toBeTruthy();
    expect(state.extras.channels).toEqual([hook]);
    expect(target.refresh).not.toHaveBeenCalled();
  });
});
