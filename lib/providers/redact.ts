import { REDACTED, withoutSecret } from '../redact';

/** Caps of an answer shown on the options page: deep or wide answers are cut, never the page. */
export const ANSWER_CAPS = { depth: 12, items: 50, keys: 100, chars: 300, nodes: 2000 } as const;

export { REDACTED };

/**
 * Text with a key's secret replaced by `•••`: every form of it, in any case, and every
 * piece of it (lib/redact.ts `withoutSecret`), with the characters that can disguise text gone.
 */
export const hideSecret = (text: string, secret: string): string => withoutSecret(text, [secret]);

/**
 * An endpoint's JSON answer made fit to show (the options page's Test): the key's
 * secret (any form, case or piece) and anything after `Bearer ` replaced by `•••`, and
 * control and text-direction characters taken out, in names and values; long strings,
 * wide lists and deep nesting cut. Paths into what is kept stay valid, except through a
 * name that held the secret or such characters (a hostile answer's, not a balance's).
 */
export function redactAnswer(body: unknown, secret: string): unknown {
  let nodes = 0;
  const clean = (text: string) => hideSecret(text, secret).replace(/\bBearer\s+[^\s"'•]+/gi, `Bearer ${REDACTED}`);
  const walk = (value: unknown, depth: number): unknown => {
    nodes++;
    if (typeof value === 'string') {
      const shown = clean(value);
      return shown.length > ANSWER_CAPS.chars ? `${shown.slice(0, ANSWER_CAPS.chars)}…` : shown;
    }
    if (value === null || typeof value !== 'object') return value;
    if (depth >= ANSWER_CAPS.depth || nodes > ANSWER_CAPS.nodes) return '…';
    if (Array.isArray(value)) return value.slice(0, ANSWER_CAPS.items).map((item) => walk(item, depth + 1));
    const entries = Object.entries(value as Record<string, unknown>).slice(0, ANSWER_CAPS.keys);
    return Object.fromEntries(entries.map(([name, item]) => [clean(name), walk(item, depth + 1)]));
  };
  return walk(body, 0);
}
