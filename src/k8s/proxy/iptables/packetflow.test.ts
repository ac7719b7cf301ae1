// Where packets go through the rules the proxier loaded into a simulated node: upstream's
// runPacketFlowTests cases (research notes §2.4), run by podlab's own netfilter. A packet from
// the node enters through OUTPUT, any other through PREROUTING then INPUT or FORWARD; output is
// every endpoint the statistic rules can pick, or the kube-proxy filter verdict, or ''.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../api/object.ts';
import { makeService, makeSlice, simpleSlice, TEST_NODE, type ServiceJSON } from '../testkit.ts';
import type { ProxierConfig } from '../types.ts';
import { overallObjects } from './fixtures.ts';
import { testNode, traceFlow, UPSTREAM_TEST, type FlowCase, type TestNode } from './testkit.ts';

interface Case extends FlowCase {
  name: string;
  output: string;
  masq?: boolean;
}

async function loaded(objects: KObject[], config: Partial<ProxierConfig> = {}, setup?: (t: TestNode) => Promise<void>): Promise<TestNode> {
  const t = testNode(objects, config, UPSTREAM_TEST);
  await setup?.(t);
  assert.ok(await t.proxier.sync(), 'rules loaded');
  return t;
}

function runCases(group: string, make: () => Promise<TestNode>, cases: Case[]): void {
  for (const c of cases) {
    test(`${group}: ${c.name}`, async () => {
      const t = await make();
      const r = traceFlow(t, c);
      assert.equal(r.output, c.output, `output; chains ${r.chains.join(' > ')}`);
      if (c.masq !== undefined) assert.equal(r.masq, c.masq, `masquerade; chains ${r.chains.join(' > ')}`);
    });
  }
}

const service = (name: string, ip: string, mutate: (s: ServiceJSON) => void = () => {}): KObject =>
  makeService('ns1', name, (s) => {
    s.spec!.clusterIP = ip;
    s.spec!.ports = [{ name: 'p80', port: 80, protocol: 'TCP' }];
    mutate(s);
  });
const P80 = { name: 'p80', port: 80 };

runCases('ClusterIP', () => loaded([service('svc1', '172.30.0.41'), simpleSlice('ns1', 'svc1', P80, ['10.180.0.1'])]), [
  { name: 'a pod reaches the endpoint unmasqueraded', src: '10.180.0.2', dst: '172.30.0.41', dport: 80, output: '10.180.0.1:80', masq: false },
  { name: 'hairpin: the endpoint itself is masqueraded', src: '10.180.0.1', dst: '172.30.0.41', dport: 80, output: '10.180.0.1:80', masq: true },
]);

runCases('target ports and protocols', () => loaded([
  makeService('ns2', 'svc2', (s) => {
    s.spec!.clusterIP = '172.30.0.42';
    s.spec!.ports = [
      { name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 },
      { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 5353 },
      { name: 'dns-udp', port: 53, protocol: 'UDP' },
      { name: 'dns-sctp', port: 53, protocol: 'SCTP' },
      { name: 'http', port: 80, protocol: 'TCP' },
    ];
  }),
  makeSlice('ns2', 'svc2', 1, (s) => {
    s.endpoints = [{ addresses: ['10.180.0.1'] }, { addresses: ['10.180.2.1'] }];
    s.ports = [
      { name: 'https', port: 8443, protocol: 'TCP' }, { name: 'dns-tcp', port: 5353, protocol: 'TCP' },
      { name: 'dns-udp', port: 53, protocol: 'UDP' }, { name: 'dns-sctp', port: 53, protocol: 'SCTP' }, { name: 'http', port: 80, protocol: 'TCP' },
    ];
  }),
]), [
  { name: 'the target port is the endpoint port', src: '10.180.0.2', dst: '172.30.0.42', dport: 443, output: '10.180.0.1:8443, 10.180.2.1:8443', masq: false },
  { name: 'UDP on a port with TCP, UDP and SCTP goes to the UDP endpoints', src: '10.180.0.2', dst: '172.30.0.42', dport: 53, proto: 'udp', output: '10.180.0.1:53, 10.180.2.1:53', masq: false },
  { name: 'SCTP too', src: '10.180.0.2', dst: '172.30.0.42', dport: 53, proto: 'sctp', output: '10.180.0.1:53, 10.180.2.1:53', masq: false },
  { name: 'UDP to a TCP-only port matches nothing', src: '10.180.0.2', dst: '172.30.0.42', dport: 80, proto: 'udp', output: '' },
]);

const loadBalancer = (): Promise<TestNode> => loaded([
  service('svc1', '172.30.0.41', (s) => {
    s.spec!.type = 'LoadBalancer';
    s.spec!.ports![0].nodePort = 3001;
    s.spec!.loadBalancerSourceRanges = ['192.168.0.0/24', '203.0.113.0/25'];
    s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }, { ip: '5.6.7.8' }] } };
  }),
  simpleSlice('ns1', 'svc1', P80, ['10.180.0.1']),
]);

runCases('LoadBalancer with source ranges', loadBalancer, [
  { name: 'an allowed client to the NodePort is masqueraded', src: '203.0.113.2', dst: '192.168.0.2', dport: 3001, output: '10.180.0.1:80', masq: true },
  { name: 'NodePorts ignore source ranges', src: '203.0.113.130', dst: '192.168.0.2', dport: 3001, output: '10.180.0.1:80', masq: true },
  { name: 'an allowed client to the LB IP', src: '203.0.113.2', dst: '1.2.3.4', dport: 80, output: '10.180.0.1:80', masq: true },
  { name: 'a blocked client to the LB IP is dropped', src: '203.0.113.130', dst: '1.2.3.4', dport: 80, output: 'DROP', masq: false },
  { name: 'a pod outside every range is dropped', src: '10.0.0.2', dst: '5.6.7.8', dport: 80, output: 'DROP', masq: false },
  { name: 'the node, inside a range, is accepted', src: '192.168.0.2', dst: '1.2.3.4', dport: 80, output: '10.180.0.1:80', masq: true },
  { name: 'the node looping back with the LB IP as source is accepted', src: '1.2.3.4', dst: '1.2.3.4', dport: 80, output: '10.180.0.1:80', masq: true },
]);

const twoEndpoints = (etp: 'Local' | 'Cluster'): Promise<TestNode> => loaded([
  service('svc1', '172.30.0.41', (s) => {
    s.spec!.type = 'LoadBalancer';
    s.spec!.externalTrafficPolicy = etp;
    s.spec!.externalIPs = ['192.168.99.11'];
    s.spec!.ports![0].nodePort = 3001;
    s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } };
  }),
  simpleSlice('ns1', 'svc1', P80, ['10.180.0.1@host2', `10.180.2.1@${TEST_NODE}`]),
]);

runCases('externalTrafficPolicy Local', () => twoEndpoints('Local'), [
  { name: 'a pod to the (local) external IP reaches all endpoints, unmasqueraded', src: '10.0.0.2', dst: '192.168.99.11', dport: 80, output: '10.180.0.1:80, 10.180.2.1:80', masq: false },
  { name: 'an external client to the LB IP reaches only the local endpoint, source kept', src: '203.0.113.2', dst: '1.2.3.4', dport: 80, output: '10.180.2.1:80', masq: false },
  { name: 'an external client to the NodePort reaches only the local endpoint, source kept', src: '203.0.113.2', dst: '192.168.0.2', dport: 3001, output: '10.180.2.1:80', masq: false },
]);

runCases('externalTrafficPolicy Cluster', () => twoEndpoints('Cluster'), [
  { name: 'a pod to the LB IP reaches all endpoints, masqueraded', src: '10.0.0.2', dst: '1.2.3.4', dport: 80, output: '10.180.0.1:80, 10.180.2.1:80', masq: true },
  { name: 'a pod to the cluster IP reaches all endpoints, unmasqueraded', src: '10.0.0.2', dst: '172.30.0.41', dport: 80, output: '10.180.0.1:80, 10.180.2.1:80', masq: false },
]);

runCases('no endpoints', () => loaded([
  service('svc1', '172.30.0.41', (s) => {
    s.spec!.type = 'LoadBalancer';
    s.spec!.externalIPs = ['192.168.99.11'];
    s.spec!.ports![0].nodePort = 3001;
    s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } };
  }),
]), [
  { name: 'the cluster IP rejects', src: '10.0.0.2', dst: '172.30.0.41', dport: 80, output: 'REJECT' },
  { name: 'the NodePort rejects', src: '203.0.113.2', dst: '192.168.0.2', dport: 3001, output: 'REJECT' },
  { name: 'the LB IP rejects', src: '203.0.113.2', dst: '1.2.3.4', dport: 80, output: 'REJECT' },
  { name: 'the external IP rejects', src: '203.0.113.2', dst: '192.168.99.11', dport: 80, output: 'REJECT' },
]);

const itpLocal = (eps: string[]): KObject[] => [
  service('svc1', '172.30.1.1', (s) => { s.spec!.internalTrafficPolicy = 'Local'; }),
  ...(eps.length ? [simpleSlice('ns1', 'svc1', P80, eps)] : []),
];

runCases('internalTrafficPolicy Local', () => loaded(itpLocal([`10.0.1.1@${TEST_NODE}`, '10.0.1.2@host1', '10.0.1.3@host2'])), [
  { name: 'only the local endpoint is used', src: '10.0.0.2', dst: '172.30.1.1', dport: 80, output: '10.0.1.1:80', masq: false },
]);
runCases('internalTrafficPolicy Local, remote endpoints only', () => loaded(itpLocal(['10.0.1.2@host1', '10.0.1.3@host2'])), [
  { name: 'the cluster IP drops', src: '10.0.0.2', dst: '172.30.1.1', dport: 80, output: 'DROP' },
]);
runCases('internalTrafficPolicy Local, no endpoints at all', () => loaded(itpLocal([])), [
  { name: 'the cluster IP rejects', src: '10.0.0.2', dst: '172.30.1.1', dport: 80, output: 'REJECT' },
]);

runCases('TestTracePacket (overall fixture)', () => loaded(overallObjects()), [
  { name: 'the node to an ETP Local external IP without local endpoints is short-circuited and masqueraded', src: '192.168.0.2', dst: '192.168.99.22', dport: 80, output: '10.180.0.2:80', masq: true },
  { name: 'an external client to it is dropped', src: '203.0.113.2', dst: '192.168.99.22', dport: 80, output: 'DROP', masq: false },
  { name: 'the health check NodePort is accepted', src: '192.168.0.2', dst: '192.168.0.2', dport: 30000, output: 'ACCEPT', masq: false },
  { name: 'ClientIP affinity still reaches the one endpoint', src: '10.0.0.2', dst: '172.30.0.45', dport: 80, output: '10.180.0.3:80', masq: false },
  { name: 'a ClusterIP without endpoints rejects', src: '10.0.0.2', dst: '172.30.0.46', dport: 80, output: 'REJECT' },
]);

const nodePorts = (): KObject[] => [
  service('svc1', '172.30.0.41', (s) => { s.spec!.type = 'NodePort'; s.spec!.ports![0].nodePort = 3001; }),
  simpleSlice('ns1', 'svc1', P80, ['10.180.0.1', '10.180.2.1']),
];

runCases('NodePorts', () => loaded(nodePorts()), [
  { name: 'localhost NodePorts work and are masqueraded', src: '127.0.0.1', dst: '127.0.0.1', dport: 3001, output: '10.180.0.1:80, 10.180.2.1:80', masq: true },
  { name: 'a secondary node IP serves NodePorts too', src: '203.0.113.2', dst: '192.168.1.2', dport: 3001, output: '10.180.0.1:80, 10.180.2.1:80', masq: true },
]);
runCases('NodePorts with --nodeport-addresses 192.168.0.0/24,127.0.0.1/32 and localhost NodePorts off', () => loaded(nodePorts(),
  { nodePortAddresses: ['192.168.0.0/24', '127.0.0.1/32'], localhostNodePorts: false },
  async (t) => {
    await t.host.run(['ip', 'link', 'add', 'eth0', 'type', 'dummy']);
    await t.host.run(['ip', 'addr', 'add', '192.168.0.2/24', 'dev', 'eth0']);
    await t.host.run(['ip', 'addr', 'add', '192.168.1.2/24', 'dev', 'eth0']);
  }), [
  { name: 'the secondary node IP is ignored', src: '203.0.113.2', dst: '192.168.1.2', dport: 3001, output: '' },
  { name: 'localhost is ignored', src: '127.0.0.1', dst: '127.0.0.1', dport: 3001, output: '' },
  { name: 'the primary node IP works', src: '203.0.113.2', dst: '192.168.0.2', dport: 3001, output: '10.180.0.1:80, 10.180.2.1:80', masq: true },
]);

const masqueradeSetup = (): KObject[] => [
  service('svc1', '172.30.0.41', (s) => { s.spec!.type = 'LoadBalancer'; s.spec!.ports![0].nodePort = 3001; s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } }; }),
  simpleSlice('ns1', 'svc1', P80, [`10.180.0.1@${TEST_NODE}`, '10.180.1.1@remote']),
  service('svc2', '172.30.0.42', (s) => {
    s.spec!.type = 'LoadBalancer';
    s.spec!.externalTrafficPolicy = 'Local';
    s.spec!.healthCheckNodePort = 30002;
    s.spec!.ports![0].nodePort = 3002;
    s.status = { loadBalancer: { ingress: [{ ip: '5.6.7.8' }] } };
  }),
  simpleSlice('ns1', 'svc2', P80, [`10.180.0.2@${TEST_NODE}`, '10.180.1.2@remote']),
  service('svc3', '172.30.0.43', (s) => { s.spec!.type = 'NodePort'; s.spec!.internalTrafficPolicy = 'Local'; s.spec!.ports![0].nodePort = 3003; }),
  simpleSlice('ns1', 'svc3', P80, [`10.180.0.3@${TEST_NODE}`, '10.180.1.3@remote']),
];

runCases('TestInternalExternalMasquerade', () => loaded(masqueradeSetup()), [
  { name: 'the node to a cluster IP is masqueraded', src: '192.168.0.2', dst: '172.30.0.41', dport: 80, output: '10.180.0.1:80, 10.180.1.1:80', masq: true },
  { name: 'a pod to an ETP Local LB IP reaches every endpoint unmasqueraded', src: '10.0.0.2', dst: '5.6.7.8', dport: 80, output: '10.180.0.2:80, 10.180.1.2:80', masq: false },
  { name: 'localhost to an ETP Local NodePort reaches every endpoint, masqueraded', src: '127.0.0.1', dst: '127.0.0.1', dport: 3002, output: '10.180.0.2:80, 10.180.1.2:80', masq: true },
  { name: 'an ITP Local service\'s NodePort ignores ITP', src: '10.0.0.2', dst: '192.168.0.2', dport: 3003, output: '10.180.0.3:80, 10.180.1.3:80', masq: true },
]);
runCases('TestInternalExternalMasquerade with --masquerade-all', () => loaded(masqueradeSetup(), { masqueradeAll: true }), [
  { name: 'a pod to a cluster IP is masqueraded', src: '10.0.0.2', dst: '172.30.0.41', dport: 80, output: '10.180.0.1:80, 10.180.1.1:80', masq: true },
]);
runCases('TestInternalExternalMasquerade without a local detector', () => loaded(masqueradeSetup(), { clusterCIDR: undefined }), [
  { name: 'a pod to an ETP Local LB IP is not short-circuited: local endpoint only', src: '10.0.0.2', dst: '5.6.7.8', dport: 80, output: '10.180.0.2:80', masq: false },
]);
