/**
 * Test helpers for the controllers and the scheduler: a control plane on a hand-driven clock,
 * nodes, manifests, and a fake kubelet that reports pods Running and Ready (the node side is
 * the next issue's). Not used by the product.
 */
import type { KObject } from '../api/object.ts';
import { rfc3339 } from '../api/object.ts';
import { ControlPlane, type ControlPlaneOptions } from '../controlplane.ts';
import { R, type Pod } from './util.ts';

export const T0 = Date.parse('2020-03-07T00:41:00Z');

export interface TestCluster {
  cp: ControlPlane;
  clock: { t: number };
  /** Advances the clock by `s` seconds. */
  tick(s?: number): void;
  errors: string[];
}

export function cluster(o: { seed?: number; bootstrap?: boolean; apiserverAddress?: string; config?: ControlPlaneOptions['config'] } = {}): TestCluster {
  const clock = { t: T0 };
  const errors: string[] = [];
  const cp = new ControlPlane({ seed: o.seed ?? 1, now: () => clock.t, controllers: { log: (m) => errors.push(m) }, ...(o.config ? { config: o.config } : {}) });
  if (o.bootstrap !== false) cp.bootstrap(o.apiserverAddress ? { apiserverAddress: o.apiserverAddress } : {});
  return { cp, clock, tick: (s = 1) => void (clock.t += s * 1000), errors };
}

export function node(name: string, o: { taints?: { key: string; value?: string; effect: string }[]; labels?: Record<string, string>; ready?: boolean | 'unknown'; unschedulable?: boolean; allocatable?: Record<string, string> } = {}): KObject {
  const n: KObject = {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', ...(o.labels ?? {}) } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
  };
  if (o.ready !== undefined || o.allocatable) {
    n.status = {
      ...(o.allocatable ? { allocatable: o.allocatable, capacity: o.allocatable } : {}),
      ...(o.ready !== undefined ? { conditions: [{ type: 'Ready', status: o.ready === 'unknown' ? 'Unknown' : o.ready ? 'True' : 'False', reason: 'KubeletReady', message: 'kubelet is posting ready status' }] } : {}),
    };
  }
  return n;
}

/** kind's nodes: a tainted control plane and `workers` workers. */
export function kindNodes(cp: ControlPlane, prefix: string, workers: number): void {
  cp.registry.create(R.nodes, undefined, node(`${prefix}-control-plane`, { labels: { 'node-role.kubernetes.io/control-plane': '' }, taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }], ready: true }));
  for (let i = 1; i <= workers; i++) cp.registry.create(R.nodes, undefined, node(`${prefix}-worker${i === 1 ? '' : i}`, { ready: true }));
}

export interface ContainerSpec {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  args?: string[];
}

export function podTemplate(labels: Record<string, string>, containers: ContainerSpec[]): Record<string, unknown> {
  return { metadata: { labels }, spec: { containers } };
}

export function deployment(name: string, replicas: number, labels: Record<string, string>, containers: ContainerSpec[], extra: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, labels },
    spec: { replicas, selector: { matchLabels: labels }, template: podTemplate(labels, containers), ...extra },
  };
}

export function service(name: string, selector: Record<string, string> | undefined, ports: { name?: string; port: number; targetPort?: number | string; protocol?: string }[], extra: Record<string, unknown> = {}): KObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ...(selector ? { selector } : {}), ports: ports.map((p) => ({ protocol: 'TCP', ...p })), ...extra } };
}

/**
 * What the kubelet of each node reports: pods bound to a node get an IP from `ipFor(node)` (the
 * node's pod CIDR prefix, `10.244.1.`), phase Running, Ready; pods being deleted go away.
 * Returns how many pods it changed.
 */
export function fakeKubelet(cp: ControlPlane, ipFor: (node: string) => string | undefined, o: { ready?: (pod: Pod) => boolean } = {}): number {
  const reg = cp.registry;
  const used = new Map<string, number>();
  for (const p of reg.list(R.pods, undefined).items as unknown as Pod[]) {
    const ip = p.status?.podIP;
    if (ip) used.set(ip.slice(0, ip.lastIndexOf('.') + 1), Math.max(used.get(ip.slice(0, ip.lastIndexOf('.') + 1)) ?? 1, Number(ip.slice(ip.lastIndexOf('.') + 1))));
  }
  let changed = 0;
  const now = rfc3339(reg.now());
  for (const p of reg.list(R.pods, undefined).items as unknown as Pod[]) {
    const nodeName = p.spec?.nodeName;
    if (!nodeName) continue;
    if (p.metadata.deletionTimestamp) {
      reg.forceDelete(R.pods, p.metadata.namespace, p.metadata.name!);
      changed++;
      continue;
    }
    const ready = o.ready ? o.ready(p) : true;
    let podIP = p.status?.podIP;
    if (!podIP) {
      const prefix = ipFor(nodeName);
      if (!prefix) continue;
      const n = (used.get(prefix) ?? 1) + 1;
      used.set(prefix, n);
      podIP = `${prefix}${n}`;
    }
    const cond = (type: string, status: boolean): Record<string, unknown> => {
      const prev = p.status?.conditions?.find((c) => c.type === type);
      const s = status ? 'True' : 'False';
      return { type, status: s, lastProbeTime: null, lastTransitionTime: prev && prev.status === s ? prev.lastTransitionTime : now };
    };
    const status = {
      phase: 'Running',
      conditions: [cond('PodReadyToStartContainers', true), cond('Initialized', true), cond('Ready', ready), cond('ContainersReady', ready), cond('PodScheduled', true)],
      hostIP: '172.17.0.2', hostIPs: [{ ip: '172.17.0.2' }],
      podIP, podIPs: [{ ip: podIP }],
      startTime: p.status?.startTime ?? now,
      containerStatuses: (p.spec?.containers ?? []).map((c) => ({
        name: c.name, image: c.image, imageID: '', containerID: 'containerd://0', ready, started: true, restartCount: 0,
        state: { running: { startedAt: p.status?.containerStatuses?.find((x) => x.name === c.name)?.state?.running?.startedAt ?? now } },
      })),
      qosClass: 'BestEffort',
    };
    const next = { ...p, status } as unknown as KObject;
    // The API's defaulting may add fields (lastState: {}): what was written is in what is stored.
    if (contains(p.status, status)) continue;
    reg.update(R.pods, p.metadata.namespace, p.metadata.name!, next, { subresource: 'status' });
    changed++;
  }
  return changed;
}

function contains(have: unknown, want: unknown): boolean {
  if (want === null || typeof want !== 'object') return have === want;
  if (have === null || typeof have !== 'object') return false;
  if (Array.isArray(want)) return Array.isArray(have) && have.length === want.length && want.every((w, i) => contains(have[i], w));
  return Object.entries(want).every(([k, v]) => contains((have as Record<string, unknown>)[k], v));
}

/** Settles the control plane and runs the fake kubelet until neither changes anything. */
export function converge(cp: ControlPlane, ipFor: (node: string) => string | undefined, o: { ready?: (pod: Pod) => boolean } = {}): void {
  for (let i = 0; i < 50; i++) {
    cp.settle();
    if (!fakeKubelet(cp, ipFor, o)) return;
  }
  throw new Error('did not converge');
}

export function events(cp: ControlPlane, reason?: string): { reason: string; message: string; object: string; component: string; count: number; type: string }[] {
  return (cp.registry.list(R.events, undefined).items as KObject[])
    .map((e) => ({
      reason: e.reason as string, message: e.message as string, type: e.type as string, count: e.count as number,
      object: `${(e.involvedObject as { kind: string }).kind}/${(e.involvedObject as { name: string }).name}`,
      component: (e.source as { component: string }).component,
      name: e.metadata.name!,
    }))
    .sort((a, b) => {
      // Event names end in the hex time they were made: sorting by it gives the order they happened in.
      const x = a.name.slice(a.name.lastIndexOf('.') + 1);
      const y = b.name.slice(b.name.lastIndexOf('.') + 1);
      return x < y ? -1 : x > y ? 1 : 0;
    })
    .filter((e) => !reason || e.reason === reason)
    .map(({ name: _n, ...rest }) => rest);
}
