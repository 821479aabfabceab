// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChannelList, type ChannelListProps } from '@/components/ChannelList';
import { channelFromDraft } from '@/entrypoints/options/channels-section';
import type { Channel } from '@/lib/channels';
import { NOW } from './helpers';
import { speak, speakEnglish } from './speak';

afterEach(cleanup);

const bot: Channel = {
  type: 'telegram',
  label: 'me',
  server: 'https://api.telegram.org',
  botToken: '123456:ABCdefGHIjklMNOpqr',
  chatId: '42',
};
const hook: Channel = { type: 'webhook', label: 'hook', url: 'https://hooks.example.com/qg/hook0123456789abcdef?k=secretvalue99' };

const props = (over: Partial<ChannelListProps> = {}): ChannelListProps => ({
  channels: [bot, hook],
  statuses: { 'telegram\nme': { status: 'ok', sentAt: NOW }, 'webhook\nhook': { status: 'error', error: 'HTTP 503: busy', failing: 1 } },
  outbox: [],
  dropped: {},
  noAccess: new Set(),
  alerts: { notifyRestored: true, digestHour: null },
  locale: 'en',
  onSave: vi.fn(async () => null),
  onRemove: vi.fn(),
  onTest: vi.fn(async () => ({ delivered: true, answer: 'HTTP 200 {"ok":true}' })),
  onResend: vi.fn(),
  onDismiss: vi.fn(),
  onGrant: vi.fn(),
  onAlerts: vi.fn(),
  ...over,
});

describe('the channel list', () => {
  it('carries the contract’s attributes and shows no secret whole', () => {
    const { container } = render(<ChannelList {...props()} />);
    const items = [...container.querySelectorAll('[data-channel]')].map((li) => ({
      label: li.getAttribute('data-channel'),
      status: li.getAttribute('data-channel-status'),
      error: li.getAttribute('data-channel-error'),
      sentAt: li.getAttribute('data-channel-sent-at'),
    }));
    expect(items).toEqual([
      { label: 'me', status: 'ok', error: '', sentAt: String(NOW) },
      { label: 'hook', status: 'error', error: 'HTTP 503: busy', sentAt: '' },
    ]);
    expect(container.textContent).not.toContain('ABCdefGHIjklMNOpqr');
    expect(container.textContent).not.toContain('hook0123456789abcdef');
    expect(container.textContent).not.toContain('secretvalue99');
  });

  it('a channel never sent says so', () => {
    const { container } = render(<ChannelList {...props({ statuses: {} })} />);
    expect(container.querySelector('[data-channel="me"]')?.getAttribute('data-channel-status')).toBe('never');
  });

  it('a message not delivered after 3 tries offers Resend and Dismiss', () => {
    const onResend = vi.fn();
    const onDismiss = vi.fn();
    const entry = {
      id: 'm1',
      channel: 'webhook\nhook',
      message: { event: 'alert' as const, title: 'Quota Glance: CI needs attention', text: '', keys: [] },
      createdAt: NOW,
      tries: 3,
      lastError: 'HTTP 503: busy',
    };
    render(<ChannelList {...props({ outbox: [entry], onResend, onDismiss })} />);
    expect(screen.getByText(/Not delivered after 3 tries/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Resend' }));
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(onResend).toHaveBeenCalledWith('m1');
    expect(onDismiss).toHaveBeenCalledWith('m1');
  });

  it('adds a channel with the type’s fields and hints', async () => {
    const onSave = vi.fn(async () => null);
    render(<ChannelList {...props({ channels: [], statuses: {}, onSave })} />);
    fireEvent.click(screen.getByRole('button', { name: 'Add channel' }));
    fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'bark' } });
    expect(screen.getByText('In the Bark app: the part after the server in your push URL.')).toBeTruthy();
    fireEvent.input(screen.getByLabelText('Name'), { target: { value: 'iPhone' } });
    fireEvent.input(screen.getByLabelText('Device key'), { target: { value: 'devKEY123' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save channel' }));
    await waitFor(() => expect(onSave).toHaveBeenCalledWith({ label: 'iPhone', deviceKey: 'devKEY123', type: 'bark' }, null));
  });

  it('a trial message says it was sent, in words; the service’s raw answer only behind a toggle', async () => {
    render(<ChannelList {...props()} />);
    fireEvent.click(screen.getAllByRole('button', { name: 'Send trial message' })[0] as HTMLElement);
    await screen.findByText('Sent: the service took the trial message. Check that it arrived.');
    const raw = screen.getByText('HTTP 200 {"ok":true}');
    expect(raw.closest('details')?.open).toBe(false);
    expect(screen.getByText("The service's answer").tagName).toBe('SUMMARY');
  });

  it('a refused trial says the service refused it and why; no answer at all says so', async () => {
    const onTest = vi
      .fn<ChannelListProps['onTest']>()
      .mockResolvedValueOnce({
        delivered: false,
        answer: 'HTTP 400 {"ok":false,"error_code":400,"description":"Bad Request: chat not found"}',
        reason: 'HTTP 400: Bad Request: chat not found',
      })
      .mockResolvedValueOnce({ delivered: false, answer: 'No answer within 15 s', reason: 'No answer within 15 s' });
    render(<ChannelList {...props({ onTest })} />);
    const trial = () => screen.getAllByRole('button', { name: 'Send trial message' })[0] as HTMLElement;
    fireEvent.click(trial());
    await screen.findByText('Not sent: the service refused it (HTTP 400: Bad Request: chat not found).');
    expect(document.querySelector('[data-trial] details code')?.textContent).toContain('"description":"Bad Request: chat not found"');
    fireEvent.click(trial());
    await screen.findByText('Not sent: No answer within 15 s');
    expect(document.querySelector('[data-trial] details')).toBeNull();
  });

  it('sets restored announcements and the digest hour', () => {
    const onAlerts = vi.fn();
    render(<ChannelList {...props({ onAlerts })} />);
    fireEvent.change(screen.getByLabelText('Daily digest'), { target: { value: '9' } });
    expect(onAlerts).toHaveBeenCalledWith({ notifyRestored: true, digestHour: 9 });
    fireEvent.click(screen.getByLabelText('Also announce keys that are back at work'));
    expect(onAlerts).toHaveBeenLastCalledWith({ notifyRestored: false, digestHour: null });
  });
});

describe('a draft as a channel', () => {
  afterEach(speakEnglish);

  it('names the field as its label does, in the reader’s language (issue #19, a new user’s findings)', () => {
    expect(channelFromDraft({ type: 'webhook', label: '', url: 'https://hooks.example.com/x' }, null, [])).toEqual({
      ok: false,
      problem: 'Name: this field is required.',
    });
    expect(channelFromDraft({ type: 'telegram', label: 'me', botToken: 't', chatId: '' }, null, [])).toEqual({
      ok: false,
      problem: 'Chat id: this field is required.',
    });
    speak('zh_CN.yml');
    expect(channelFromDraft({ type: 'webhook', label: 'x', url: 'ftp://hooks.example.com' }, null, [])).toEqual({
      ok: false,
      problem: 'Webhook 地址：请输入以 https:// 或 http:// 开头的地址。',
    });
    speak('ja.yml');
    expect(channelFromDraft({ type: 'webhook', label: 'x', url: 'ftp://hooks.example.com' }, null, [])).toEqual({
      ok: false,
      problem: 'Webhook URL：https:// または http:// で始まるアドレスを入力してください。',
    });
  });

  it('refuses an ntfy topic ntfy would refuse (spaces, dots, too long), and takes a good one', () => {
    for (const topic of ['my alerts', 'qg.alerts', 'ü-alerts', 'x'.repeat(65)])
      expect(channelFromDraft({ type: 'ntfy', label: 'phone', topic, server: '' }, null, [])).toEqual({
        ok: false,
        problem: 'Topic: ntfy accepts only letters, digits, - and _ (at most 64), without spaces.',
      });
    expect(channelFromDraft({ type: 'ntfy', label: 'phone', topic: 'qg-7f3a_Alerts', server: '' }, null, [])).toEqual({
      ok: true,
      channel: { type: 'ntfy', label: 'phone', server: 'https://ntfy.sh', topic: 'qg-7f3a_Alerts' },
    });
  });

  it('an empty secret keeps the stored one; an empty server takes the public default', () => {
    expect(channelFromDraft({ type: 'telegram', label: 'me', botToken: '', chatId: '43', server: '' }, bot, [bot])).toEqual({
      ok: true,
      channel: { ...bot, chatId: '43' },
    });
    expect(channelFromDraft({ type: 'webhook', label: 'hook', url: '' }, hook, [hook])).toEqual({ ok: true, channel: hook });
  });

  it('says what is wrong, and refuses a second channel of the same type and name', () => {
    expect(channelFromDraft({ type: 'webhook', label: 'x', url: 'javascript:alert(1)' }, null, [])).toEqual({
      ok: false,
      problem: 'Webhook URL: enter an address that starts with https:// or http://.',
    });
    const twin = channelFromDraft({ type: 'telegram', label: 'me', botToken: 't', chatId: '1' }, null, [bot]);
    expect(twin).toEqual({ ok: false, problem: 'A Telegram channel named “me” exists already.' });
  });
});
