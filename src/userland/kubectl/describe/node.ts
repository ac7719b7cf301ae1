/** `kubectl describe node`: conditions, addresses, capacity, the non-terminated pods and what they request. */
import type { Container, Node, Pod } from 'kubernetes-types/core/v1.d.ts';
import type { Lease } from 'kubernetes-types/coordination/v1.d.ts';
import type { KObject } from '../../../k8s/api/object.ts';
import { byteOrder, nodeRoles, translateTimestampSince } from '../../../k8s/printers/index.ts';
import { describeEvents } from './events.ts';
import { printAnnotationsMultiline, printLabelsMultiline, printTaintsMultiline, rfc1123z } from './format.ts';
import { Quantity, resourceList } from './quantity.ts';
import { LEVEL_0, LEVEL_1, tabbed } from './writer.ts';

type Resources = Map<string, Quantity>;

function addInto(target: Resources, add: Resources): void {
  for (const [k, v] of add) target.set(k, target.has(k) ? target.get(k)!.add(v) : v);
}

function maxInto(target: Resources, other: Resources): void {
  for (const [k, v] of other) if (!target.has(k) || v.cmp(target.get(k)!) > 0) target.set(k, v);
}

/**
 * resourcehelper.PodRequests / PodLimits: the app containers summed, sidecars added to them,
 * each plain init container (with the sidecars started before it) taken as a floor, overhead on top.
 */
export function podResources(pod: Pod, which: 'requests' | 'limits'): Resources {
  const of = (c: Container): Resources => resourceList(c.resources?.[which] as Record<string, string> | undefined);
  const total: Resources = new Map();
  for (const c of pod.spec?.containers ?? []) addInto(total, of(c));
  const sidecars: Resources = new Map();
  const initMax: Resources = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    const own = of(c);
    let effective: Resources;
    if (c.restartPolicy === 'Always') {
      addInto(total, own);
      addInto(sidecars, own);
      effective = new Map(sidecars);
    } else {
      effective = new Map(own);
      addInto(effective, sidecars);
    }
    maxInto(initMax, effective);
  }
  maxInto(total, initMax);
  addInto(total, resourceList(pod.spec?.overhead as Record<string, string> | undefined));
  return total;
}

const HUGEPAGES = /^hugepages-/;
const STANDARD = new Set(['cpu', 'memory', 'ephemeral-storage', 'storage']);

/** `%d` of a Go float64 → int64 conversion: truncation toward zero. */
const pct = (part: number, whole: number): number => Math.trunc((part / whole) * 100);

export interface NodeDescribeInput {
  node: KObject;
  /** The non-terminated pods on the node, or undefined when listing them was forbidden. */
  pods: KObject[] | undefined;
  events: KObject[] | undefined;
  /** The node's lease in kube-node-lease, or the error text of fetching it. */
  lease: KObject | { error: string };
}

export function describeNodeText(input: NodeDescribeInput, now: number): string {
  const obj = input.node;
  const node = obj as unknown as Node;
  const status = node.status ?? {};
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
    const roles = nodeRoles(obj.metadata.labels);
    w.write(LEVEL_0, `Roles:\t${roles.length ? roles.join(',') : '<none>'}\n`);
    printLabelsMultiline(w, 'Labels', obj.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', obj.metadata.annotations);
    w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(obj.metadata.creationTimestamp)}\n`);
    printTaintsMultiline(w, 'Taints', node.spec?.taints);
    w.write(LEVEL_0, `Unschedulable:\t${!!node.spec?.unschedulable}\n`);
    if ('error' in input.lease) {
      w.write(LEVEL_0, `Lease:\tFailed to get lease: ${input.lease.error}\n`);
    } else {
      const lease = input.lease as unknown as Lease;
      w.write(LEVEL_0, 'Lease:\n');
      w.write(LEVEL_1, `HolderIdentity:\t${lease.spec?.holderIdentity ?? '<unset>'}\n`);
      w.write(LEVEL_1, `AcquireTime:\t${lease.spec?.acquireTime ? rfc1123z(lease.spec.acquireTime) : '<unset>'}\n`);
      w.write(LEVEL_1, `RenewTime:\t${lease.spec?.renewTime ? rfc1123z(lease.spec.renewTime) : '<unset>'}\n`);
    }
    if (status.conditions?.length) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
      for (const c of status.conditions) {
        w.write(LEVEL_1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
      }
    }
    w.write(LEVEL_0, 'Addresses:\n');
    for (const a of status.addresses ?? []) w.write(LEVEL_1, `${a.type}:\t${a.address}\n`);
    const printList = (list: Record<string, string> | undefined): void => {
      const q = resourceList(list);
      for (const name of [...q.keys()].sort(byteOrder)) w.write(LEVEL_0, `  ${name}:\t${q.get(name)!.toString()}\n`);
    };
    if (Object.keys(status.capacity ?? {}).length) {
      w.write(LEVEL_0, 'Capacity:\n');
      printList(status.capacity as Record<string, string>);
    }
    if (Object.keys(status.allocatable ?? {}).length) {
      w.write(LEVEL_0, 'Allocatable:\n');
      printList(status.allocatable as Record<string, string>);
    }
    const info = status.nodeInfo;
    w.write(LEVEL_0, 'System Info:\n');
    w.write(LEVEL_0, `  Machine ID:\t${info?.machineID ?? ''}\n`);
    w.write(LEVEL_0, `  System UUID:\t${info?.systemUUID ?? ''}\n`);
    w.write(LEVEL_0, `  Boot ID:\t${info?.bootID ?? ''}\n`);
    w.write(LEVEL_0, `  Kernel Version:\t${info?.kernelVersion ?? ''}\n`);
    w.write(LEVEL_0, `  OS Image:\t${info?.osImage ?? ''}\n`);
    w.write(LEVEL_0, `  Operating System:\t${info?.operatingSystem ?? ''}\n`);
    w.write(LEVEL_0, `  Architecture:\t${info?.architecture ?? ''}\n`);
    w.write(LEVEL_0, `  Container Runtime Version:\t${info?.containerRuntimeVersion ?? ''}\n`);
    w.write(LEVEL_0, `  Kubelet Version:\t${info?.kubeletVersion ?? ''}\n`);
    w.write(LEVEL_0, `  Kube-Proxy Version:\t${info?.kubeProxyVersion ?? ''}\n`);
    if (node.spec?.podCIDR) w.write(LEVEL_0, `PodCIDR:\t${node.spec.podCIDR}\n`);
    if (node.spec?.podCIDRs?.length) w.write(LEVEL_0, `PodCIDRs:\t${node.spec.podCIDRs.join(',')}\n`);
    if (node.spec?.providerID) w.write(LEVEL_0, `ProviderID:\t${node.spec.providerID}\n`);

    if (!input.pods) w.write(LEVEL_0, 'Pods:\tnot authorized\n');
    else {
      const pods = input.pods as unknown as Pod[];
      w.write(LEVEL_0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
      w.write(LEVEL_1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
      w.write(LEVEL_1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
      const allocatable = resourceList((Object.keys(status.allocatable ?? {}).length ? status.allocatable : status.capacity) as Record<string, string> | undefined);
      const allocCpu = (allocatable.get('cpu') ?? Quantity.zero()).milliValue();
      const allocMem = (allocatable.get('memory') ?? Quantity.zero()).valueOf();
      const zero = Quantity.zero();
      const totalReqs: Resources = new Map();
      const totalLimits: Resources = new Map();
      for (const p of pods) {
        const req = podResources(p, 'requests');
        const lim = podResources(p, 'limits');
        addInto(totalReqs, req);
        addInto(totalLimits, lim);
        const cpuReq = req.get('cpu') ?? zero;
        const cpuLim = lim.get('cpu') ?? zero;
        const memReq = req.get('memory') ?? zero;
        const memLim = lim.get('memory') ?? zero;
        w.write(LEVEL_1, `${p.metadata?.namespace ?? ''}\t${p.metadata?.name ?? ''}\t\t${cpuReq.toString()} (${pct(cpuReq.milliValue(), allocCpu)}%)\t${cpuLim.toString()} (${pct(cpuLim.milliValue(), allocCpu)}%)\t` +
          `${memReq.toString()} (${pct(memReq.valueOf(), allocMem)}%)\t${memLim.toString()} (${pct(memLim.valueOf(), allocMem)}%)\t${translateTimestampSince(p.metadata?.creationTimestamp, now)}\n`);
      }
      w.write(LEVEL_0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
      w.write(LEVEL_1, 'Resource\tRequests\tLimits\n');
      w.write(LEVEL_1, '--------\t--------\t------\n');
      const line = (name: string, whole: (q: Quantity) => number): void => {
        const r = totalReqs.get(name) ?? zero;
        const l = totalLimits.get(name) ?? zero;
        const a = whole(allocatable.get(name) ?? zero);
        const rp = a !== 0 ? pct(whole(r), a) : 0;
        const lp = a !== 0 ? pct(whole(l), a) : 0;
        w.write(LEVEL_1, `${name}\t${r.toString()} (${rp}%)\t${l.toString()} (${lp}%)\n`);
      };
      line('cpu', (q) => q.milliValue());
      line('memory', (q) => q.valueOf());
      line('ephemeral-storage', (q) => q.valueOf());
      const names = [...allocatable.keys()];
      for (const name of names.filter((n) => HUGEPAGES.test(n)).sort(byteOrder)) line(name, (q) => q.valueOf());
      for (const name of names.filter((n) => !HUGEPAGES.test(n) && !STANDARD.has(n) && n !== 'pods').sort(byteOrder)) {
        w.write(LEVEL_1, `${name}\t${(totalReqs.get(name) ?? zero).toString()}\t${(totalLimits.get(name) ?? zero).toString()}\n`);
      }
    }
    if (input.events) describeEvents(input.events, w, now);
  });
}
