import { i18n } from '#i18n';
import type { CustomMapping, KeyConfig } from '@/lib/model';
import { mapAnswer } from '@/lib/providers/custom';
import { customMappingSchema } from '@/lib/providers/fields';
import { kindLabel } from '@/lib/providers/labels';
import { plainDecimal } from '@/lib/units';
import { JsonTree } from '../JsonTree';
import { TextField } from '../TextField';
import type { KindFields, Problems } from './types';

/** Where each figure is, in the order the form shows them. */
const FIGURES = ['remaining', 'granted', 'used', 'unlimited', 'expiresAt'] as const;
type Figure = (typeof FIGURES)[number];
const FIGURE_LABEL: Record<Figure, () => string> = {
  remaining: () => i18n.t('fieldCustomRemaining'),
  granted: () => i18n.t('fieldCustomGranted'),
  used: () => i18n.t('fieldCustomUsed'),
  unlimited: () => i18n.t('fieldCustomUnlimited'),
  expiresAt: () => i18n.t('fieldCustomExpiresAt'),
};

/** `Name: value` lines → headers; null when a line is not a header. */
function parseHeaders(text: string): Record<string, string> | null {
  const headers: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const match = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:\s*(.*?)\s*$/.exec(line);
    if (!match?.[1]) return null;
    headers[match[1]] = match[2] ?? '';
  }
  return headers;
}
const headerLines = (headers: Record<string, string> | undefined) =>
  Object.entries(headers ?? {})
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');

interface CustomState {
  path: string;
  headers: string;
  figures: Record<Figure, string>;
  scale: string;
  /** The figure a value picked from the tested answer goes to. */
  editing: Figure;
}

/** The custom mapping as typed, or what is wrong with it. */
function customDraft(state: CustomState): { mapping?: CustomMapping; preview?: CustomMapping; found: Problems } {
  const { path, headers, figures, scale } = state;
  const found: Problems = {};
  if (!path.trim().startsWith('/')) found.customPath = i18n.t('invalidCustomPath');
  const parsedHeaders = parseHeaders(headers);
  if (!parsedHeaders) found.headers = i18n.t('invalidCustomHeaders');
  const scaleValue = Number(scale.trim());
  if (scale.trim() !== '' && !(Number.isFinite(scaleValue) && scaleValue > 0)) found.scale = i18n.t('invalidCustomScale');
  const chosen = Object.fromEntries(FIGURES.filter((f) => figures[f].trim() !== '').map((f) => [f, figures[f].trim()]));
  const mapping = {
    path: path.trim(),
    ...(parsedHeaders && Object.keys(parsedHeaders).length ? { headers: parsedHeaders } : {}),
    ...chosen,
    ...(scale.trim() !== '' ? { scale: scaleValue } : {}),
  };
  if (!chosen.remaining && !(chosen.granted && chosen.used)) found.figures = i18n.t('invalidCustomFigures');
  const checked = customMappingSchema.safeParse(mapping);
  // The figures alone, for reading a tested answer before the rest is filled in.
  const preview = customMappingSchema.safeParse({ ...mapping, path: '/', headers: undefined });
  return {
    ...(checked.success ? { mapping: checked.data } : {}),
    ...(preview.success ? { preview: preview.data } : {}),
    found,
  };
}

/** Any JSON endpoint: its path, headers, where each figure is, a scale, and a Test answer to pick paths from (automation.md §3.1). */
export const customFields: KindFields<CustomState> = {
  init: (initial) => ({
    path: initial?.custom?.path ?? '',
    headers: headerLines(initial?.custom?.headers),
    figures: Object.fromEntries(FIGURES.map((f) => [f, initial?.custom?.[f] ?? ''])) as Record<Figure, string>,
    scale: initial?.custom?.scale?.toString() ?? '',
    editing: 'remaining',
  }),
  check(state) {
    const { mapping, found } = customDraft(state);
    return { draft: mapping ? { custom: mapping } : {}, found };
  },
  problemKeys: ['customPath', 'headers', 'figures', 'scale'],
  View({ state, onState, problems, probeAnswer, currency }) {
    const editFigures = (figures: Record<Figure, string>) => onState({ ...state, figures }, ['figures']);
    const mapped =
      probeAnswer !== undefined
        ? (() => {
            const { preview } = customDraft(state);
            return preview ? mapAnswer(probeAnswer, preview, { currency } as KeyConfig, Date.now()) : null;
          })()
        : null;
    return (
      <fieldset class="custom-mapping">
        <legend>{kindLabel('custom')}</legend>
        <TextField
          id="key-custom-path"
          name="customPath"
          label={i18n.t('fieldCustomPath')}
          placeholder="/api/balance"
          value={state.path}
          onValue={(path) => onState({ ...state, path }, ['customPath'])}
          hint={i18n.t('fieldCustomPathHint')}
          problem={problems.customPath}
        />
        <div class="field">
          <label for="key-custom-headers">{i18n.t('fieldCustomHeaders')}</label>
          <textarea
            id="key-custom-headers"
            name="customHeaders"
            rows={2}
            spellcheck={false}
            placeholder="X-Api-Key: {secret}"
            value={state.headers}
            onInput={(e) => onState({ ...state, headers: e.currentTarget.value }, ['headers'])}
            aria-invalid={!!problems.headers}
            aria-describedby={`key-custom-headers-hint${problems.headers ? ' key-custom-headers-problem' : ''}`}
          />
          <small id="key-custom-headers-hint">{i18n.t('fieldCustomHeadersHint', ['{secret}'])}</small>
          {problems.headers ? (
            <span class="problem" id="key-custom-headers-problem" role="alert">
              {problems.headers}
            </span>
          ) : null}
        </div>
        {FIGURES.map((figure) => (
          <TextField
            key={figure}
            id={`key-custom-${figure}`}
            name={figure}
            spellcheck={false}
            label={FIGURE_LABEL[figure]()}
            value={state.figures[figure]}
            onValue={(value) => editFigures({ ...state.figures, [figure]: value })}
            onFocus={() => onState({ ...state, editing: figure }, null)}
            hint={figure === 'remaining' ? i18n.t('fieldCustomFigureHint') : undefined}
            problem={figure === 'remaining' ? problems.figures : undefined}
          />
        ))}
        <TextField
          id="key-custom-scale"
          name="scale"
          inputMode="decimal"
          label={i18n.t('fieldCustomScale')}
          placeholder="1"
          value={state.scale}
          onValue={(scale) => onState({ ...state, scale }, ['scale'])}
          problem={problems.scale}
        />
        {probeAnswer !== undefined ? (
          <div class="custom-answer">
            <section aria-labelledby="custom-answer-heading">
              <h3 id="custom-answer-heading">{i18n.t('customAnswerHeading')}</h3>
              <p>{i18n.t('customAnswerHint', [FIGURE_LABEL[state.editing]()])}</p>
              <JsonTree value={probeAnswer} onPick={(pointer) => editFigures({ ...state.figures, [state.editing]: pointer })} />
            </section>
            <section aria-labelledby="custom-mapped-heading" data-mapped>
              <h3 id="custom-mapped-heading">{i18n.t('customMappedHeading')}</h3>
              {mapped === null ? (
                <p role="status">{i18n.t('invalidCustomFigures')}</p>
              ) : mapped.ok ? (
                <dl>
                  {(['remaining', 'granted', 'used'] as const).map((figure) => (
                    <div key={figure}>
                      <dt>{FIGURE_LABEL[figure]()}</dt>
                      <dd data-figure={figure}>
                        {mapped.reading[figure] === null ? '—' : `${plainDecimal(mapped.reading[figure] ?? 0)} ${mapped.reading.unit.code}`}
                      </dd>
                    </div>
                  ))}
                  <div>
                    <dt>{FIGURE_LABEL.unlimited()}</dt>
                    <dd data-figure="unlimited">{String(mapped.reading.unlimited)}</dd>
                  </div>
                  <div>
                    <dt>{FIGURE_LABEL.expiresAt()}</dt>
                    <dd data-figure="expiresAt">
                      {mapped.reading.expiresAt === null ? '—' : new Date(mapped.reading.expiresAt * 1000).toISOString()}
                    </dd>
                  </div>
                </dl>
              ) : (
                <p role="alert">{mapped.error.message}</p>
              )}
            </section>
          </div>
        ) : null}
      </fieldset>
    );
  },
};
