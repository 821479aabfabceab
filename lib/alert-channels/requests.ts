/**
 * Each channel's request and its "delivered" rule, exactly as shared/spec/automation.md
 * §5.1 says. Pure: the clock and WebCrypto are passed in. A request carries the
 * channel's own secrets (where the service wants them) and never a key's: the message
 * it sends is made of labels, sites, states and figures only (./compose.ts).
 */
import type { Channel, ChannelType } from '../channels';
import type { ChannelMessage } from './message';

/** One HTTP request, ready for `fetch`. */
export interface ChannelRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
}

/** Longest Telegram message text, in characters (UTF-16 code units, as Telegram counts). */
export const TELEGRAM_MAX_CHARS = 4096;
/** Longest WeCom text content, in UTF-8 bytes. */
export const WECOM_MAX_BYTES = 2048;

const encoder = new TextEncoder();

const toBase64 = (bytes: Uint8Array) => {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
};

/** base64(HMAC-SHA256(key, message)), with WebCrypto. */
export async function hmacBase64(key: string, message: string, subtle: SubtleCrypto = crypto.subtle): Promise<string> {
  const imported = await subtle.importKey('raw', encoder.encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return toBase64(new Uint8Array(await subtle.sign('HMAC', imported, encoder.encode(message))));
}

/** A header value as RFC 2047 asks for text that is not ASCII: `=?UTF-8?B?…?=`. */
export function headerText(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${toBase64(encoder.encode(text))}?=`;
}

/** At most `max` UTF-16 units, `…` last when cut, never half a surrogate pair. */
export function cutChars(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** At most `max` UTF-8 bytes, `…` last when cut, never half a character. */
export function cutBytes(text: string, max: number): string {
  if (encoder.encode(text).length <= max) return text;
  const room = max - encoder.encode('…').length;
  let out = '';
  let used = 0;
  for (const char of text) {
    const size = encoder.encode(char).length;
    if (used + size > room) break;
    out += char;
    used += size;
  }
  return `${out}…`;
}

/** ntfy's priority: 5 for exhausted, expired and refused keys, 4 for other alerts and restored keys, 3 (default) else. */
export function ntfyPriority(message: ChannelMessage): string {
  if (message.event === 'test' || message.event === 'digest') return '3';
  return message.keys.some((k) => k.state === 'exhausted' || k.state === 'expired' || k.state === 'invalid') ? '5' : '4';
}

const NTFY_TAGS: Record<ChannelMessage['event'], string> = {
  alert: 'warning',
  restored: 'white_check_mark',
  digest: 'calendar',
  test: 'bell',
};

const json = { 'Content-Type': 'application/json' };

/** The message as one text: the title, a blank line, the lines. */
const fullText = (message: ChannelMessage) => `${message.title}\n\n${message.text}`;

/** A ServerChan SendKey's address: `sctp{uid}t…` keys go to their own host (ServerChan³), others to the classic one. */
export function serverChanUrl(sendKey: string): string {
  const uid = /^sctp(\d+)t/i.exec(sendKey)?.[1];
  const key = encodeURIComponent(sendKey);
  return uid ? `https://${uid}.push.ft07.com/send/${key}.send` : `https://sctapi.ftqq.com/${key}.send`;
}

/** The request that delivers `message` on `channel` at `now` (Unix ms; signatures use it). */
export async function buildRequest(
  channel: Channel,
  message: ChannelMessage,
  now: number,
  subtle: SubtleCrypto = crypto.subtle,
): Promise<ChannelRequest> {
  const post = (url: string, headers: Record<string, string>, body: string): ChannelRequest => ({ url, method: 'POST', headers, body });
  switch (channel.type) {
    case 'webhook':
      return post(
        channel.url,
        json,
        JSON.stringify({
          source: 'quota-glance',
          event: message.event,
          title: message.title,
          text: message.text,
          keys: message.keys.map((k) => ({
            label: k.label,
            site: k.site,
            state: k.state,
            previousState: k.previousState,
            remaining: k.remaining,
            unit: k.unit,
            expiresAt: k.expiresAt,
            resetsAt: k.resetsAt,
          })),
          sentAt: new Date(now).toISOString(),
        }),
      );
    case 'ntfy': {
      const headers: Record<string, string> = {
        Title: headerText(message.title),
        Priority: ntfyPriority(message),
        Tags: NTFY_TAGS[message.event],
      };
      if (channel.token) headers.Authorization = `Bearer ${channel.token}`;
      return post(`${channel.server}/${encodeURIComponent(channel.topic)}`, headers, message.text);
    }
    case 'telegram':
      return post(
        `${channel.server}/bot${channel.botToken}/sendMessage`,
        json,
        JSON.stringify({ chat_id: channel.chatId, text: cutChars(fullText(message), TELEGRAM_MAX_CHARS), disable_web_page_preview: true }),
      );
    case 'bark':
      return post(
        `${channel.server}/push`,
        json,
        JSON.stringify({ device_key: channel.deviceKey, title: message.title, body: message.text, group: 'Quota Glance' }),
      );
    case 'dingtalk': {
      let url = channel.url;
      if (channel.signSecret) {
        const timestamp = String(now);
        const sign = await hmacBase64(channel.signSecret, `${timestamp}\n${channel.signSecret}`, subtle);
        url += `${url.includes('?') ? '&' : '?'}timestamp=${timestamp}&sign=${encodeURIComponent(sign)}`;
      }
      return post(url, json, JSON.stringify({ msgtype: 'text', text: { content: fullText(message) } }));
    }
    case 'feishu': {
      const body: Record<string, unknown> = { msg_type: 'text', content: { text: fullText(message) } };
      if (channel.signSecret) {
        const timestamp = String(Math.floor(now / 1000));
        body.timestamp = timestamp;
        body.sign = await hmacBase64(`${timestamp}\n${channel.signSecret}`, '', subtle);
      }
      return post(channel.url, json, JSON.stringify(body));
    }
    case 'wecom':
      return post(channel.url, json, JSON.stringify({ msgtype: 'text', text: { content: cutBytes(fullText(message), WECOM_MAX_BYTES) } }));
    case 'serverchan':
      return post(serverChanUrl(channel.sendKey), json, JSON.stringify({ title: message.title, desp: message.text }));
  }
}

/** Whether a service's answer means the message arrived, and if not, what it said. */
export type Verdict = { delivered: true } | { delivered: false; reason: string };

const parse = (text: string): Record<string, unknown> | null => {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/** The service's own words for a refusal, when its answer has them. */
const said = (answer: Record<string, unknown> | null, text: string) => {
  for (const field of ['description', 'errmsg', 'msg', 'message', 'StatusMessage', 'error', 'info'])
    if (typeof answer?.[field] === 'string' && answer[field]) return answer[field] as string;
  return text.trim().slice(0, 300);
};

/** Which answer field must be 0 (or 200, or true) for each JSON-answering service (§5.1). */
const BODY_RULES: Partial<Record<ChannelType, (answer: Record<string, unknown>) => boolean>> = {
  telegram: (a) => a.ok === true,
  bark: (a) => a.code === 200,
  dingtalk: (a) => a.errcode === 0,
  wecom: (a) => a.errcode === 0,
  feishu: (a) => a.code === 0 || a.StatusCode === 0,
  serverchan: (a) => a.code === 0,
};

/** Judges an answer by §5.1: 2xx for webhook and ntfy; a 2xx with the service's own "done" field for the others. */
export function judgeAnswer(type: ChannelType, status: number, text: string): Verdict {
  const answer = parse(text);
  const ok2xx = status >= 200 && status < 300;
  const rule = BODY_RULES[type];
  if (ok2xx && (!rule || (answer && rule(answer)))) return { delivered: true };
  const words = said(answer, text);
  return { delivered: false, reason: `HTTP ${status}${words ? `: ${words}` : ''}` };
}
