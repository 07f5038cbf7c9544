/**
 * Text for HTML, in element content and in quoted attributes alike: plan and wave names, DRS
 * reasons and comments are user input, and the report must show them, never run them.
 */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
