/** Human-readable ages as the API server and kubectl print them (apimachinery's HumanDuration). */

/**
 * A duration in the short form kubectl shows in AGE columns: `6s`, `3m10s`, `35m`, `7h59m`,
 * `15h`, `2d1h`, `367d`, `2y1d`. Precision falls as the duration grows. Below -1 s the clocks
 * disagree too much and the answer is `<invalid>`; -1 s to 0 counts as `0s`.
 */
export function humanDuration(ms: number): string {
  // Go converts with int(d.Seconds()): truncation toward zero.
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const dy = days % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

/** The age of an RFC 3339 timestamp at `now`; `<unknown>` when the timestamp is unset. */
export function translateTimestampSince(ts: string | undefined | null, now: number): string {
  const t = parseTime(ts);
  return t === undefined ? '<unknown>' : humanDuration(now - t);
}

/** Milliseconds since the epoch of an RFC 3339 (or MicroTime) timestamp; undefined when unset or unparsable. */
export function parseTime(ts: string | undefined | null): number | undefined {
  if (!ts) return undefined;
  const t = Date.parse(ts);
  // Go's zero time (0001-01-01T00:00:00Z) is what an unset metav1.Time marshals to.
  return Number.isNaN(t) || t <= -62135596800000 ? undefined : t;
}
