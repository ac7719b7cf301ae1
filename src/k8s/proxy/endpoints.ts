/**
 * Endpoints per service port from a Service's EndpointSlices (upstream's EndpointSliceCache):
 * each slice port × endpoint gives an `ip:port` with its conditions (ready, serving,
 * terminating), whether it runs on this node, and its zone hints; endpoints that appear in
 * several slices are merged, and each list is sorted by the `ip:port` string.
 */
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.d.ts';
import type { KObject } from '../api/object.ts';
import { joinHostPort, servicePortKey, type ServicePortName } from './names.ts';
import { isIPv4, type Protocol } from './serviceport.ts';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface EndpointInfo {
  ip: string;
  port: number;
  /** `ip:port` (net.JoinHostPort): what endpoints sort by and endpoint chains hash. */
  endpoint: string;
  /** Runs on this proxier's node. */
  isLocal: boolean;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  /** hints.forZones, sorted; empty without hints. */
  zoneHints: string[];
  nodeName?: string;
  zone?: string;
}

/** The Service (`ns/name`) a slice belongs to, from its kubernetes.io/service-name label. */
export function sliceServiceKey(obj: KObject): string | undefined {
  const svc = obj.metadata.labels?.[SERVICE_NAME_LABEL];
  return svc ? `${obj.metadata.namespace ?? 'default'}/${svc}` : undefined;
}

/**
 * The endpoints of every port the slices of one Service name, keyed by servicePortKey. Ports
 * without a name, number or protocol are skipped, as are endpoints without addresses and
 * non-IPv4 slices; a duplicate `ip:port` is replaced only by a local one.
 */
export function endpointsFromSlices(namespace: string, service: string, slices: KObject[], nodeName: string): Map<string, EndpointInfo[]> {
  const byPort = new Map<string, Map<string, EndpointInfo>>();
  const sorted = [...slices].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  for (const obj of sorted) {
    const slice = obj as unknown as EndpointSlice;
    if (slice.addressType !== 'IPv4') continue;
    for (const port of slice.ports ?? []) {
      if (port.name === undefined || port.port === undefined || port.protocol === undefined) continue;
      const spn: ServicePortName = { namespace, name: service, port: port.name, protocol: port.protocol as Protocol };
      const key = servicePortKey(spn);
      let set = byPort.get(key);
      if (!set) byPort.set(key, (set = new Map()));
      for (const ep of slice.endpoints ?? []) {
        const ip = ep.addresses?.[0];
        if (!ip || !isIPv4(ip)) continue;
        const info: EndpointInfo = {
          ip,
          port: port.port,
          endpoint: joinHostPort(ip, port.port),
          isLocal: ep.nodeName !== undefined && ep.nodeName === nodeName,
          ready: ep.conditions?.ready ?? true,
          serving: ep.conditions?.serving ?? true,
          terminating: ep.conditions?.terminating ?? false,
          zoneHints: (ep.hints?.forZones ?? []).map((z) => z.name).sort(),
          ...(ep.nodeName !== undefined ? { nodeName: ep.nodeName } : {}),
          ...(ep.zone !== undefined ? { zone: ep.zone } : {}),
        };
        // isLocal should not differ between copies; if it does, the local one wins.
        if (!set.has(info.endpoint) || info.isLocal) set.set(info.endpoint, info);
      }
    }
  }
  const out = new Map<string, EndpointInfo[]>();
  for (const [key, set] of byPort) {
    // Go's sort of the strings: byte order, so 10.0.0.10:80 sorts before 10.0.0.9:80.
    out.set(key, [...set.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0)));
  }
  return out;
}
