// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ImportPanel, type ImportTarget } from '@/components/ImportPanel';
import type { KeyConfig } from '@/lib/model';
import type { AttentionCounts } from '@/lib/popup-view';
import { makeKey } from './helpers';
import { speak, speakEnglish } from './speak';

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
    // The reads end when the test says (or fail, when it says so).
    refresh: vi.fn(() => new Promise<AttentionCounts>((resolve, reject) => Object.assign(reads, { resolve, reject }))),
  };
  const reads = {} as { resolve: (counts: AttentionCounts) => void; reject: (error: Error) => void };
  return { target, writes, current: () => keys, reads };
}

/** Counts as the options page's target answers them once every read is done. */
const counts = (fields: Partial<AttentionCounts>): AttentionCounts => ({
  expired: 0,
  exhausted: 0,
  invalid: 0,
  capped: 0,
  low: 0,
  error: 0,
  noAccess: 0,
  pending: 0,
  expiring: 0,
  muted: 0,
  attention: 0,
  total: 0,
  ...fields,
});

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

  it('says what the reads found once they are done, in place of "Reading them now…" (issue #9, item 3)', async () => {
    const { target, reads } = memoryTarget([]);
    render(<ImportPanel target={target} />);
    choose('https://a.example.com sk-a A\nhttps://b.example.com sk-b B\nhttps://c.example.com sk-c C');
    await screen.findByText('Imported 3 keys (3 new, 0 updated). Reading them now…');
    reads.resolve(counts({ total: 3, invalid: 1 }));
    await screen.findByText('Imported 3 keys (3 new, 0 updated). Read: 2 OK, 1 refused.');
    expect(screen.queryByText(/Reading them now/)).toBeNull();
    // Undo stays offered.
    expect(screen.getByRole('button', { name: 'Undo import' })).toBeTruthy();
  });

  it('names every state the reads found, and says so when they could not be asked for', async () => {
    const { target, reads } = memoryTarget([]);
    render(<ImportPanel target={target} />);
    choose('https://a.example.com sk-a A');
    await screen.findByText('Imported 1 key (1 new, 0 updated). Reading it now…');
    reads.reject(new Error('Could not establish connection. Receiving end does not exist.'));
    await screen.findByText('Imported 1 key (1 new, 0 updated). It could not be read now; it is read at the next scheduled round.');

    choose('https://b.example.com sk-b B\nhttps://c.example.com sk-c C\nhttps://d.example.com sk-d D\nhttps://e.example.com sk-e E');
    await screen.findByText('Imported 4 keys (4 new, 0 updated). Reading them now…');
    reads.resolve(counts({ total: 4, expired: 1, low: 1, error: 1, noAccess: 1 }));
    await screen.findByText("Imported 4 keys (4 new, 0 updated). Read: 1 expired, 1 low, 1 can't be read, 1 without access.");
  });

  it('an Undo made while the keys are read is not replaced when the reads end', async () => {
    const { target, reads } = memoryTarget(stored);
    render(<ImportPanel target={target} />);
    choose('https://b.example.com sk-new B');
    fireEvent.click(await screen.findByRole('button', { name: 'Undo import' }));
    await screen.findByText('The import was undone: the key list is back as it was.');
    reads.resolve(counts({ total: 1 }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(screen.getByText('The import was undone: the key list is back as it was.')).toBeTruthy();
    expect(screen.queryByText(/Read: /)).toBeNull();
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
    expect(screen.getByText(/c\.example\.com · Detect automatically/)).toBeTruthy();
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

describe('the import hint in Chinese and Japanese', () => {
  afterEach(speakEnglish);

  it.each([
    ['zh_CN.yml', '不会删除任何密钥。也可导入'],
    ['ja.yml', '。All API Hub'],
  ])('%s: its two sentences follow one another with no space between them', (file, joined) => {
    speak(file);
    const { container } = render(<ImportPanel target={memoryTarget([]).target} />);
    expect(container.textContent).toContain(joined);
    expect(container.textContent).not.toMatch(/。 /);
  });

  it('English keeps its space', () => {
    const { container } = render(<ImportPanel target={memoryTarget([]).target} />);
    expect(container.textContent).toContain('. Also takes All API Hub');
  });
});
