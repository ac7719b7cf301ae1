/** The Events section of describe: the events about an object, fetched by field selector and tabulated. */
import type { Event } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../../../k8s/api/object.ts';
import { resourceByPlural } from '../../../k8s/api/resources.ts';
import type { KubeClient } from '../../../k8s/client/client.ts';
import { parseTime, translateTimestampSince } from '../../../k8s/printers/duration.ts';
import { LEVEL_0, LEVEL_1, type PrefixWriter } from './writer.ts';

export interface EventRef {
  name: string;
  namespace: string;
  /** Left out of the selector when empty (pods are searched without a kind). */
  kind?: string;
  uid?: string;
}

/**
 * searchEvents: the events whose involvedObject matches the reference, in the reference's
 * namespace (all namespaces when it has none, as for nodes).
 */
export async function searchEvents(client: KubeClient, ref: EventRef): Promise<KObject[]> {
  const parts = [`involvedObject.name=${ref.name}`, `involvedObject.namespace=${ref.namespace}`];
  if (ref.kind) parts.push(`involvedObject.kind=${ref.kind}`);
  if (ref.uid) parts.push(`involvedObject.uid=${ref.uid}`);
  const events = resourceByPlural('', 'events')!;
  const list = await client.list(events, ref.namespace || undefined, { fieldSelector: parts.join(','), limit: 500 });
  return list.items;
}

/** The events search of a describer, or no section at all when it fails (kubectl ignores the error). */
export async function searchEventsOrNone(client: KubeClient, ref: EventRef): Promise<KObject[] | undefined> {
  try {
    return await searchEvents(client, ref);
  } catch {
    // searchEvents returns a non-nil list even on error: the section then says <none>.
    return [];
  }
}

/** DescribeEvents: `Events:  <none>`, or a Type/Reason/Age/From/Message table sorted by last timestamp. */
export function describeEvents(list: KObject[], w: PrefixWriter, now: number): void {
  if (list.length === 0) {
    w.write(LEVEL_0, 'Events:\t<none>\n');
    return;
  }
  const events = list as unknown as Event[];
  const last = (e: Event): number => parseTime(e.lastTimestamp) ?? Number.NEGATIVE_INFINITY;
  const sorted = [...events].sort((a, b) => last(a) - last(b));
  w.write(LEVEL_0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(LEVEL_1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    let first = translateTimestampSince(e.eventTime, now);
    if (parseTime(e.eventTime) === undefined) first = translateTimestampSince(e.firstTimestamp, now);
    let interval: string;
    if (e.series) interval = `${translateTimestampSince(e.series.lastObservedTime, now)} (x${e.series.count ?? 0} over ${first})`;
    else if ((e.count ?? 0) > 1) interval = `${translateTimestampSince(e.lastTimestamp, now)} (x${e.count} over ${first})`;
    else interval = first;
    const source = e.source?.component || e.reportingComponent || '';
    // kubectl 1.32 shows neither the field path nor the reporting host here.
    const message = (e.message ?? '').trim();
    w.write(LEVEL_1, `${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${source}\t${message}\n`);
  }
}
