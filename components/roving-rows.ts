/**
 * Roving focus over the popup's rows (issue #19, item 4): Tab stops at one row, not at
 * every row's four controls (464 stops at 116 keys). ↑ and ↓ (Home, End) move between the
 * rows' toggles; → and ← move along the focused row's controls. The row focused last
 * keeps its controls in the Tab order (its toggle, then its actions); every other row's
 * leave it (tabindex -1), but for an opened muted group's first row, the group's own stop.
 * Set on the DOM, so no row is drawn again for it. An opened row's details stay in the Tab
 * order: the person opened them.
 */
const ROW = 'li[data-key-row]';
const CONTROLS = '.row-toggle, .row-actions > button, .row-actions > a';

/** Rows a person can see: not filtered out, not in a hidden group or a closed one. */
const shownRows = (root: ParentNode) =>
  [...root.querySelectorAll<HTMLElement>(ROW)].filter((row) => !row.hidden && !row.parentElement?.closest('[hidden], details:not([open])'));

/** A row's own toggle and actions (not those of a row inside its details). */
const controlsOf = (row: Element) => [...row.querySelectorAll<HTMLElement>(CONTROLS)].filter((c) => c.closest(ROW) === row);
const toggleOf = (row: Element) => controlsOf(row).find((c) => c.classList.contains('row-toggle'));

function setStops(row: Element, index: number) {
  for (const control of controlsOf(row)) if (control.tabIndex !== index) control.tabIndex = index;
}

/** Keeps one row in the Tab order: the row of the toggle whose id is `current`, or the first row shown. */
export function applyRoving(root: HTMLElement, current: string | null): void {
  const rows = shownRows(root);
  const toggle = current ? document.getElementById(current) : null;
  const active = rows.find((row) => toggle && toggleOf(row) === toggle) ?? rows[0];
  // An opened muted group keeps a stop of its own, its first row, while the list's stop is elsewhere: Tab from
  // its "N muted" line goes into it, not out of the popup.
  const group = root.querySelector('details.muted-group[open]');
  const groupStop = group && !(active && group.contains(active)) ? rows.find((row) => group.contains(row)) : undefined;
  for (const row of root.querySelectorAll(ROW)) setStops(row, row === active || row === groupStop ? 0 : -1);
}

/** The id of the toggle of the row `target` is a control of, or null (a details link, the search box). */
export function rowToggleOf(target: EventTarget | null): string | null {
  const row = (target as Element | null)?.closest?.(ROW);
  if (!row || !controlsOf(row).includes(target as HTMLElement)) return null;
  return toggleOf(row)?.id ?? null;
}

/** Moves focus for an arrow, Home or End key pressed on a row's control; true when it did. */
export function moveRovingFocus(root: HTMLElement, event: KeyboardEvent): boolean {
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return false;
  const target = event.target as HTMLElement;
  const row = target.closest?.(ROW);
  if (!row) return false;
  const controls = controlsOf(row);
  const at = controls.indexOf(target);
  if (at < 0) return false;
  let next: HTMLElement | undefined;
  if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') next = controls[at + (event.key === 'ArrowRight' ? 1 : -1)];
  else if (['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(event.key)) {
    const rows = shownRows(root);
    const here = rows.indexOf(row as HTMLElement);
    const to = { ArrowDown: here + 1, ArrowUp: here - 1, Home: 0, End: rows.length - 1 }[event.key as 'Home'];
    const dest = rows[to];
    next = dest ? toggleOf(dest) : undefined;
  } else return false;
  if (next) {
    setStops(row, -1);
    if (next.closest(ROW) !== row) setStops(next.closest(ROW) as Element, 0);
    else setStops(row, 0);
    next.focus();
  }
  // At the first or last row the key is still taken: the page does not scroll instead.
  return true;
}
