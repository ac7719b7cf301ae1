/**
 * Keeps a ClusterRecords in step with the API, as CoreDNS's dnsController does: list then watch
 * namespaces, Services and EndpointSlices (and pods when `pods verified` needs them), through
 * informers that relist when a watch ends.
 */
import type { KObject } from '../api/object.ts';
import { resourceByPlural } from '../api/resources.ts';
import type { KubeClient } from '../client/client.ts';
import { Informer } from '../client/informer.ts';
import type { ClusterRecords } from './records.ts';

export interface ClusterWatch {
  /** Settles once every first list is in the records. */
  synced: Promise<void>;
  stop(): void;
}

export function watchCluster(client: KubeClient, records: ClusterRecords, opts: { pods: boolean }): ClusterWatch {
  const ns = (o: KObject): string => o.metadata.namespace ?? 'default';
  const feeds: [string, string, (o: KObject) => void, (o: KObject) => void][] = [
    ['', 'namespaces', (o) => records.setNamespace(o.metadata.name!), (o) => records.deleteNamespace(o.metadata.name!)],
    ['', 'services', (o) => records.setService(o), (o) => records.deleteService(ns(o), o.metadata.name!)],
    ['discovery.k8s.io', 'endpointslices', (o) => records.setEndpoints(o), (o) => records.deleteEndpoints(ns(o), o.metadata.name!)],
  ];
  if (opts.pods) feeds.push(['', 'pods', (o) => records.setPod(o), (o) => records.deletePod(ns(o), o.metadata.name!)]);
  const informers = feeds.map(([group, plural, set, del]) =>
    new Informer(client, resourceByPlural(group, plural)!).on({ add: set, update: (_old, o) => set(o), delete: del }),
  );
  return {
    synced: Promise.all(informers.map((i) => i.start())).then(() => undefined),
    stop: () => informers.forEach((i) => i.stop()),
  };
}
