import { i18n } from '#i18n';
import { pointerOf } from '@/lib/providers/custom';

interface Props {
  /** A JSON value (already redacted). */
  value: unknown;
  /** A leaf was chosen: its JSON Pointer. */
  onPick: (pointer: string) => void;
}

type Segment = string | number;

function Node({ name, value, path, onPick }: { name?: Segment; value: unknown; path: Segment[]; onPick: Props['onPick'] }) {
  const label = name === undefined ? null : <span class="json-name">{String(name)}: </span>;
  if (value !== null && typeof value === 'object') {
    const entries: [Segment, unknown][] = Array.isArray(value)
      ? value.map((item, index) => [index, item])
      : Object.entries(value as Record<string, unknown>);
    return (
      <li>
        {label}
        <span class="json-brace">{Array.isArray(value) ? '[' : '{'}</span>
        <ul>
          {entries.map(([key, item]) => (
            <Node key={String(key)} name={key} value={item} path={[...path, key]} onPick={onPick} />
          ))}
        </ul>
        <span class="json-brace">{Array.isArray(value) ? ']' : '}'}</span>
      </li>
    );
  }
  const pointer = pointerOf(path);
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return (
    <li>
      {label}
      <button
        type="button"
        class="json-leaf"
        data-pointer={pointer}
        title={i18n.t('customPick', [pointer])}
        onClick={() => onPick(pointer)}
      >
        {text}
      </button>
    </li>
  );
}

/** A JSON answer as a tree whose values can be chosen, each giving its JSON Pointer. */
export function JsonTree({ value, onPick }: Props) {
  return (
    <ul class="json-tree">
      <Node value={value} path={[]} onPick={onPick} />
    </ul>
  );
}
