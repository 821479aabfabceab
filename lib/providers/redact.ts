import { REDACTED, secretForms, stripControls } from '../redact';

/** Caps of an answer shown on the options page: deep or wide answers are cut, never the page. */
export const ANSWER_CAPS = { depth: 12, items: 50, keys: 100, chars: 300, nodes: 2000 } as const;

export { REDACTED };

/**
 * Text with a key's secret replaced by `•••`, with or without `sk-` (the forms of
 * lib/redact.ts, longest first; a `Bearer ` before it stays, to say what was there).
 */
export function hideSecret(text: string, secret: string): string {
  let out = text;
  const forms = secretForms(secret).filter((form) => !/^bearer /i.test(form));
  for (const form of [...forms, secret.trim()].sort((a, b) => b.length - a.length))
    if (form.length >= 4) out = out.split(form).join(REDACTED);
  return out;
}

/**
 * An endpoint's JSON answer made fit to show (the options page's Test): the key's
 * secret and anything after `Bearer ` replaced by `•••`, in names and values; control
 * and text-direction characters taken out of values; long strings, wide lists and deep
 * nesting cut. Paths into what is kept stay valid (so names keep their characters).
 */
export function redactAnswer(body: unknown, secret: string): unknown {
  let nodes = 0;
  const clean = (text: string) => hideSecret(text, secret).replace(/\bBearer\s+[^\s"']+/gi, `Bearer ${REDACTED}`);
  const walk = (value: unknown, depth: number): unknown => {
    nodes++;
    if (typeof value === 'string') {
      const shown = clean(stripControls(value));
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
