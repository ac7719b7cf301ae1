/** Label maps and label selectors as text, the way apimachinery's `labels` package writes them. */
import type { LabelSelector } from '../api/object.ts';

/** `k=v,k2=v2` sorted by key (labels.FormatLabels); `<none>` for an empty map. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort(byteOrder);
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/**
 * A LabelSelector as a selector string (LabelSelectorAsSelector(...).String()): requirements
 * sorted by key, `k=v` for matchLabels, `k in (a,b)`, `k notin (a,b)`, `k`, `!k` for
 * expressions. Empty for a nil or empty selector (which select nothing and everything).
 */
export function selectorString(sel: LabelSelector | undefined | null): string {
  if (!sel) return '';
  const reqs: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${v}` });
  for (const e of sel.matchExpressions ?? []) {
    const values = [...new Set(e.values ?? [])].sort(byteOrder).join(',');
    switch (e.operator) {
      case 'In': reqs.push({ key: e.key, text: `${e.key} in (${values})` }); break;
      case 'NotIn': reqs.push({ key: e.key, text: `${e.key} notin (${values})` }); break;
      case 'Exists': reqs.push({ key: e.key, text: e.key }); break;
      case 'DoesNotExist': reqs.push({ key: e.key, text: `!${e.key}` }); break;
      default: return '<error>';
    }
  }
  // internalSelector sorts its requirements by key; Go's sort is not stable, but equal keys
  // only arise from a key in both matchLabels and matchExpressions.
  return reqs.sort((a, b) => byteOrder(a.key, b.key)).map((r) => r.text).join(',');
}

/** metav1.FormatLabelSelector: the selector string, `<none>` when it is empty. */
export function formatLabelSelector(sel: LabelSelector | undefined | null): string {
  const s = selectorString(sel);
  return s === '' ? '<none>' : s;
}

/** Go's string ordering (bytes of UTF-8; the same as UTF-16 code units outside the astral planes). */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
