import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChannelMessage, KeyLine } from '@/lib/alert-channels/message';
import { buildRequest, cutBytes, headerText, judgeAnswer, serverChanUrl } from '@/lib/alert-channels/requests';
import type { Channel } from '@/lib/channels';
import { NOW } from './helpers';

const line0 = {
  label: 'CI',
  site: 'relay.example.com',
  state: 'exhausted',
  previousState: null,
  remaining: 0,
  unit: 'USD',
  expiresAt: null,
  resetsAt: null,
  kind: 'state',
} satisfies KeyLine;
const message: ChannelMessage = {
  event: 'alert',
  title: 'Quota Glance: CI needs attention',
  text: '• CI (relay.example.com): Exhausted · $0.00 left',
  keys: [
    {
      label: 'CI',
      site: 'relay.example.com',
      state: 'exhausted',
      previousState: null,
      remaining: 0,
      unit: 'USD',
      expiresAt: null,
      resetsAt: null,
      kind: 'state',
    },
  ],
};
const full = `${message.title}\n\n${message.text}`;

const request = (channel: Channel, m = message) => buildRequest(channel, m, NOW);

describe('each channel’s request (automation.md §5.1)', () => {
  it('webhook: POST {url}, JSON with source, event, title, text, keys and sentAt', async () => {
    const r = await request({ type: 'webhook', label: 'hook', url: 'https://hooks.example.com/qg?x=1' });
    expect(r.url).toBe('https://hooks.example.com/qg?x=1');
    expect(r.method).toBe('POST');
    expect(r.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(r.body)).toEqual({
      source: 'quota-glance',
      event: 'alert',
      title: message.title,
      text: message.text,
      keys: [
        {
          label: 'CI',
          site: 'relay.example.com',
          state: 'exhausted',
          previousState: null,
          remaining: 0,
          unit: 'USD',
          expiresAt: null,
          resetsAt: null,
        },
      ],
      sentAt: new Date(NOW).toISOString(),
    });
  });

  it('ntfy: POST {server}/{topic}, the text as body, Title, Priority 5 for exhausted, Tags, Bearer token', async () => {
    const r = await request({ type: 'ntfy', label: 'phone', server: 'https://ntfy.example.com', topic: 'qg-7f3a', token: 'tk_abc' });
    expect(r.url).toBe('https://ntfy.example.com/qg-7f3a');
    expect(r.body).toBe(message.text);
    expect(r.headers).toEqual({ Title: message.title, Priority: '5', Tags: 'warning', Authorization: 'Bearer tk_abc' });
  });

  it('ntfy: priority 4 for low, capped and restored; no Authorization without a token; a Chinese title in RFC 2047', async () => {
    const low = {
      ...message,
      title: 'Quota Glance：1 个密钥需要留意',
      keys: [{ ...line0, state: 'low' }],
    };
    const r = await request({ type: 'ntfy', label: 'phone', server: 'https://ntfy.sh', topic: 't' }, low);
    expect(r.headers.Priority).toBe('4');
    expect(r.headers.Authorization).toBeUndefined();
    expect(r.headers.Title).toBe(`=?UTF-8?B?${Buffer.from(low.title, 'utf8').toString('base64')}?=`);
    const back = {
      ...low,
      event: 'restored' as const,
      keys: [{ ...line0, state: 'ok', previousState: 'capped', kind: 'restored' as const }],
    };
    expect((await request({ type: 'ntfy', label: 'p', server: 'https://ntfy.sh', topic: 't' }, back)).headers).toMatchObject({
      Priority: '4',
      Tags: 'white_check_mark',
    });
  });

  it('telegram: POST {server}/bot{token}/sendMessage with chat_id, text and no preview', async () => {
    const r = await request({ type: 'telegram', label: 'me', server: 'https://api.telegram.org', botToken: '123456:ABC', chatId: '42' });
    expect(r.url).toBe('https://api.telegram.org/bot123456:ABC/sendMessage');
    expect(JSON.parse(r.body)).toEqual({ chat_id: '42', text: full, disable_web_page_preview: true });
  });

  it('telegram: text cut at 4096 characters', async () => {
    const long = { ...message, text: '界'.repeat(5000) };
    const r = await request({ type: 'telegram', label: 'me', server: 'https://api.telegram.org', botToken: 't', chatId: '1' }, long);
    const text = JSON.parse(r.body).text as string;
    expect(text.length).toBe(4096);
    expect(text.endsWith('…')).toBe(true);
  });

  it('bark: POST {server}/push with device_key, title, body, group', async () => {
    const r = await request({ type: 'bark', label: 'iPhone', server: 'https://api.day.app', deviceKey: 'devKEY' });
    expect(r.url).toBe('https://api.day.app/push');
    expect(JSON.parse(r.body)).toEqual({ device_key: 'devKEY', title: message.title, body: message.text, group: 'Quota Glance' });
  });

  it('dingtalk: {url}&timestamp={ms}&sign=urlencode(base64(HMAC-SHA256(secret, ts\\nsecret))) and a text message', async () => {
    const secret = 'SEC0123456789abcdef';
    const url = 'https://oapi.dingtalk.com/robot/send?access_token=dtk';
    const r = await request({ type: 'dingtalk', label: 'ops', url, signSecret: secret });
    const expected = createHmac('sha256', secret).update(`${NOW}\n${secret}`).digest('base64');
    expect(r.url).toBe(`${url}&timestamp=${NOW}&sign=${encodeURIComponent(expected)}`);
    expect(JSON.parse(r.body)).toEqual({ msgtype: 'text', text: { content: full } });
    const plain = await request({ type: 'dingtalk', label: 'ops', url });
    expect(plain.url).toBe(url);
  });

  it('feishu: text message plus timestamp in seconds and sign = base64(HMAC-SHA256(ts\\nsecret, ""))', async () => {
    const secret = 'fs0123456789abcdef';
    const url = 'https://open.feishu.cn/open-apis/bot/v2/hook/abc';
    const r = await request({ type: 'feishu', label: 'ops cn', url, signSecret: secret });
    const ts = String(Math.floor(NOW / 1000));
    const expected = createHmac('sha256', `${ts}\n${secret}`).update('').digest('base64');
    expect(r.url).toBe(url);
    expect(JSON.parse(r.body)).toEqual({ msg_type: 'text', content: { text: full }, timestamp: ts, sign: expected });
    expect(JSON.parse((await request({ type: 'feishu', label: 'x', url })).body)).toEqual({ msg_type: 'text', content: { text: full } });
  });

  it('wecom: text message at most 2048 bytes, cut on a character', async () => {
    const url = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k';
    const r = await request({ type: 'wecom', label: 'wx', url });
    expect(r.url).toBe(url);
    expect(JSON.parse(r.body)).toEqual({ msgtype: 'text', text: { content: full } });
    const long = await request({ type: 'wecom', label: 'wx', url }, { ...message, text: '密钥'.repeat(1000) });
    const content = JSON.parse(long.body).text.content as string;
    expect(Buffer.byteLength(content, 'utf8')).toBeLessThanOrEqual(2048);
    expect(Buffer.byteLength(content, 'utf8')).toBeGreaterThan(2040);
    expect(content.endsWith('…')).toBe(true);
    expect(cutBytes('abc', 2048)).toBe('abc');
  });

  it('serverchan: sctp{uid}t… keys to their own host, others to sctapi.ftqq.com, JSON title and desp', async () => {
    expect(serverChanUrl('sctp1234tABCdef')).toBe('https://1234.push.ft07.com/send/sctp1234tABCdef.send');
    expect(serverChanUrl('SCT0123456789abcdef')).toBe('https://sctapi.ftqq.com/SCT0123456789abcdef.send');
    const r = await request({ type: 'serverchan', label: 'wechat', sendKey: 'SCT01' });
    expect(r.url).toBe('https://sctapi.ftqq.com/SCT01.send');
    expect(JSON.parse(r.body)).toEqual({ title: message.title, desp: message.text });
  });

  it('header text stays as it is when ASCII', () => {
    expect(headerText('Quota Glance: 2 keys')).toBe('Quota Glance: 2 keys');
    expect(headerText('キー')).toBe(`=?UTF-8?B?${Buffer.from('キー').toString('base64')}?=`);
  });
});

describe('what "delivered" means per service (§5.1)', () => {
  it.each([
    ['webhook', 204, '', true],
    ['webhook', 500, 'boom', false],
    ['webhook', 301, '', false],
    ['ntfy', 200, '{"id":"x","event":"message"}', true],
    ['ntfy', 429, '{"code":42901,"http":429,"error":"limit reached"}', false],
    ['telegram', 200, '{"ok":true,"result":{}}', true],
    ['telegram', 400, '{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}', false],
    ['telegram', 200, '{"ok":false}', false],
    ['bark', 200, '{"code":200,"message":"success"}', true],
    ['bark', 200, '{"code":400,"message":"failed to get device token"}', false],
    ['dingtalk', 200, '{"errcode":0,"errmsg":"ok"}', true],
    ['dingtalk', 200, '{"errcode":310000,"errmsg":"sign not match"}', false],
    ['feishu', 200, '{"code":0,"msg":"success"}', true],
    ['feishu', 200, '{"StatusCode":0,"StatusMessage":"success"}', true],
    ['feishu', 200, '{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}', false],
    ['wecom', 200, '{"errcode":0,"errmsg":"ok"}', true],
    ['wecom', 200, '{"errcode":93000,"errmsg":"invalid webhook url"}', false],
    ['serverchan', 200, '{"code":0,"message":"","data":{}}', true],
    ['serverchan', 200, '{"code":40001,"message":"bad pushkey"}', false],
    ['bark', 200, 'not json', false],
  ] as const)('%s answering %i %s: delivered %s', (type, status, body, delivered) => {
    const verdict = judgeAnswer(type, status, body);
    expect(verdict.delivered).toBe(delivered);
    if (!verdict.delivered) expect(verdict.reason).toMatch(new RegExp(`^HTTP ${status}`));
  });

  it('says the service’s own words when it refuses', () => {
    expect(judgeAnswer('telegram', 400, '{"ok":false,"description":"Bad Request: chat not found"}')).toEqual({
      delivered: false,
      reason: 'HTTP 400: Bad Request: chat not found',
    });
    expect(judgeAnswer('dingtalk', 200, '{"errcode":310000,"errmsg":"sign not match"}')).toEqual({
      delivered: false,
      reason: 'HTTP 200: sign not match',
    });
  });
});
