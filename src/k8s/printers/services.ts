/** The service-networking Tables: services, endpoints and endpointslices. */
import type { Endpoints, Service, ServicePort } from 'kubernetes-types/core/v1.d.ts';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.d.ts';
import type { KObject } from '../api/object.ts';
import { AGE_COLUMN, NAME_COLUMN, as, column, type Printer } from './columns.ts';
import { DOC } from './descriptions.ts';
import { translateTimestampSince } from './duration.ts';
import { formatLabels } from './labels.ts';

/** Load-balancer ingress IPs (or hostnames), each once. Upstream collects them in a set. */
function loadBalancerIngress(svc: Service): string {
  const seen = new Set<string>();
  for (const i of svc.status?.loadBalancer?.ingress ?? []) {
    if (i.ip) seen.add(i.ip);
    else if (i.hostname) seen.add(i.hostname);
  }
  return [...seen].join(',');
}

/** EXTERNAL-IP: externalIPs, load-balancer ingress (`<pending>` until there is one) or the external name. */
export function serviceExternalIP(svc: Service): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngress(svc);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return svc.spec.externalName ?? '';
  }
  return '<unknown>';
}

/** PORT(S): `80/TCP`, or `31001:31382/TCP` when a node port is allocated. */
export function servicePorts(ports: readonly ServicePort[] | undefined): string {
  return (ports ?? []).map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? ''}` : `${p.port}/${p.protocol ?? ''}`)).join(',');
}

export const servicePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Type', 'string', DOC.ServiceSpec.type),
    column('Cluster-IP', 'string', DOC.ServiceSpec.clusterIP),
    column('External-IP', 'string', DOC.ServiceSpec.externalIPs),
    column('Port(s)', 'string', DOC.ServiceSpec.ports),
    AGE_COLUMN,
    column('Selector', 'string', DOC.ServiceSpec.selector, { priority: 1 }),
  ],
  row(obj: KObject, now: number) {
    const svc = as<Service>(obj);
    return {
      cells: [
        svc.metadata?.name ?? '', svc.spec?.type ?? '', svc.spec?.clusterIPs?.[0] ?? '<none>', serviceExternalIP(svc),
        servicePorts(svc.spec?.ports) || '<none>', translateTimestampSince(svc.metadata?.creationTimestamp, now), formatLabels(svc.spec?.selector),
      ],
    };
  },
};

/** ENDPOINTS: `ip:port` for each address and port, at most three, then `+ N more...`; `<none>` without subsets. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addresses = ss.addresses ?? [];
    if ((ss.ports ?? []).length === 0) {
      // Headless services may have no ports: the bare addresses are listed.
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(a.ip);
      }
      continue;
    }
    for (const port of ss.ports ?? []) {
      count += addresses.length;
      for (const a of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(joinHostPort(a.ip, port.port));
      }
    }
  }
  const ret = list.join(',');
  return more ? `${ret} + ${count - max} more...` : ret;
}

/** net.JoinHostPort: IPv6 addresses get brackets. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export const endpointsPrinter: Printer = {
  columns: [NAME_COLUMN, column('Endpoints', 'string', DOC.Endpoints.subsets), AGE_COLUMN],
  row(obj: KObject, now: number) {
    const ep = as<Endpoints>(obj);
    return { cells: [ep.metadata?.name ?? '', formatEndpoints(ep), translateTimestampSince(ep.metadata?.creationTimestamp, now)] };
  },
};

function listWithMore(list: string[], more: boolean, count: number, max: number): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret === '' ? '<unset>' : ret;
}

export const endpointSlicePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('AddressType', 'string', DOC.EndpointSlice.addressType),
    column('Ports', 'string', DOC.EndpointSlice.ports),
    column('Endpoints', 'string', DOC.EndpointSlice.endpoints),
    AGE_COLUMN,
  ],
  row(obj: KObject, now: number) {
    const eps = as<EndpointSlice>(obj);
    const max = 3;
    const ports: string[] = [];
    let portCount = 0;
    let portsMore = false;
    for (const p of eps.ports ?? []) {
      if (ports.length < max) ports.push(p.port !== undefined ? String(p.port) : p.name !== undefined ? p.name : '*');
      else if (ports.length === max) portsMore = true;
      portCount++;
    }
    const addrs: string[] = [];
    let addrCount = 0;
    let addrsMore = false;
    for (const e of eps.endpoints ?? []) {
      for (const a of e.addresses ?? []) {
        if (addrs.length < max) addrs.push(a);
        else if (addrs.length === max) addrsMore = true;
        addrCount++;
      }
    }
    return {
      cells: [
        eps.metadata?.name ?? '', eps.addressType ?? '', listWithMore(ports, portsMore, portCount, max),
        listWithMore(addrs, addrsMore, addrCount, max), translateTimestampSince(eps.metadata?.creationTimestamp, now),
      ],
    };
  },
};
