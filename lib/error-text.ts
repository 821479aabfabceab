/**
 * The text of what was thrown, for a message shown or stored (issue #19, item 7: one
 * helper instead of a copy in each `catch`). An `Error` (or anything with a `message`)
 * gives its message; anything else its string form. Not redacted: callers that show a
 * service's or a person's text redact it first (lib/redact.ts).
 */
export const errorText = (cause: unknown): string => String((cause as Error | null | undefined)?.message ?? cause);
