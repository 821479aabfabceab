/** The icons there are, drawn by the popup's stylesheet (`.icon-<name>`, a mask in the text colour). */
const CLASSES = {
  refresh: 'icon icon-refresh',
  open: 'icon icon-open',
  copy: 'icon icon-copy',
} as const;

/**
 * A small line icon in the text colour; decorative (the button carries the name). One
 * element, not an SVG tree: the popup draws three per row.
 */
export function Icon({ name }: { name: keyof typeof CLASSES }) {
  return <span class={CLASSES[name]} aria-hidden="true" />;
}
