// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ImportPanel, type ImportTarget } from '@/components/ImportPanel';
import type { KeyConfig } from '@/lib/model';
import { makeKey } from './helpers';

afterEach(cleanup);

const fixture = (name: string) => readFileSync(resolve(process.cwd(), 'tests/fixtures/imports', name), 'utf8');

/** A target over an in-memory key list, recording what the panel stores and asks to read. */
function memoryTarget(initial: KeyConfig[]) {
  let keys = initial;
  const writes: KeyConfig[][] = [];
  const target: ImportTarget = {
    readKeys: async () => keys,
    writeKeys: async (next) => {
      writes.push(next);
      keys = next;
    },
    refresh: vi.fn(async () => undefined),
  };
  return { target, writes, current: () => keys };
}

const choose = (text: string, name = 'keys.txt') => {
  const input = screen.getByLabelText('Import') as HTMLInputElement;
  const file = new File([text], name);
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  fireEvent.change(input);
};

const stored = [makeKey({ id: 's1', label: 'mine', baseUrl: 'https://relay.example.com', secret: 'sk-stored', kind: 'newapi-token' })];

describe('import panel', () => {
  it('imports a lines file at once, lists what it skipped, asks for a read, and Undo restores the list', async () => {
    const { target, writes, current } = memoryTarget(stored);
    render(<ImportPanel target={target} />);
    choose(
      'https://relay.example.com sk-stored\nhttps://b.example.com sk-new B\nhttps://b.example.com sk-new B again\njust words\n# comment',
    );
    await screen.findByText('Imported 2 keys (1 new, 1 updated). Reading them now…');
    expect(screen.getByText('Skipped (1):')).toBeTruthy();
    expect(screen.getByText('Line 4: is not a key line, a link or connection info')).toBeTruthy();
    expect(writes).toHaveLength(1);
    expect(current().map((k) => k.label)).toEqual(['mine', 'B again']);
    expect(target.refresh).toHaveBeenCalledWith([current()[1]!.id, 's1']);
    fireEvent.click(screen.getByRole('button', { name: 'Undo import' }));
    await screen.findByText('The import was undone: the key list is back as it was.');
    expect(current()).toEqual(stored);
  });

  it('a broken backup stores nothing and names the key and field', async () => {
    const { target, writes } = memoryTarget(stored);
    render(<ImportPanel target={target} />);
    choose(
      JSON.stringify({
        format: 'quota-glance',
        version: 2,
        keys: [
          { label: 'ok', baseUrl: 'https://a.test', kind: 'auto', secret: 'sk' },
          { label: 'bad', baseUrl: 'https://a.test', kind: 'auto', secret: 'a\u202Eb' },
        ],
      }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Nothing was imported:');
    expect(alert.textContent).toContain('Key 2 ("bad"): field "secret" contains a control character');
    expect(writes).toHaveLength(0);
    expect(target.refresh).not.toHaveBeenCalled();
  });

  it('shows the first 10 problems and a count of the rest', async () => {
    const { target } = memoryTarget([]);
    render(<ImportPanel target={target} />);
    choose(
      JSON.stringify({
        format: 'quota-glance',
        version: 2,
        keys: Array.from({ length: 1000 }, (_, i) => ({ label: `k${i}`, baseUrl: 'https://a.test', kind: 'auto' })),
      }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert.querySelectorAll('div')).toHaveLength(12);
    expect(alert.textContent).toContain('…and 990 more');
  });

  it('asks for the password of an encrypted All API Hub copy, says when it is wrong, and imports nothing until right', async () => {
    const { target, writes } = memoryTarget([]);
    render(<ImportPanel target={target} />);
    choose(fixture('aah-encrypted.json'), 'all-api-hub-1-0.json');
    const password = await screen.findByLabelText('Backup encryption password of this All API Hub file');
    fireEvent.input(password, { target: { value: 'wrong' } });
    fireEvent.click(screen.getByRole('button', { name: 'Decrypt and import' }));
    expect((await screen.findByRole('alert', {}, { timeout: 5000 })).textContent).toContain('Wrong password or damaged file.');
    fireEvent.input(password, { target: { value: 'correct horse battery staple' } });
    fireEvent.click(screen.getByRole('button', { name: 'Decrypt and import' }));
    // The vector holds an accounts backup with no accounts.
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('The file holds no keys.'), { timeout: 5000 });
    expect(writes).toHaveLength(0);
  });

  it('the paste box previews kinds and updates, and stores nothing until "Import these keys"', async () => {
    const { target, writes, current } = memoryTarget(stored);
    render(<ImportPanel target={target} />);
    fireEvent.input(screen.getByLabelText('Paste keys or links'), {
      target: {
        value:
          'https://relay.example.com sk-stored\n{"_type":"newapi_channel_conn","key":"sk-conn","url":"https://c.example.com"}\nsk-lonely',
      },
    });
    await screen.findByText('Preview (2 keys); nothing is stored yet');
    await waitFor(() => expect(screen.getByText(/already stored: will be updated/)).toBeTruthy());
    expect(screen.getByText(/c\.example\.com · auto/)).toBeTruthy();
    expect(screen.getByText(/Line 3: has a key but no site address/)).toBeTruthy();
    expect(writes).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Import these keys' }));
    await screen.findByText('Imported 2 keys (1 new, 1 updated). Reading them now…');
    expect(current()).toHaveLength(2);
  });

  it('says so when storage refuses the keys, offers no Undo, and keeps the pasted text', async () => {
    const { target } = memoryTarget([]);
    target.writeKeys = async () => {
      throw new Error('QUOTA_BYTES quota exceeded');
    };
    render(<ImportPanel target={target} />);
    const box = screen.getByLabelText('Paste keys or links') as HTMLTextAreaElement;
    fireEvent.input(box, { target: { value: 'https://a.example.com sk-a' } });
    fireEvent.click(await screen.findByRole('button', { name: 'Import these keys' }));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'The keys could not be stored (QUOTA_BYTES quota exceeded); nothing was changed.',
    );
    expect(screen.queryByRole('button', { name: 'Undo import' })).toBeNull();
    expect(box.value).toBe('https://a.example.com sk-a');
    expect(target.refresh).not.toHaveBeenCalled();
  });
});
