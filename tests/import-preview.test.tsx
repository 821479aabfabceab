// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ImportPanel, type ImportTarget } from '@/components/ImportPanel';
import { encryptedExport } from '@/entrypoints/options/export-encrypted';
import { BACKUP_FORMAT, mergeImport } from '@/lib/backup';
import { analyseImport } from '@/lib/imports/detect';
import { previewRows } from '@/lib/imports/preview';
import type { KeyConfig } from '@/lib/model';
import { makeKey } from './helpers';

/**
 * The paste box's preview (issue #19, item 4): each key's kind as the Kind list names it,
 * and the label the key will have, with why when it is not the line's own.
 */
afterEach(cleanup);

const stored = [
  makeKey({ id: 's1', label: 'mine', baseUrl: 'https://relay.example.com', secret: 'sk-stored', kind: 'newapi-token' }),
  makeKey({ id: 's2', label: 'work', baseUrl: 'https://work.example.com', secret: 'sk-work', kind: 'auto' }),
];

const ready = (text: string) => {
  const analysis = analyseImport(text);
  if (analysis.status !== 'ready') throw new Error(`not ready: ${analysis.status}`);
  return analysis.keys;
};

describe('previewRows: the label each key will have', () => {
  it('says what the merge does: a made-up label never renames, a given one does, a later line wins', () => {
    const keys = ready(
      [
        'https://relay.example.com sk-stored', // stored, no label: keeps "mine"
        'https://work.example.com sk-work office', // stored, renamed "work" -> "office"
        'https://new.example.com sk-new', // new, no label: named after its site
        'https://b.example.com sk-b first', // new, then renamed by a later line
        'https://b.example.com sk-b second',
        'https://c.example.com sk-c mine', // new, but "mine" is a stored key's label
      ].join('\n'),
    );
    const rows = previewRows(stored, keys);
    expect(rows).toEqual([
      { action: 'update', label: 'mine', notes: [{ note: 'kept' }, { note: 'taken' }] },
      { action: 'update', label: 'office', notes: [{ note: 'renames', was: 'work' }] },
      { action: 'new', label: 'new.example.com', notes: [{ note: 'from-site' }] },
      { action: 'new', label: 'second', notes: [] },
      { action: 'repeat', label: 'second', notes: [] },
      { action: 'new', label: 'mine', notes: [{ note: 'taken' }] },
    ]);
    // The labels the preview promises are the ones the merge stores.
    let n = 0;
    const merged = mergeImport(stored, keys, 1, () => `n${++n}`);
    if (!merged.ok) throw new Error('merge failed');
    expect(merged.keys.map((k) => k.label)).toEqual(['mine', 'office', 'new.example.com', 'second', 'mine']);
  });
});

function target(keys: KeyConfig[]): ImportTarget {
  return {
    readKeys: async () => keys,
    writeKeys: vi.fn(async () => undefined),
    refresh: vi.fn(async () => Promise.reject(new Error('no'))),
  };
}

const paste = (text: string) => fireEvent.input(screen.getByLabelText('Paste keys or links'), { target: { value: text } });
const rowTexts = () => [...document.querySelectorAll('[data-import-preview] li')].map((li) => li.textContent);

describe('the paste box preview (issue #19, item 4)', () => {
  it('names each kind as the Kind list does, never by its code', async () => {
    render(<ImportPanel target={target([])} />);
    const backup = {
      format: BACKUP_FORMAT,
      version: 2,
      keys: [
        { label: 'relay', baseUrl: 'https://relay.example.com', kind: 'newapi-token', secret: 'sk-relayAAAAAAAAAAAAAAAAAAAA1' },
        { label: 'account', baseUrl: 'https://acct.example.com', kind: 'newapi-user', secret: 'token1234567890abcdefghij', userId: 7 },
        { label: 'guess', baseUrl: 'https://guess.example.com', kind: 'auto', secret: 'sk-guess' },
      ],
    };
    paste(JSON.stringify(backup));
    await screen.findByText('Preview (3 keys); nothing is stored yet');
    const rows = rowTexts();
    expect(rows[0]).toContain(' · new-api API key (sk-…) · ');
    expect(rows[1]).toContain(' · new-api account (access token + user id) · ');
    expect(rows[2]).toContain(' · Detect automatically · ');
    for (const row of rows) expect(row).not.toMatch(/newapi-token|newapi-user| · auto · /);
  });

  it('shows the label each key will keep, and why when it is not the line’s own', async () => {
    render(<ImportPanel target={target(stored)} />);
    paste(['https://relay.example.com sk-stored', 'https://work.example.com sk-work office', 'https://new.example.com sk-new'].join('\n'));
    await waitFor(() => expect(rowTexts()[0]).toContain('mine (no label given: keeps its label)'));
    expect(rowTexts()).toEqual([
      expect.stringMatching(/^mine \(no label given: keeps its label\) · relay\.example\.com · .* already stored: will be updated$/),
      expect.stringMatching(/^office \(renamed from “work”\) · work\.example\.com · /),
      expect.stringMatching(/^new\.example\.com \(no label given: named after its site\) · new\.example\.com · .* new$/),
    ]);
    expect([...document.querySelectorAll('[data-preview-label]')].map((e) => e.textContent)).toEqual(['mine', 'office', 'new.example.com']);
  });
});

describe('a wrong passphrase on an encrypted import (issue #19, a new user’s findings)', () => {
  it('is said once, in the words sync uses', async () => {
    const text = await encryptedExport('export passphrase', Date.now());
    render(<ImportPanel target={target([])} />);
    paste(text);
    const field = await screen.findByLabelText('Sync passphrase of this encrypted Quota Glance file');
    fireEvent.input(field, { target: { value: 'wrong passphrase' } });
    fireEvent.click(screen.getByRole('button', { name: 'Decrypt and import' }));
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    expect(alert.textContent).toBe('This passphrase does not open the vault.');
  });
});
