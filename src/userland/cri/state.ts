/**
 * What crictl, ctr and docker share about the node's runtime state: reading it, finding a
 * container or sandbox by ID prefix, the times as Go prints them (go-units' HumanDuration,
 * RFC 3339 with nanoseconds), the image ID, and the dockershim/cri-dockerd container names.
 */
import { createHash } from 'node:crypto';
import type { CommandContext } from '../command.ts';
import { readCriState, type CriContainer, type CriSandbox, type CriState } from '../../k8s/kubelet/cri.ts';

export type { CriContainer, CriSandbox, CriState };

export function loadState(ctx: CommandContext): CriState {
  return readCriState(ctx.fs);
}

/** Sandboxes and containers together, as the runtime's one container store holds them. */
export type Entry = { kind: 'sandbox'; sb: CriSandbox } | { kind: 'container'; c: CriContainer; sb: CriSandbox | undefined };

export function entries(st: CriState): Entry[] {
  const byId = new Map(st.sandboxes.map((s) => [s.id, s]));
  return [...st.sandboxes.map((sb): Entry => ({ kind: 'sandbox', sb })), ...st.containers.map((c): Entry => ({ kind: 'container', c, sb: byId.get(c.sandboxId) }))];
}

export const entryId = (e: Entry): string => (e.kind === 'sandbox' ? e.sb.id : e.c.id);
export const entryCreated = (e: Entry): number => (e.kind === 'sandbox' ? e.sb.createdAt : e.c.createdAt);

/**
 * The ID a prefix names, as containerd's and docker's truncindex resolve it: an exact match
 * wins, otherwise the one ID starting with it; 'ambiguous' when several do.
 */
export function resolvePrefix(ids: readonly string[], prefix: string): string | 'ambiguous' | undefined {
  if (!prefix) return undefined;
  if (ids.includes(prefix)) return prefix;
  const hits = ids.filter((id) => id.startsWith(prefix));
  return hits.length > 1 ? 'ambiguous' : hits[0];
}

/** go-units' HumanDuration (docker's CREATED and STATUS, crictl's CREATED), from milliseconds. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(ms / 3_600_000);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(ms / 3_600_000 / 24 / 365)} years`;
}

/** Go's time.Format(time.RFC3339Nano) in UTC: trailing zeros of the fraction dropped. */
export function rfc3339Nano(ms: number): string {
  if (!ms) return '0001-01-01T00:00:00Z';
  const iso = new Date(ms).toISOString();
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 19)}${frac ? `.${frac}` : ''}Z`;
}

/** Nanoseconds since the epoch as the decimal string protobuf's JSON gives an int64. */
export const nanos = (ms: number): string => (BigInt(Math.round(ms)) * 1_000_000n).toString();

/** The container's image ID; a stable stand-in derived from the image when the kubelet left it out. */
export function imageId(c: CriContainer): string {
  return c.imageId ?? `sha256:${createHash('sha256').update(c.imageRef || c.image).digest('hex')}`;
}

/** The pause image's ID (sandboxes carry only the image name). */
export const pauseImageId = (sb: CriSandbox): string => `sha256:${createHash('sha256').update(sb.image).digest('hex')}`;

/** dockershim's (cri-dockerd's) docker container names: `k8s_POD_<pod>_<ns>_<uid>_<attempt>` and `k8s_<container>_...`. */
export function dockerName(e: Entry): string {
  if (e.kind === 'sandbox') return `k8s_POD_${e.sb.name}_${e.sb.namespace}_${e.sb.uid}_${e.sb.attempt}`;
  const pod = e.sb ?? { name: e.c.labels['io.kubernetes.pod.name'] ?? '', namespace: e.c.labels['io.kubernetes.pod.namespace'] ?? '', uid: e.c.labels['io.kubernetes.pod.uid'] ?? '' };
  return `k8s_${e.c.name}_${pod.name}_${pod.namespace}_${pod.uid}_${e.c.attempt}`;
}

/** The runtime's version with containerd's leading `v` (`v1.7.18`); docker's has none. */
export function runtimeVersion(st: CriState): string {
  return st.runtime === 'containerd' && !st.runtimeVersion.startsWith('v') ? `v${st.runtimeVersion}` : st.runtimeVersion;
}
