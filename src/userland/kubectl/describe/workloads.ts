/** `kubectl describe` of deployments, replicasets and replicationcontrollers, with their pod templates. */
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.d.ts';
import type { ReplicationController } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../../../k8s/api/object.ts';
import { byteOrder, formatLabelSelector, formatLabels, parseTime, selectorString } from '../../../k8s/printers/index.ts';
import { describeEvents } from './events.ts';
import { printAnnotationsMultiline, printLabelsMultiline, rfc1123z } from './format.ts';
import { controllerOf, describePodTemplate } from './pod.ts';
import { LEVEL_0, LEVEL_1, tabbed } from './writer.ts';

export interface PodPhaseCounts {
  running: number;
  waiting: number;
  succeeded: number;
  failed: number;
}

/** getPodStatusForController: the phases of the selected pods this controller (by uid) owns. */
export function podPhases(pods: KObject[], ownerUid: string | undefined): PodPhaseCounts {
  const counts: PodPhaseCounts = { running: 0, waiting: 0, succeeded: 0, failed: 0 };
  for (const p of pods) {
    const ref = p.metadata.ownerReferences?.find((o) => o.controller);
    if (!ref || ref.uid !== ownerUid) continue;
    switch ((p.status as { phase?: string } | undefined)?.phase) {
      case 'Running': counts.running++; break;
      case 'Pending': counts.waiting++; break;
      case 'Succeeded': counts.succeeded++; break;
      case 'Failed': counts.failed++; break;
    }
  }
  return counts;
}

const phasesText = (c: PodPhaseCounts): string => `${c.running} Running / ${c.waiting} Waiting / ${c.succeeded} Succeeded / ${c.failed} Failed`;

/** A pod template without its pod-template-hash label, for comparing a deployment with its replicasets. */
function withoutHash(template: unknown): string {
  const t = JSON.parse(JSON.stringify(template ?? {})) as { metadata?: { labels?: Record<string, string> } };
  if (t.metadata?.labels) delete t.metadata.labels['pod-template-hash'];
  return canonical(t);
}

/** JSON with sorted keys, so that field order does not matter. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * deploymentutil.GetAllReplicaSets: the replicasets the deployment controls, oldest first; the
 * new one is the first whose template equals the deployment's (ignoring the hash label).
 */
export function splitReplicaSets(deployment: KObject, replicaSets: KObject[]): { oldRSs: KObject[]; newRS: KObject | undefined } {
  const owned = replicaSets.filter((rs) => rs.metadata.ownerReferences?.some((o) => o.controller && o.uid === deployment.metadata.uid));
  const created = (o: KObject): number => parseTime(o.metadata.creationTimestamp) ?? 0;
  owned.sort((a, b) => created(a) - created(b) || byteOrder(a.metadata.name ?? '', b.metadata.name ?? ''));
  const target = withoutHash((deployment.spec as { template?: unknown } | undefined)?.template);
  const newRS = owned.find((rs) => withoutHash((rs.spec as { template?: unknown } | undefined)?.template) === target);
  return { oldRSs: owned.filter((rs) => rs !== newRS), newRS };
}

function replicaSetsByLabels(list: KObject[]): string {
  const s = list.map((o) => {
    const rs = o as unknown as ReplicaSet;
    return `${o.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`;
  }).join(', ');
  return s || '<none>';
}

export function describeDeploymentText(obj: KObject, rs: { oldRSs: KObject[]; newRS: KObject | undefined } | undefined, events: KObject[] | undefined, now: number): string {
  const d = obj as unknown as Deployment;
  const spec = d.spec!;
  const status = d.status ?? {};
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
    w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(obj.metadata.creationTimestamp)}\n`);
    printLabelsMultiline(w, 'Labels', obj.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', obj.metadata.annotations);
    w.write(LEVEL_0, `Selector:\t${selectorString(spec.selector)}\n`);
    w.write(LEVEL_0, `Replicas:\t${spec.replicas ?? 0} desired | ${status.updatedReplicas ?? 0} updated | ${status.replicas ?? 0} total | ${status.availableReplicas ?? 0} available | ${status.unavailableReplicas ?? 0} unavailable\n`);
    w.write(LEVEL_0, `StrategyType:\t${spec.strategy?.type ?? ''}\n`);
    w.write(LEVEL_0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`);
    const ru = spec.strategy?.rollingUpdate;
    if (ru) w.write(LEVEL_0, `RollingUpdateStrategy:\t${ru.maxUnavailable ?? '<nil>'} max unavailable, ${ru.maxSurge ?? '<nil>'} max surge\n`);
    describePodTemplate(spec.template, w);
    if (status.conditions?.length) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
      w.write(LEVEL_1, '----\t------\t------\n');
      for (const c of status.conditions) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
    }
    if (rs && (rs.oldRSs.length > 0 || rs.newRS)) {
      w.write(LEVEL_0, `OldReplicaSets:\t${replicaSetsByLabels(rs.oldRSs)}\n`);
      w.write(LEVEL_0, `NewReplicaSet:\t${replicaSetsByLabels(rs.newRS ? [rs.newRS] : [])}\n`);
    }
    if (events) describeEvents(events, w, now);
  });
}

export function describeReplicaSetText(obj: KObject, phases: PodPhaseCounts | { error: string }, events: KObject[] | undefined, now: number): string {
  const rs = obj as unknown as ReplicaSet;
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
    w.write(LEVEL_0, `Selector:\t${formatLabelSelector(rs.spec?.selector)}\n`);
    printLabelsMultiline(w, 'Labels', obj.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', obj.metadata.annotations);
    const controlledBy = controllerOf(obj);
    if (controlledBy) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`);
    w.write(LEVEL_0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 0} desired\n`);
    w.write(LEVEL_0, 'Pods Status:\t');
    w.write(LEVEL_0, 'error' in phases ? `error in fetching pods: ${phases.error}\n` : `${phasesText(phases)}\n`);
    describePodTemplate(rs.spec?.template, w);
    if (rs.status?.conditions?.length) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
      w.write(LEVEL_1, '----\t------\t------\n');
      for (const c of rs.status.conditions) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
    }
    if (events) describeEvents(events, w, now);
  });
}

export function describeReplicationControllerText(obj: KObject, phases: PodPhaseCounts, events: KObject[] | undefined, now: number): string {
  const rc = obj as unknown as ReplicationController;
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
    w.write(LEVEL_0, `Selector:\t${formatLabels(rc.spec?.selector)}\n`);
    printLabelsMultiline(w, 'Labels', obj.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', obj.metadata.annotations);
    w.write(LEVEL_0, `Replicas:\t${rc.status?.replicas ?? 0} current / ${rc.spec?.replicas ?? 0} desired\n`);
    w.write(LEVEL_0, `Pods Status:\t${phasesText(phases)}\n`);
    describePodTemplate(rc.spec?.template, w);
    if (rc.status?.conditions?.length) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
      w.write(LEVEL_1, '----\t------\t------\n');
      for (const c of rc.status.conditions) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
    }
    if (events) describeEvents(events, w, now);
  });
}
