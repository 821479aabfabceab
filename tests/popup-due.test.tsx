// @vitest-environment happy-dom
import { cleanup, render } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '@/entrypoints/popup/App';
import { onMessage } from '@/lib/messages';
import type { KeyStatus } from '@/lib/model';
import { anyDue } from '@/lib/next-read';
import { nextReadAt } from '@/lib/schedule';
import { DEFAULT_SETTINGS } from '@/lib/state';
import { makeKey, NOW, usdStatus } from './helpers';

const stops: (() => void)[] = [];
let asked = 0;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  asked = 0;
  stops.push(
    onMessage('pollDue', () => {
      asked++;
      return { total: 0, ok: 0, failed: 0 };
    }),
  );
});
afterEach(() => {
  cleanup();
  for (const stop of stops.splice(0)) stop();
  vi.useRealTimers();
});

const keys = [
  makeKey({ id: 'a', label: 'a', baseUrl: 'https://relay.example.com', secret: 'sk-a' }),
  makeKey({ id: 'b', label: 'b', baseUrl: 'https://relay.example.com', secret: 'sk-b' }),
];
const readAgo = (minutes: number): KeyStatus => ({ ...usdStatus(5), attemptedAt: NOW - minutes * 60_000 });
/** Lets the background's answer to a message sent from an effect arrive. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the popup wakes the background only when a key is due (issue #19, item 6)', () => {
  it('asks for a poll when one key was read longer ago than its interval', async () => {
    render(<App locale="en-US" initial={{ keys, statuses: { a: readAgo(1), b: readAgo(120) }, settings: DEFAULT_SETTINGS }} />);
    await settle();
    expect(asked).toBe(1);
  });

  it('asks nothing when every key was read within its interval', async () => {
    render(<App locale="en-US" initial={{ keys, statuses: { a: readAgo(1), b: readAgo(2) }, settings: DEFAULT_SETTINGS }} />);
    await settle();
    expect(asked).toBe(0);
  });

  it('asks for a key never read', async () => {
    render(<App locale="en-US" initial={{ keys, statuses: { a: readAgo(1) }, settings: DEFAULT_SETTINGS }} />);
    await settle();
    expect(asked).toBe(1);
  });

  it('says due wherever the engine does, and may say due where a slower kind is not yet (never the reverse)', () => {
    const kimi = makeKey({ id: 'k', label: 'k', baseUrl: 'https://api.kimi.com/coding', secret: 'sk-kimi', kind: 'kimi-code' });
    for (const minutes of [0, 1, 2, 3, 4, 5, 6, 10, 29, 31, 33, 60, 600]) {
      for (const key of [...keys, kimi]) {
        const statuses = { [key.id]: readAgo(minutes) };
        const engine = nextReadAt(key, statuses[key.id], 2, NOW) <= NOW;
        const popup = anyDue([key], statuses, 2, NOW);
        if (engine) expect({ minutes, key: key.id, popup }).toEqual({ minutes, key: key.id, popup: true });
      }
    }
  });
});
