/** The events Table: when an event was last and first seen, what it is about and who reported it. */
import type { Event } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../api/object.ts';
import { NAME_COLUMN, as, column, type Printer } from './columns.ts';
import { DOC } from './descriptions.ts';
import { parseTime, translateTimestampSince } from './duration.ts';

/** `component, host`, falling back to the reporting controller and instance of the newer API. */
export function eventSource(e: Event): string {
  const component = e.source?.component || e.reportingComponent || '';
  const instance = e.source?.host || e.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

export const eventPrinter: Printer = {
  columns: [
    column('Last Seen', 'string', DOC.Event.lastTimestamp),
    column('Type', 'string', DOC.Event.type),
    column('Reason', 'string', DOC.Event.reason),
    column('Object', 'string', DOC.Event.involvedObject),
    column('Subobject', 'string', DOC.ObjectReference.fieldPath, { priority: 1 }),
    column('Source', 'string', DOC.Event.source, { priority: 1 }),
    column('Message', 'string', DOC.Event.message),
    column('First Seen', 'string', DOC.Event.firstTimestamp, { priority: 1 }),
    column('Count', 'string', DOC.Event.count, { priority: 1 }),
    { ...NAME_COLUMN, priority: 1 },
  ],
  row(obj: KObject, now: number) {
    const e = as<Event>(obj);
    let first = translateTimestampSince(e.firstTimestamp, now);
    if (parseTime(e.firstTimestamp) === undefined) first = translateTimestampSince(e.eventTime, now);
    let last = translateTimestampSince(e.lastTimestamp, now);
    if (parseTime(e.lastTimestamp) === undefined) last = first;
    let count = e.count ?? 0;
    if (e.series) {
      last = translateTimestampSince(e.series.lastObservedTime, now);
      count = e.series.count ?? 0;
    } else if (count === 0) {
      // Singleton events of the events.k8s.io API carry no count.
      count = 1;
    }
    const kind = (e.involvedObject?.kind ?? '').toLowerCase();
    const target = e.involvedObject?.name ? `${kind}/${e.involvedObject.name}` : kind;
    return {
      cells: [last, e.type ?? '', e.reason ?? '', target, e.involvedObject?.fieldPath ?? '', eventSource(e), (e.message ?? '').trim(), first, count, e.metadata?.name ?? ''],
    };
  },
};
