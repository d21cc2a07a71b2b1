// Turning API values into words and numbers a person reads; pure functions.

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
});
const numberFormat = new Intl.NumberFormat();

/** A Unix ms time: the clock time today, else date and time. */
export function when(ms) {
  if (ms === undefined || ms === null || ms === '' || Number.isNaN(Number(ms))) return '—';
  const d = new Date(Number(ms));
  return d.toDateString() === new Date().toDateString() ? timeFormat.format(d) : dateTimeFormat.format(d);
}

/** "in 3 min", "12 s ago". */
export function relative(ms, now = Date.now()) {
  if (!ms) return '';
  const diff = Number(ms) - now;
  const abs = Math.abs(diff);
  const text = abs < 1000 ? 'now'
    : abs < 60_000 ? `${Math.round(abs / 1000)} s`
      : abs < 3_600_000 ? `${Math.round(abs / 60_000)} min`
        : abs < 86_400_000 ? `${Math.round(abs / 3_600_000)} h` : `${Math.round(abs / 86_400_000)} d`;
  if (text === 'now') return text;
  return diff > 0 ? `in ${text}` : `${text} ago`;
}

export function number(n) {
  return n === undefined || n === null ? '—' : numberFormat.format(n);
}

/** Base64 (as the API sends bodies) to text; bytes that are not UTF-8 show as U+FFFD. */
export function base64Text(b64) {
  if (!b64) return '';
  try {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8').decode(bytes);
  } catch {
    return b64;
  }
}

/** States that end a message's story. */
export const FINAL_STATES = new Set(['DELIVERED', 'FAILED', 'CANCELED', 'CANCELLED']);

/** A CSS class per log, run, step or failure-callback state, for its badge colour. */
export function stateClass(state) {
  switch (state) {
    case 'DELIVERED': case 'RUN_SUCCESS': case 'STEP_SUCCESS': case 'CALLBACK_SUCCESS': return 'ok';
    case 'FAILED': case 'ERROR': case 'RUN_FAILED': case 'CALLBACK_FAIL': return 'bad';
    case 'RETRY': case 'CANCEL_REQUESTED': case 'CANCELED': case 'CANCELLED': case 'RUN_CANCELED': return 'warn';
    default: return 'info';
  }
}

/** '2026-12-06T10:00' (a datetime-local value, local time) → Unix ms, or undefined. */
export function localInputToMillis(value) {
  if (!value) return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/** Shortens the middle of a long id for narrow columns; the full value stays in the title. */
export function shortId(id, keep = 10) {
  if (!id || id.length <= keep * 2 + 1) return id ?? '';
  return `${id.slice(0, keep)}…${id.slice(-keep)}`;
}
