import type { ComponentChildren, JSX } from 'preact';

type InputProps = Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onInput' | 'label' | 'children'>;

interface Props extends InputProps {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  /** A line under the field that explains it. */
  hint?: string;
  /** What is wrong with the value, if anything. */
  problem?: string;
  /** Shown beside the input (a Show button, say). */
  children?: ComponentChildren;
}

/**
 * A labelled text input. The label names the input alone; the hint and the problem
 * describe it (`aria-describedby`), so screen readers and tests find it by its name.
 */
export function TextField({ id, label, value, onValue, hint, problem, children, ...input }: Props) {
  const describedBy = [hint ? `${id}-hint` : '', problem ? `${id}-problem` : ''].filter(Boolean).join(' ') || undefined;
  const field = (
    <input
      {...input}
      id={id}
      value={value}
      onInput={(e) => onValue(e.currentTarget.value)}
      aria-invalid={!!problem}
      aria-describedby={describedBy}
    />
  );
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children ? (
        <span class="inline">
          {field}
          {children}
        </span>
      ) : (
        field
      )}
      {hint ? <small id={`${id}-hint`}>{hint}</small> : null}
      {problem ? (
        <span class="problem" id={`${id}-problem`} role="alert">
          {problem}
        </span>
      ) : null}
    </div>
  );
}
