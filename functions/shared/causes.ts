/**
 * A Lambda error reaches a Catch (and a failed execution's event) as a JSON string
 * `{ errorType, errorMessage, trace }`; a Fail state's cause is plain text. Either way the person
 * reading the record or the notification gets the message.
 */
export function readableCause(cause: string | null | undefined): string {
  if (!cause) return 'no cause was given';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (parsed && typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not JSON: already plain text
  }
  return cause;
}
