import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineOf, roundMessage } from '@/lib/alert-channels/compose';
import { type ChannelStatuses, createChannelRunner, type RunnerDeps, sendOnce } from '@/lib/alert-channels/deliver';
import type { ChannelMessage } from '@/lib/alert-channels/message';
import { channelId, EMPTY_OUTBOX, enqueue, INTERRUPTED, MAX_ENTRIES, type Outbox, outboxOf } from '@/lib/alert-channels/outbox';
import { buildRequest } from '@/lib/alert-channels/requests';
import type { Channel } from '@/lib/channels';
import { CHANNELS } from './arbitraries';
import { wordsFor } from './channel-words';
import { deferred, makeKey, NOW, usdReading } from './helpers';

const hook: Channel = { type: 'webhook', label: 'hook', url: 'https://hooks.example.com/qg' };
const bot: Channel = {
  type: 'telegram',
  label: 'me',
  server: 'https://tg.example.com',
  botToken: '123456:TOKENsecretVALUE99',
  chatId: '42',
};
const msg = (title: string): ChannelMessage => ({ event: 'alert', title, text: `${title} text`, keys: [] });

/** In-memory storage items, the clock, ids and a scripted fetch that records what each service received. */
function setup(channels: Channel[], answers: (url: string) => Response | Promise<Response>) {
  let box: unknown = EMPTY_OUTBOX;
  let statuses: ChannelStatuses = {};
  let id = 0;
  const sent: { url: string; body: string }[] = [];
  const deps: RunnerDeps = {
    fetch: async (input, init) => {
      sent.push({ url: String(input), body: String(init?.body) });
      return answers(String(input));
    },
    now: () => NOW,
    channels: async () => channels,
    outbox: {
      getValue: async () => box,
      setValue: async (v) => {
        box = structuredClone(v);
      },
    },
    statuses: {
      getValue: async () => statuses,
      setValue: async (v) => {
        statuses = structuredClone(v);
      },
    },
    keySecrets: async () => ['sk-keysecret0123456789abcdefABCD'],
    newId: () => `m${++id}`,
  };
  return {
    deps,
    sent,
    runner: createChannelRunner(deps),
    box: () => outboxOf(box),
    setBox: (v: Outbox) => {
      box = v;
    },
    statuses: () => statuses,
  };
}

const ok = () => new Response('', { status: 200 });
const fail = () => new Response('{"error":"busy"}', { status: 503 });

describe('the outbox', () => {
  it('one message per channel per round; delivered ones leave the outbox and the status says when', async () => {
    const t = setup([hook, bot], (url) => (url.includes('tg.') ? new Response('{"ok":true}', { status: 200 }) : ok()));
    await t.runner.round(msg('round 1'));
    expect(t.sent.map((s) => s.url).sort()).toEqual([
      'https://hooks.example.com/qg',
      `https://tg.example.com/bot${bot.botToken}/sendMessage`,
    ]);
    expect(t.box().entries).toEqual([]);
    expect(t.statuses()).toEqual({ [channelId(hook)]: { status: 'ok', sentAt: NOW }, [channelId(bot)]: { status: 'ok', sentAt: NOW } });
  });

  it('a receiver failing twice then succeeding: tried again on each round, delivered on the third', async () => {
    let calls = 0;
    const t = setup([hook], () => (++calls <= 2 ? fail() : ok()));
    await t.runner.round(msg('alert'));
    expect(t.box().entries).toMatchObject([{ tries: 1, lastError: 'HTTP 503: busy' }]);
    expect(t.statuses()[channelId(hook)]).toEqual({ status: 'error', error: 'HTTP 503: busy', failing: 1 });
    await t.runner.retry();
    expect(t.box().entries).toMatchObject([{ tries: 2 }]);
    await t.runner.retry();
    expect(t.box().entries).toEqual([]);
    expect(t.sent).toHaveLength(3);
    expect(new Set(t.sent.map((s) => JSON.parse(s.body).title))).toEqual(new Set(['alert']));
    expect(t.statuses()[channelId(hook)]).toEqual({ status: 'ok', sentAt: NOW });
  });

  it('one try per round: a round that already tried a message does not try it again', async () => {
    let clock = NOW;
    const t = setup([hook], fail);
    t.deps.now = () => clock;
    const runner = createChannelRunner(t.deps);
    const roundStart = clock;
    clock += 1000;
    await runner.round(msg('a'));
    await runner.retry(roundStart);
    expect(t.sent).toHaveLength(1);
    clock += 60_000;
    await runner.retry(clock - 1);
    expect(t.sent).toHaveLength(2);
  });

  it('3 tries in all, then kept as not delivered until resent or dismissed', async () => {
    let up = false;
    const t = setup([hook], () => (up ? ok() : fail()));
    await t.runner.round(msg('a'));
    await t.runner.retry();
    await t.runner.retry();
    await t.runner.retry();
    expect(t.sent).toHaveLength(3);
    expect(t.box().entries).toMatchObject([{ id: 'm1', tries: 3, lastError: 'HTTP 503: busy' }]);
    up = true;
    await t.runner.retry();
    expect(t.sent).toHaveLength(3);
    await t.runner.resend('m1');
    expect(t.sent).toHaveLength(4);
    expect(t.box().entries).toEqual([]);

    up = false;
    await t.runner.round(msg('b'));
    await t.runner.retry();
    await t.runner.retry();
    await t.runner.dismiss('m2');
    expect(t.box().entries).toEqual([]);
  });

  it('a worker that dies between send and record: the try counts, the message is sent again (a duplicate, never a loss)', async () => {
    const arrived = deferred();
    const never = new Promise<Response>(() => undefined);
    const first = setup([hook], () => {
      arrived.resolve();
      return never;
    });
    void first.runner.round(msg('once'));
    await arrived.promise;
    // The worker is gone here: storage holds the try begun, and nothing else.
    const stored = first.box();
    expect(stored.entries).toMatchObject([{ tries: 1, sending: NOW }]);

    const second = setup([hook], ok);
    second.setBox(stored);
    await second.runner.retry();
    expect(second.sent.map((s) => JSON.parse(s.body).title)).toEqual(['once']);
    expect(second.box().entries).toEqual([]);

    // With two tries used up that way, a third death leaves it listed as not delivered, with why.
    const third = setup([hook], ok);
    third.setBox({ entries: [{ ...(stored.entries[0] as Outbox['entries'][0]), tries: 3 }] });
    await third.runner.retry();
    expect(third.sent).toHaveLength(0);
    expect(third.box().entries).toMatchObject([{ tries: 3, lastError: INTERRUPTED }]);
  });

  it('is bounded: past the limit the oldest go and are counted per channel', () => {
    let box = EMPTY_OUTBOX;
    for (let i = 0; i < MAX_ENTRIES + 5; i++) box = enqueue(box, ['a'], msg(String(i)), NOW, () => String(i));
    expect(box.entries).toHaveLength(MAX_ENTRIES);
    expect(box.dropped).toEqual({ a: 5 });
    expect(box.entries[0]?.message.title).toBe('5');
  });

  it('a deleted channel takes its messages along', async () => {
    const channels = [hook];
    const t = setup(channels, fail);
    await t.runner.round(msg('x'));
    channels.pop();
    await t.runner.retry();
    expect(t.box().entries).toEqual([]);
  });

  it('a deleted channel’s status goes too, so the popup no longer names it', async () => {
    const channels = [hook, bot];
    const t = setup(channels, fail);
    await t.runner.round(msg('x'));
    expect(Object.keys(t.statuses()).sort()).toEqual([channelId(bot), channelId(hook)].sort());
    channels.splice(0, 1);
    await t.runner.prune();
    expect(Object.keys(t.statuses())).toEqual([channelId(bot)]);
    expect(t.box().entries.map((e) => e.channel)).toEqual([channelId(bot)]);
  });

  it('a try has a deadline: no answer within it is a failed try', async () => {
    const result = await sendOnce(hook, msg('x'), [], {
      now: () => NOW,
      timeoutMs: 1,
      fetch: (_input, init) =>
        new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
    });
    expect(result).toMatchObject({ delivered: false, error: 'No answer within 1 s' });
  });

  it('the service’s answer shown on Test has the channel’s and the keys’ secrets redacted', async () => {
    const echo = `{"ok":false,"description":"Unauthorized token 123456:TOKENsecretVALUE99 for key sk-keysecret0123456789abcdefABCD"}`;
    const t = setup([bot], () => new Response(echo, { status: 401 }));
    const result = await t.runner.test(bot, msg('test'));
    expect(result.delivered).toBe(false);
    expect(result.answer).not.toContain('TOKENsecretVALUE99');
    expect(result.answer).not.toContain('keysecret0123456789');
    expect(result.answer).toContain('Unauthorized token');
    expect(t.statuses()[channelId(bot)]?.error).not.toContain('TOKENsecret');
  });
});

describe('no key’s secret in any URL, header or body', () => {
  const secretArb = fc.stringMatching(/^sk-[A-Za-z0-9]{20,40}$/);
  const keysArb = fc.uniqueArray(
    fc.record({
      label: fc.string({ minLength: 1, maxLength: 20 }),
      secret: secretArb,
      remaining: fc.double({ min: 0, max: 1e6, noNaN: true }),
    }),
    { minLength: 1, maxLength: 30, selector: (k) => k.label },
  );
  const channelArb = fc.oneof(...Object.values(CHANNELS));
  const en = wordsFor('en');

  it('over every channel type and any key set', async () => {
    await fc.assert(
      fc.asyncProperty(channelArb, keysArb, async (channel, keys) => {
        const lines = keys.map((k, i) =>
          lineOf(
            makeKey({ id: String(i), label: k.label, baseUrl: 'https://relay.example.com', secret: k.secret }),
            { kind: 'state', state: i % 2 ? 'low' : 'exhausted' },
            usdReading(k.remaining),
          ),
        );
        const message = roundMessage(lines, en) as ChannelMessage;
        const request = await buildRequest(channel, message, NOW);
        const sent = [request.url, JSON.stringify(request.headers), request.body].join('\n');
        for (const { secret } of keys) {
          expect(sent).not.toContain(secret);
          expect(sent).not.toContain(secret.slice(3));
        }
      }),
      { numRuns: 150 },
    );
  });
});
