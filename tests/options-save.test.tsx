// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '@/entrypoints/options/App';
import { onMessage } from '@/lib/messages';
import { emptyStatus, type KeyConfig, type ReadOutcome } from '@/lib/model';
import { keysItem, statusesItem } from '@/lib/storage/items';
import { createKeyStore } from '@/lib/storage/keys';
import { makeKey, usdReading } from './helpers';

/** Message handlers a test registered, removed after it (the messaging library allows one per message). */
const handlers: (() => void)[] = [];
/** The background's writer of the key list, over the test's storage. */
const writer = createKeyStore(keysItem);
/** What the imitation background was asked to probe and to read. */
const probed: KeyConfig[] = [];
const refreshed: unknown[] = [];
/** How the site answers each secret. */
let answers: Record<string, ReadOutcome> = {};
/** When set, the background cannot be reached for a read. */
let refreshFails = false;

const OK: ReadOutcome = { ok: true, reading: usdReading(8.5, { fetchedAt: 0 }) };
const REFUSED: ReadOutcome = { ok: false, error: { kind: 'auth', message: 'HTTP 401: Invalid token' } };

beforeEach(() => {
  probed.length = 0;
  refreshed.length = 0;
  answers = {};
  refreshFails = false;
  // The background's side of the page's messages: probe answers as the site would, changeKeys writes the list.
  handlers.push(
    onMessage('probe', ({ data }) => {
      probed.push(data);
      return answers[data.secret] ?? OK;
    }),
    onMessage('changeKeys', ({ data }) => writer.change(data)),
    onMessage('refresh', async ({ data }) => {
      refreshed.push(data);
      if (refreshFails) throw new Error('Receiving end does not exist.');
      // Records what the site says, as the engine would.
      const keys = (await keysItem.getValue()).filter((k) => data.ids === 'all' || data.ids.includes(k.id));
      const statuses = await statusesItem.getValue();
      for (const key of keys) {
        const outcome = answers[key.secret] ?? OK;
        statuses[key.id] = outcome.ok
          ? { ...emptyStatus(), reading: outcome.reading }
          : { ...emptyStatus(), error: { ...outcome.error, at: 0 } };
      }
      await statusesItem.setValue(statuses);
      return { total: keys.length, ok: keys.length, failed: 0 };
    }),
  );
});
afterEach(() => {
  cleanup();
  for (const stop of handlers.splice(0)) stop();
});

const QUESTION = 'The site refused this key. Save it anyway?';

/** Fills the add form and presses "Save and read". */
async function addKey(label: string, secret: string, site = 'https://relay.example.com') {
  render(<App locale="en-US" />);
  fireEvent.input(await screen.findByLabelText('Label'), { target: { value: label } });
  fireEvent.input(screen.getByLabelText('Site address'), { target: { value: site } });
  fireEvent.input(screen.getByLabelText('Key or access token'), { target: { value: secret } });
  fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
}
const question = () => document.querySelector('[data-refused-question]');
const stored = () => keysItem.getValue();

describe('saving a key the site refuses (issue #9, item 3)', () => {
  it('asks first, stores nothing while asked; Escape returns to the form; Save anyway stores it', async () => {
    answers = { 'sk-revoked': REFUSED };
    await addKey('revoked', 'sk-revoked');
    await screen.findByText(QUESTION);
    // The question has focus and says what the site answered.
    await waitFor(() => expect(document.activeElement).toBe(question()));
    expect(screen.getByText(/HTTP 401: Invalid token/)).toBeTruthy();
    // The question says the site refused the key; its detail does not say it again.
    expect(document.querySelector('[data-refused-question]')?.textContent?.match(/refused this key/g)).toHaveLength(1);
    expect(await stored()).toEqual([]);
    expect(refreshed).toEqual([]);
    expect((screen.getByRole('button', { name: 'Save and read' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.keyDown(document.activeElement as Element, { key: 'Escape' });
    await waitFor(() => expect(question()).toBeNull());
    await waitFor(() => expect(document.activeElement?.getAttribute('name')).toBe('secret'));
    expect((screen.getByLabelText('Key or access token') as HTMLInputElement).value).toBe('sk-revoked');
    expect(await stored()).toEqual([]);

    // Saving the same draft again asks again, without reading it a second time.
    fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
    await screen.findByText(QUESTION);
    expect(probed).toHaveLength(1);
    fireEvent.click(screen.getByRole('button', { name: 'Save anyway' }));
    await waitFor(async () => expect((await stored()).map((k) => k.label)).toEqual(['revoked']));
    expect(question()).toBeNull();
    const [key] = await stored();
    await waitFor(() => expect(refreshed).toEqual([{ ids: [key?.id], reset: true }]));
  });

  it('"Keep editing" returns to the form with nothing stored; changing the draft reads it again', async () => {
    answers = { 'sk-revoked': { ok: false, error: { kind: 'forbidden', message: 'HTTP 403: User has been banned' } } };
    await addKey('banned', 'sk-revoked');
    fireEvent.click(await screen.findByRole('button', { name: 'Keep editing' }));
    await waitFor(() => expect(document.activeElement?.getAttribute('name')).toBe('secret'));
    expect(question()).toBeNull();
    expect(await stored()).toEqual([]);

    fireEvent.input(screen.getByLabelText('Key or access token'), { target: { value: 'sk-good' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
    await screen.findByText('Saved. banned: OK · $8.50 of $10.00');
    expect(question()).toBeNull();
    expect(probed.map((k) => k.secret)).toEqual(['sk-revoked', 'sk-good']);
    expect((await stored()).map((k) => k.secret)).toEqual(['sk-good']);
  });

  it('saves a working key at once, with no question', async () => {
    await addKey('works', 'sk-good');
    await screen.findByText('Saved. works: OK · $8.50 of $10.00');
    expect(question()).toBeNull();
    expect((await stored()).map((k) => k.label)).toEqual(['works']);
  });

  it.each([
    ['a network error', { kind: 'network', message: 'connection failed' }],
    ['a timeout', { kind: 'timeout', message: 'no answer within 15 s' }],
    ['a server error', { kind: 'server', message: 'HTTP 502' }],
  ] as const)('saves at once after %s: it is no refusal', async (_, error) => {
    answers = { 'sk-far': { ok: false, error } };
    await addKey('far', 'sk-far');
    await waitFor(async () => expect((await stored()).map((k) => k.label)).toEqual(['far']));
    expect(question()).toBeNull();
    await waitFor(() => expect(refreshed).toHaveLength(1));
  });

  it('a read stopped during Save stores the key without reading it again; a stopped Test is read again on Save', async () => {
    const stopped: ReadOutcome = { ok: false, error: { kind: 'network', message: 'stopped', code: 'stopped' } };
    answers = { 'sk-slow': stopped };
    await addKey('slow', 'sk-slow');
    await screen.findByText('Saved. slow: Stopped before the site answered.');
    expect((await stored()).map((k) => k.label)).toEqual(['slow']);
    expect(refreshed).toEqual([]);
    cleanup();

    probed.length = 0;
    answers = { 'sk-later': stopped };
    render(<App locale="en-US" />);
    fireEvent.input(await screen.findByLabelText('Label'), { target: { value: 'later' } });
    fireEvent.input(screen.getByLabelText('Site address'), { target: { value: 'https://relay.example.com' } });
    fireEvent.input(screen.getByLabelText('Key or access token'), { target: { value: 'sk-later' } });
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    await screen.findByText('Test: Stopped before the site answered.');
    answers = {};
    fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
    await screen.findByText('Saved. later: OK · $8.50 of $10.00');
    expect(probed.map((k) => k.secret)).toEqual(['sk-later', 'sk-later']);
  });

  it('asks after a Test that was refused without reading again; an edit that keeps the secret does not ask', async () => {
    answers = { 'sk-revoked': REFUSED };
    render(<App locale="en-US" />);
    fireEvent.input(await screen.findByLabelText('Label'), { target: { value: 'tested' } });
    fireEvent.input(screen.getByLabelText('Site address'), { target: { value: 'https://relay.example.com' } });
    fireEvent.input(screen.getByLabelText('Key or access token'), { target: { value: 'sk-revoked' } });
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    await screen.findByText(/^Test: /);
    fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
    await screen.findByText(QUESTION);
    expect(probed).toHaveLength(1);
    cleanup();

    // A stored key that is already refused: renaming it changes no credential, so nothing is asked.
    probed.length = 0;
    await keysItem.setValue([
      makeKey({ id: 'old', label: 'old name', baseUrl: 'https://relay.example.com', secret: 'sk-revoked', kind: 'newapi-token' }),
    ]);
    render(<App locale="en-US" />);
    fireEvent.click(await screen.findByRole('button', { name: 'Edit', description: 'old name' }));
    const editor = document.querySelector('.editor') as HTMLElement;
    fireEvent.input(editor.querySelector('input[name="label"]') as Element, { target: { value: 'new name' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(async () => expect((await stored()).map((k) => k.label)).toEqual(['new name']));
    expect(question()).toBeNull();
    expect(probed).toEqual([]);
  });
});

describe('messages that say something is under way (issue #9, item 3)', () => {
  it('"Reading … now…" for selected keys gives way to what happened, even when no read could be asked for', async () => {
    await keysItem.setValue([makeKey({ id: 'one', label: 'one', baseUrl: 'https://relay.example.com', secret: 'sk-one' })]);
    render(<App locale="en-US" />);
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Select one' }));
    fireEvent.click(screen.getByRole('button', { name: 'Read selected' }));
    await screen.findByText('Read one now.');

    refreshFails = true;
    fireEvent.click(screen.getByRole('button', { name: 'Read selected' }));
    await screen.findByText('Could not read one now (Receiving end does not exist.). They are read at the next scheduled round.');
    expect(screen.queryByText(/^Reading one now/)).toBeNull();
  });
});

describe('saving a key that is already saved', () => {
  it('is refused before the site is asked, naming the stored key; the list keeps one', async () => {
    await keysItem.setValue([makeKey({ id: 'kept', label: 'work key', baseUrl: 'https://relay.example.com', secret: 'sk-same' })]);
    await addKey('copy', 'sk-same');
    await screen.findByText('This site and key are already saved as “work key”. Edit that key instead, or enter another key.');
    expect(probed).toEqual([]);
    expect(refreshed).toEqual([]);
    expect((await stored()).map((k) => k.label)).toEqual(['work key']);
  });

  it('is the same key typed as the person copies it: an address with /v1/, a key with "Bearer "', async () => {
    await keysItem.setValue([makeKey({ id: 'kept', label: 'work key', baseUrl: 'https://relay.example.com', secret: 'sk-same' })]);
    await addKey('copy', 'Bearer sk-same', 'https://relay.example.com/v1/');
    await screen.findByText('This site and key are already saved as “work key”. Edit that key instead, or enter another key.');
    expect(probed).toEqual([]);
    expect(await stored()).toHaveLength(1);
  });
});
