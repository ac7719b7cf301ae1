/** `kubectl describe` of namespaces (with their quotas and limit ranges) and configmaps. */
import type { ConfigMap, LimitRange, Namespace, ResourceQuota } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../../../k8s/api/object.ts';
import { byteOrder } from '../../../k8s/printers/labels.ts';
import { describeEvents } from './events.ts';
import { printAnnotationsMultiline, printLabelsMultiline, rfc1123z } from './format.ts';
import { Quantity, resourceList } from './quantity.ts';
import { LEVEL_0, LEVEL_1, type PrefixWriter, tabbed } from './writer.ts';

const QUOTA_SCOPE_HELP: Record<string, string> = {
  Terminating: 'Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.',
  NotTerminating: 'Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
  BestEffort: 'Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
  NotBestEffort: 'Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.',
};

function describeQuotas(quotas: ResourceQuota[], w: PrefixWriter): void {
  if (quotas.length === 0) {
    w.write(LEVEL_0, 'No resource quota.\n');
    return;
  }
  w.write(LEVEL_0, 'Resource Quotas\n');
  for (const q of [...quotas].sort((a, b) => byteOrder(a.metadata?.name ?? '', b.metadata?.name ?? ''))) {
    w.write(LEVEL_1, `Name:\t${q.metadata?.name ?? ''}\n`);
    const scopes = [...(q.spec?.scopes ?? [])].sort(byteOrder);
    if (scopes.length) {
      w.write(LEVEL_1, `Scopes:\t${scopes.join(', ')}\n`);
      for (const s of scopes) if (QUOTA_SCOPE_HELP[s]) w.write(LEVEL_1, `* ${QUOTA_SCOPE_HELP[s]}\n`);
    }
    w.write(LEVEL_1, 'Resource\tUsed\tHard\n');
    w.write(LEVEL_1, '--------\t---\t---\n');
    const hard = resourceList(q.status?.hard as Record<string, string> | undefined);
    const used = resourceList(q.status?.used as Record<string, string> | undefined);
    for (const name of [...hard.keys()].sort(byteOrder)) w.write(LEVEL_1, `${name}\t${(used.get(name) ?? Quantity.zero()).toString()}\t${hard.get(name)!.toString()}\n`);
  }
}

function describeLimitRanges(ranges: LimitRange[], w: PrefixWriter): void {
  if (ranges.length === 0) {
    w.write(LEVEL_0, 'No LimitRange resource.\n');
    return;
  }
  w.write(LEVEL_0, 'Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
  w.write(LEVEL_0, ' ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
  for (const lr of ranges) {
    for (const item of lr.spec?.limits ?? []) {
      const lists = [item.min, item.max, item.defaultRequest, item.default, item.maxLimitRequestRatio].map((l) => resourceList(l as Record<string, string> | undefined));
      const names = new Set(lists.flatMap((l) => [...l.keys()]));
      for (const k of names) {
        const cells = lists.map((l) => l.get(k)?.toString() ?? '-');
        w.write(LEVEL_0, ` ${item.type}\t${k}\t${cells.join('\t')}\n`);
      }
    }
  }
}

/** Quotas and limit ranges are undefined when the server has no such resources (it answered 404). */
export function describeNamespaceText(obj: KObject, quotas: KObject[] | undefined, limitRanges: KObject[] | undefined): string {
  const ns = obj as unknown as Namespace;
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
    printLabelsMultiline(w, 'Labels', obj.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', obj.metadata.annotations);
    w.write(LEVEL_0, `Status:\t${ns.status?.phase ?? ''}\n`);
    if (ns.status?.conditions?.length) {
      w.write(LEVEL_0, 'Conditions:\n');
      w.write(LEVEL_1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t------------------\t------\t-------\n');
      for (const c of ns.status.conditions) w.write(LEVEL_1, `${c.type}\t${c.status}\t${rfc1123z(c.lastTransitionTime)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
    }
    if (quotas) {
      w.write(LEVEL_0, '\n');
      describeQuotas(quotas as unknown as ResourceQuota[], w);
    }
    if (limitRanges) {
      w.write(LEVEL_0, '\n');
      describeLimitRanges(limitRanges as unknown as LimitRange[], w);
    }
  });
}

export function describeConfigMapText(obj: KObject, events: KObject[] | undefined, now: number): string {
  const cm = obj as unknown as ConfigMap;
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
    printLabelsMultiline(w, 'Labels', obj.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', obj.metadata.annotations);
    w.write(LEVEL_0, '\nData\n====\n');
    // kubectl 1.32 walks the keys in Go's random map order; sorted is one of those orders (and newer kubectl's).
    for (const k of Object.keys(cm.data ?? {}).sort(byteOrder)) {
      w.write(LEVEL_0, `${k}:\n----\n`);
      w.write(LEVEL_0, `${cm.data![k]}\n`);
      w.write(LEVEL_0, '\n');
    }
    w.write(LEVEL_0, '\nBinaryData\n====\n');
    for (const k of Object.keys(cm.binaryData ?? {}).sort(byteOrder)) {
      w.write(LEVEL_0, `${k}: ${Buffer.from(cm.binaryData![k], 'base64').length} bytes\n`);
    }
    w.write(LEVEL_0, '\n');
    if (events) describeEvents(events, w, now);
  });
}
