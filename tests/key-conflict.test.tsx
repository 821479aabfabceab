// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ImportPanel, type ImportTarget } from '@/components/ImportPanel';
import { KeyForm } from '@/components/KeyForm';
import { App } from '@/entrypoints/options/App';
import { MAX_STORED_KEYS } from '@/lib/backup';
import { onMessage } from '@/lib/messages';
import type { KeyConfig, ReadOutcome } from '@/lib/model';
import { keysItem } from '@/lib/storage/items';
import { createKeyStore, type KeyChange } from '@/lib/storage/keys';
import { makeKey, NOW, usdReading } from './helpers';

const OK: ReadOutcome = { ok: true, reading: usdReading(8.5, { fetchedAt: NOW }) };
const handlers: (() => void)[] = [];
/** What the page sent the background's writer. */
const sent: KeyChange[] = [];
/** What the sites were asked to read (Test, or Save's check of a new credential). */
const probed: KeyConfig[] = [];
/** Another tab's change, applied just before the next change this page sends reaches the writer. */
let meanwhile: KeyChange | null = null;
/** The writer's clock stands still: updatedAt must move forward anyway. */
const writer = createKeyStore(keysItem, () => NOW);

beforeEach(() => {
  sent.length = 0;
  probed.length = 0;
  meanwhile = null;
  handlers.push(
    onMessage('changeKeys', async ({ data }) => {
      sent.push(data);
      const other = meanwhile;
      meanwhile = null;
      if (other) expect((await writer.change(other)).ok).toBe(true);
      return writer.change(data);
    }),
    onMessage('probe', ({ data }) => {
      probed.push(data);
      return OK;
    }),
    onMessage('refresh', async () => ({ total: 1, ok: 1, failed: 0 })),
  );
});
afterEach(() => {
  cleanup();
  for (const stop of handlers.splice(0)) stop();
});

const KEY = makeKey({
  id: 'k',
  label: 'old name',
  baseUrl: 'https://relay.example.com',
  secret: 'sk-old',
  kind: 'newapi-token',
  createdAt: NOW - 1000,
  updatedAt: NOW - 1000,
});
const CONFLICT = /This key was changed in another tab or window since you opened it, so nothing was saved/;
const stored = async () => (await keysItem.getValue())[0];
const editor = () => document.querySelector('.editor') as HTMLElement;
const field = (name: string) => editor().querySelector(`input[name="${name}"]`) as HTMLInputElement;

/** Opens the options page on the stored key and its editor. */
async function openEditor() {
  render(<App locale="en-US" />);
  fireEvent.click(await screen.findByRole('button', { name: 'Edit', description: 'old name' }));
  await waitFor(() => expect(editor()).toBeTruthy());
}

describe('an edit never silently undoes another tab’s change', () => {
  it.each([
    ['before Save is pressed', 'before'],
    ['while Save is on its way to the background', 'racing'],
  ] as const)(
    'another tab saves a new secret %s; this tab’s rename is refused and says so; Reload shows the stored key',
    async (_, when) => {
      await keysItem.setValue([KEY]);
      await openEditor();
      fireEvent.input(field('label'), { target: { value: 'B name' } });
      const otherTab: KeyChange = { type: 'patch', id: 'k', fields: { secret: 'sk-from-a' }, expectedUpdatedAt: KEY.updatedAt };
      if (when === 'before') expect((await writer.change(otherTab)).ok).toBe(true);
      else meanwhile = otherTab;
      fireEvent.click(screen.getByRole('button', { name: 'Save' }));

      await screen.findByText(CONFLICT);
      expect(await stored()).toMatchObject({ label: 'old name', secret: 'sk-from-a' });
      expect(screen.queryByText(/^Saved\./)).toBeNull();
      // The editor stays open with what the person typed; nothing was sent to the site.
      expect(field('label').value).toBe('B name');
      expect(probed).toEqual([]);

      fireEvent.click(screen.getByRole('button', { name: 'Reload this key' }));
      await waitFor(() => expect(field('label').value).toBe('old name'));
      expect(field('secret').value).toBe('sk-from-a');
      expect(screen.queryByText(CONFLICT)).toBeNull();

      fireEvent.input(field('label'), { target: { value: 'B name' } });
      fireEvent.click(screen.getByRole('button', { name: 'Save' }));
      await screen.findByText(/^Saved\. B name:/);
      expect(await stored()).toMatchObject({ label: 'B name', secret: 'sk-from-a', updatedAt: NOW + 1 });
      // Each edit sent only the field the person changed, and the version it started from.
      expect(sent.filter((c) => c.type === 'patch')).toEqual([
        ...(when === 'racing' ? [{ type: 'patch', id: 'k', fields: { label: 'B name' }, expectedUpdatedAt: KEY.updatedAt }] : []),
        { type: 'patch', id: 'k', fields: { label: 'B name' }, expectedUpdatedAt: NOW },
      ]);
    },
  );

  it('an edit of a key deleted elsewhere brings nothing back and says so', async () => {
    await keysItem.setValue([KEY, makeKey({ id: 'other', label: 'other', baseUrl: 'https://b.example.com', secret: 'sk-b' })]);
    await openEditor();
    fireEvent.input(field('label'), { target: { value: 'B name' } });
    meanwhile = { type: 'delete', ids: ['k'] };
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('This key was deleted in another tab or window.');
    expect(document.querySelector('.editor')).toBeNull();
    expect((await keysItem.getValue()).map((k) => k.label)).toEqual(['other']);
  });
});

describe(`the key limit (${MAX_STORED_KEYS}) for keys added by hand`, () => {
  // 2,000 keys drawn in happy-dom: the project's own time limit (vitest.config.ts), which catches a hang and never judges speed.
  it('a key beyond the limit is not stored, and the page says why', async () => {
    // The page's own count is one short (another tab added the last one): the background's writer refuses.
    const full = Array.from({ length: MAX_STORED_KEYS - 1 }, (_, i) =>
      makeKey({ id: `k${i}`, label: `k${i}`, baseUrl: 'https://relay.example.com', secret: `sk-${i}` }),
    );
    await keysItem.setValue(full);
    render(<App locale="en-US" />);
    fireEvent.input(await screen.findByLabelText('Label'), { target: { value: 'one too many' } });
    fireEvent.input(screen.getByLabelText('Site address'), { target: { value: 'https://relay.example.com' } });
    fireEvent.input(screen.getByLabelText('Key or access token'), { target: { value: 'sk-new' } });
    meanwhile = { type: 'put', key: makeKey({ id: 'last', baseUrl: 'https://relay.example.com', secret: 'sk-last' }) };
    fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
    const limit = `You have ${MAX_STORED_KEYS.toLocaleString()} keys, the most Quota Glance keeps. Delete keys you no longer need before adding more.`;
    await screen.findByText(limit, {}, { timeout: 120_000 });
    expect(await keysItem.getValue()).toHaveLength(MAX_STORED_KEYS);
    expect((await keysItem.getValue()).some((k) => k.label === 'one too many')).toBe(false);

    // Now the page counts the full list itself: another key's site is not even asked.
    probed.length = 0;
    fireEvent.input(screen.getByLabelText('Key or access token'), { target: { value: 'sk-other' } });
    await waitFor(() => expect(screen.queryByText(limit)).toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
    await screen.findByText(limit);
    expect(probed).toEqual([]);
    // 2,000 rows in happy-dom: 15 s alone, 75 s on 2 cores shared with a browser run. The limit only catches a hang.
  }, 240_000);
});

describe('plain http:// sites', () => {
  const form = () => {
    const onSubmit = vi.fn();
    render(<KeyForm defaultThresholdText="10%" defaultInterval={30} busy={false} onSubmit={onSubmit} />);
    const type = (label: string, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });
    return { onSubmit, type };
  };
  const WARNING = /This address uses plain http:\/\/: the key travels unencrypted/;

  it('the form warns next to the address; saving still works', () => {
    const { onSubmit, type } = form();
    type('Label', 'lan');
    type('Key or access token', 'sk-abc');
    type('Site address', 'https://relay.example.com');
    expect(screen.queryByText(WARNING)).toBeNull();
    type('Site address', 'http://relay.example.com');
    // Beside the address: in the same block as its field, before the kind.
    const warning = screen.getByText(WARNING);
    expect(warning.closest('[data-site-notes]')?.previousElementSibling?.querySelector('#key-site')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
    expect(onSubmit).toHaveBeenCalledWith(expect.objectContaining({ baseUrl: 'http://relay.example.com' }), 'save');
  });

  it.each(['http://127.0.0.1:3000', 'http://localhost:8080', 'http://[::1]:3000'])('no warning for loopback %s', (site) => {
    const { type } = form();
    type('Site address', site);
    expect(screen.queryByText(WARNING)).toBeNull();
  });

  it('the import preview warns and names the sites', async () => {
    const target: ImportTarget = { readKeys: async () => [], writeKeys: async () => undefined, refresh: vi.fn() };
    render(<ImportPanel target={target} />);
    fireEvent.input(screen.getByLabelText('Paste keys or links'), {
      target: { value: 'http://lan.example.com sk-one\nhttp://127.0.0.1:3000 sk-two\nhttps://safe.example.com sk-three' },
    });
    const warning = await screen.findByText(/^Plain http:\/\/ \(the key travels unencrypted\): /);
    expect(warning.textContent).toContain('lan.example.com');
    expect(warning.textContent).not.toContain('127.0.0.1');
    expect(warning.textContent).not.toContain('safe.example.com');
  });
});
