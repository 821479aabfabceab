/**
 * The second step of an action that cannot be undone: the button that does it, focused
 * as it appears. Escape, or focus leaving it, takes the question back.
 */
export function ConfirmButton({
  label,
  onConfirm,
  onCancel,
}: {
  label: string;
  onConfirm: () => void;
  /** `escape`: taken back with Escape (focus may go back to what asked); `blur`: focus left it. */
  onCancel: (how: 'escape' | 'blur') => void;
}) {
  return (
    <button
      type="button"
      class="danger"
      ref={(b) => b?.focus()}
      onKeyDown={(e) => e.key === 'Escape' && onCancel('escape')}
      onBlur={() => onCancel('blur')}
      onClick={onConfirm}
    >
      {label}
    </button>
  );
}
