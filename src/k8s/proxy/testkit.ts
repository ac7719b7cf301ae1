/**
 * Test builders shared by the proxiers' tests: Services and EndpointSlices as plain API JSON,
 * shaped like upstream's makeTestService / makeTestEndpointSlice (the fake node is `test-node`).
 */
import type { Service } from 'kubernetes-types/core/v1.d.ts';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.d.ts';
import type { KObject, Mutable } from '../api/object.ts';
import { SERVICE_NAME_LABEL } from './endpoints.ts';

export type ServiceJSON = Mutable<Service>;
export type SliceJSON = Mutable<EndpointSlice>;

export const TEST_NODE = 'test-node';

export function makeService(namespace: string, name: string, mutate: (svc: ServiceJSON) => void): KObject {
  const svc: ServiceJSON = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace, name },
    spec: { type: 'ClusterIP', sessionAffinity: 'None', ports: [] },
    status: {},
  };
  mutate(svc);
  return svc as unknown as KObject;
}

/** A slice named `<svc>-<n>`, labelled for its Service. */
export function makeSlice(namespace: string, service: string, n: number, mutate: (slice: SliceJSON) => void): KObject {
  const slice: SliceJSON = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace, name: `${service}-${n}`, labels: { [SERVICE_NAME_LABEL]: service } },
    addressType: 'IPv4',
    endpoints: [],
    ports: [],
  };
  mutate(slice);
  return slice as unknown as KObject;
}

/** The common case: one port, endpoints given as IPs (optionally `ip@node`). */
export function simpleSlice(namespace: string, service: string, port: { name: string; port: number; protocol?: string }, endpoints: string[]): KObject {
  return makeSlice(namespace, service, 1, (s) => {
    s.endpoints = endpoints.map((e) => {
      const [ip, node] = e.split('@');
      return { addresses: [ip], ...(node ? { nodeName: node } : {}) };
    });
    s.ports = [{ name: port.name, port: port.port, protocol: port.protocol ?? 'TCP' }];
  });
}
