/** Today's date for a file name: `2026-11-22`. */
const today = () => new Date().toISOString().slice(0, 10);

/** Saves JSON text as a file the browser downloads, named `<prefix>-<today>.json`. */
export function downloadJson(text: string, prefix: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  Object.assign(document.createElement('a'), { href: url, download: `${prefix}-${today()}.json` }).click();
  // The browser has read the file once the download starts; the address is let go later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
