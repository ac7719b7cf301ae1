// The shared snapshot the proxiers read: service ports from Services, endpoints from
// EndpointSlices, upstream's endpoint categorisation, and what each update reports as changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../api/object.ts';
import { endpointsFromSlices } from './endpoints.ts';
import { servicePortsOf } from './serviceport.ts';
import { ProxyState } from './state.ts';
import { makeService, makeSlice, simpleSlice, TEST_NODE } from './testkit.ts';
import { categorizeEndpoints } from './topology.ts';

const svc = (mutate: Parameters<typeof makeService>[2] = () => {}): KObject =>
  makeService('ns', 'web', (s) => { s.spec!.clusterIP = '10.96.0.5'; s.spec!.ports = [{ name: 'http', port: 80, protocol: 'TCP' }]; mutate(s); });

test('service ports: cluster IP by family, VIP-mode LB IPs, trimmed source ranges, affinity timeout, policies', () => {
  const [p] = servicePortsOf(svc((s) => {
    s.spec!.type = 'LoadBalancer';
    s.spec!.ipFamilies = ['IPv6', 'IPv4'];
    s.spec!.clusterIPs = ['fd00::5', '10.96.0.5'];
    s.spec!.externalIPs = ['192.168.99.1', 'fd00::99'];
    s.spec!.externalTrafficPolicy = 'Local';
    s.spec!.healthCheckNodePort = 31000;
    s.spec!.loadBalancerSourceRanges = [' 203.0.113.0/25 ', 'fd00::/64'];
    s.spec!.sessionAffinity = 'ClientIP';
    s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }, { ip: '5.6.7.8', ipMode: 'Proxy' }, { hostname: 'lb.example' }] } };
  }));
  assert.equal(p.clusterIP, '10.96.0.5');
  assert.deepEqual(p.externalIPs, ['192.168.99.1']);
  assert.deepEqual(p.loadBalancerVIPs, ['1.2.3.4']);
  assert.deepEqual(p.loadBalancerSourceRanges, ['203.0.113.0/25']);
  assert.equal(p.stickyMaxAgeSeconds, 10800);
  assert.equal(p.externalPolicyLocal, true);
  assert.equal(p.healthCheckNodePort, 31000);
  assert.equal(p.nameString, 'ns/web:http');
});

test('ETP Local counts only for externally accessible Services; health check ports only for LoadBalancers', () => {
  const [clusterIP] = servicePortsOf(svc((s) => { s.spec!.externalTrafficPolicy = 'Local'; s.spec!.healthCheckNodePort = 31000; }));
  assert.equal(clusterIP.externalPolicyLocal, false);
  assert.equal(clusterIP.healthCheckNodePort, 0);
  const [nodePort] = servicePortsOf(svc((s) => { s.spec!.type = 'NodePort'; s.spec!.externalTrafficPolicy = 'Local'; s.spec!.healthCheckNodePort = 31000; }));
  assert.equal(nodePort.externalPolicyLocal, true);
  assert.equal(nodePort.healthCheckNodePort, 0);
  assert.deepEqual(servicePortsOf(svc((s) => { s.spec!.clusterIP = 'None'; })), []);
  assert.deepEqual(servicePortsOf(svc((s) => { s.spec!.ipFamilies = ['IPv6']; s.spec!.clusterIPs = ['fd00::5']; })), []);
});

test('endpoints: merged across slices (local copy wins), sorted as strings, conditions defaulted as upstream', () => {
  const eps = endpointsFromSlices('ns', 'web', [
    makeSlice('ns', 'web', 2, (s) => {
      s.endpoints = [{ addresses: ['10.0.0.10'], nodeName: TEST_NODE, conditions: { ready: false, serving: true, terminating: true } }, { addresses: [] }];
      s.ports = [{ name: 'http', port: 80, protocol: 'TCP' }];
    }),
    makeSlice('ns', 'web', 1, (s) => {
      s.endpoints = [{ addresses: ['10.0.0.9'], zone: 'a', hints: { forZones: [{ name: 'a' }] } }, { addresses: ['10.0.0.10'], nodeName: 'other' }];
      s.ports = [{ name: 'http', port: 80, protocol: 'TCP' }];
    }),
    makeSlice('ns', 'web', 3, (s) => { s.addressType = 'IPv6'; s.endpoints = [{ addresses: ['fd00::1'] }]; s.ports = [{ name: 'http', port: 80, protocol: 'TCP' }]; }),
  ], TEST_NODE).get('ns/web:http/TCP')!;
  assert.deepEqual(eps.map((e) => [e.endpoint, e.isLocal, e.ready, e.serving, e.terminating]), [
    ['10.0.0.10:80', true, false, true, true],
    ['10.0.0.9:80', false, true, true, false],
  ]);
  assert.deepEqual(eps[1].zoneHints, ['a']);
});

const ep = (endpoint: string, o: { local?: boolean; ready?: boolean; serving?: boolean; terminating?: boolean; zones?: string[] } = {}) => ({
  ip: endpoint.split(':')[0], port: 80, endpoint, isLocal: o.local ?? false, ready: o.ready ?? true, serving: o.serving ?? true, terminating: o.terminating ?? false, zoneHints: o.zones ?? [],
});

test('CategorizeEndpoints: Local policy falls back to local serving-terminating endpoints; the union covers both lists', () => {
  const [p] = servicePortsOf(svc((s) => { s.spec!.type = 'NodePort'; s.spec!.externalTrafficPolicy = 'Local'; s.spec!.ports![0].nodePort = 30080; }));
  const c = categorizeEndpoints([ep('10.0.0.1:80'), ep('10.0.0.2:80', { local: true, ready: false, terminating: true })], p);
  assert.deepEqual(c.cluster.map((e) => e.endpoint), ['10.0.0.1:80']);
  assert.deepEqual(c.local.map((e) => e.endpoint), ['10.0.0.2:80']);
  assert.deepEqual(c.allReachable.map((e) => e.endpoint), ['10.0.0.1:80', '10.0.0.2:80']);
  assert.equal(c.hasAny, true);
});

test('CategorizeEndpoints: zone hints restrict the cluster list only when every ready endpoint has one and this zone is hinted', () => {
  const [p] = servicePortsOf(svc());
  const eps = [ep('10.0.0.1:80', { zones: ['a'] }), ep('10.0.0.2:80', { zones: ['b'] })];
  assert.deepEqual(categorizeEndpoints(eps, p, 'a').cluster.map((e) => e.endpoint), ['10.0.0.1:80']);
  assert.equal(categorizeEndpoints(eps, p, 'c').cluster.length, 2);
  assert.equal(categorizeEndpoints(eps, p).cluster.length, 2);
  assert.equal(categorizeEndpoints([eps[0], ep('10.0.0.3:80')], p, 'a').cluster.length, 2);
});

test('update() reports only Services whose ports or endpoints really changed', () => {
  const st = new ProxyState(TEST_NODE);
  st.setService('ns/web', svc());
  st.setSlice(simpleSlice('ns', 'web', { name: 'http', port: 80 }, ['10.0.0.1']), false);
  assert.deepEqual([...st.update().updatedServices], ['ns/web']);
  // The same objects again (a resync): nothing changed.
  st.setService('ns/web', svc((s) => { s.metadata!.resourceVersion = '9'; }));
  st.setSlice(simpleSlice('ns', 'web', { name: 'http', port: 80 }, ['10.0.0.1']), false);
  assert.equal(st.update().updatedServices.size, 0);
  st.setSlice(simpleSlice('ns', 'web', { name: 'http', port: 80 }, ['10.0.0.2']), false);
  assert.deepEqual([...st.update().updatedServices], ['ns/web']);
  assert.deepEqual(st.endpointsOf(st.servicePorts()[0]).map((e) => e.endpoint), ['10.0.0.2:80']);
});

test('objects other proxies own (service-proxy-name) are ignored, like kube-proxy\'s informer selector', () => {
  const st = new ProxyState(TEST_NODE);
  st.setService('ns/web', svc((s) => { s.metadata!.labels = { 'service.kubernetes.io/service-proxy-name': 'other' }; }));
  st.update();
  assert.deepEqual(st.servicePorts(), []);
});
