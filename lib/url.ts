/**
 * The host of an address (issue #19, item 7: one module instead of five copies of it).
 * Both give '' for text that is not an absolute URL; neither throws.
 */
const parsed = (url: string): URL | null => {
  try {
    return new URL(url);
  } catch {
    return null;
  }
};

/** The host as the address says it, port included (`relay.example:8443`): a label for what was imported. */
export const hostOf = (url: string): string => parsed(url)?.host ?? '';

/** The host name alone, lower-case, no port: what providers' and sites' rules are keyed by. */
export const hostnameOf = (url: string): string => parsed(url)?.hostname.toLowerCase() ?? '';
