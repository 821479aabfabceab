import { useEffect } from 'preact/hooks';

/** `/` pressed outside a field (and without Ctrl, Alt or ⌘) focuses the search box found by `selector` (issue #19, item 4). */
export function useSearchShortcut(selector: string) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || (e.target as Element).closest?.('input,select,textarea')) return;
      const box = document.querySelector<HTMLInputElement>(selector);
      if (!box) return;
      e.preventDefault();
      box.focus();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [selector]);
}
