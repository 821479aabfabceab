// @vitest-environment happy-dom
/**
 * A read Quota Glance holds back itself (its budget for a site's token route) asks the site
 * nothing, so it changes no verdict: a refused key stays refused, a good key stays good, and
 * the row says when the key is asked (found by an outside review: Refresh twice turned
 * "Refused" into "Can't read: the site is rate-limiting" with no request made).
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyRow } from '@/components/KeyRow';
import { statusAfter } from '@/lib/engine/record';
import type { KeyStatus, ReadOutcome } from '@/lib/model';
import { TOKEN_ROUTE_BUDGET } from '@/lib/next-read';
import { DEFAULT_SETTINGS, keyState } from '@/lib/state';
import { makeKey, NOW, usdStatus } from './helpers';

afterEach(cleanup);

const key = makeKey({ id: 'build', label: 'Build server', baseUrl: 'https://relay.example.com', secret: 'sk-x' });
const HOUR = 3_600_000;
const held: ReadOutcome = {
  ok: false,
  error: {
    kind: 'rate-limited',
    message: "held back to stay within the site's rate limit",
    retryAt: NOW + TOKEN_ROUTE_BUDGET.windowMs,
    heldBack: true,
  },
};

const shown = (status: KeyStatus) => {
  const state = keyState(key, status, DEFAULT_SETTINGS, NOW);
  const { container } = render(<KeyRow keyConfig={key} status={status} state={state} now={NOW} locale="en-US" />);
  return container.querySelector('[data-key-row]') as HTMLElement;
};

describe('a read held back by Quota Glance itself', () => {
  it('leaves a refused key refused, and says when it is asked again', () => {
    const refused: KeyStatus = {
      ...usdStatus(18),
      error: { kind: 'auth', message: 'HTTP 401: Invalid token', at: NOW - HOUR },
      attemptedAt: NOW - HOUR,
      failures: 1,
    };
    const row = shown(statusAfter(refused, held, NOW));
    expect(row.getAttribute('data-state')).toBe('invalid');
    expect(row.getAttribute('data-error')).toBe('auth');
    expect(row.querySelector('.chip')?.textContent).toBe('Refused');
    fireEvent.click(screen.getByRole('button', { name: /Build server/ }));
    expect(row.textContent).toContain("next read in 20 minutes, to stay within the site's rate limit");
    expect(row.textContent).not.toMatch(/rate-limiting/);
  });

  it('leaves a good key good, with its reading and its time', () => {
    const good = usdStatus(18);
    const row = shown(statusAfter(good, held, NOW));
    expect(row.getAttribute('data-state')).toBe('ok');
    expect(row.getAttribute('data-error')).toBe('');
    expect(row.getAttribute('data-remaining')).toBe('18');
    expect(row.getAttribute('data-fetched-at')).toBe(String(good.reading?.fetchedAt));
  });

  it('says of a key never read that it waits for Quota Glance’s budget for the site (an error, no failure), not that the site refused', () => {
    const status = statusAfter(undefined, held, NOW);
    expect(status.failures).toBe(0);
    const row = shown(status);
    expect(row.getAttribute('data-state')).toBe('error');
    expect(row.getAttribute('data-error')).toBe('rate-limited');
    // It says the truth: nothing was asked, the site refused nothing.
    fireEvent.click(screen.getByRole('button', { name: /Build server/ }));
    expect(row.querySelector('.error')?.textContent).toBe(
      "Not read yet: Quota Glance keeps within the site's rate limit. (retry in 20 minutes)",
    );
    expect(row.textContent).not.toMatch(/rate-limiting/);
    expect(row.textContent).toContain('no figures read yet');
  });

  it('a status an older version stored for a held-back read (as an error) does not count as one', () => {
    const old: KeyStatus = { ...usdStatus(18), error: { ...(held.ok ? ({} as never) : held.error), at: NOW } };
    expect(shown(old).getAttribute('data-state')).toBe('ok');
  });
});
