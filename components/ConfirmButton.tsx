/**
 * The second step of an action that cannot be undone: the button that does it, focused
 * as it appears. Escape, or focus leaving it, takes the question back.
 */
export function ConfirmButton({ label, onConfirm, onCancel }: { label: string; onConfirm: () => void; onCancel: () => void }) {
  return (
    <button
      type="button"
      class="danger"
      ref={(b) => b?.focus()}
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}
      onBlur={onCancel}
      onClick={onConfirm}
    >
      {label}
    </button>
  );
}
