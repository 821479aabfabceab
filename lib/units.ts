/** Removes binary-float noise (`29.999999999999996`, `1e-7`) by rounding to 6 decimals. */
export function clean(value: number): number {
  // Beyond 2^53 / 1e6 there are no decimals left to clean, and scaling could overflow.
  if (!Number.isFinite(value) || Math.abs(value) > 9e9) return value;
  const rounded = Math.round(value * 1e6) / 1e6;
  return Object.is(rounded, -0) ? 0 : rounded;
}

/** A number as a plain decimal string, never in exponent form: `8.5`, `0`, `-3.25`. */
export function plainDecimal(value: number): string {
  if (!Number.isFinite(value)) return '';
  const fixed = clean(value).toFixed(6);
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}
