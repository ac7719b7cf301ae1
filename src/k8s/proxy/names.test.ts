// Chain names: upstream's test expectations and every chain the seed labs print that can be
// paired with its Service and endpoint. The seeds ran v1.16 clusters, whose unnamed ports kept
// the colon (`default/echo-service:`); the same inputs in the current style hash differently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointChainName, hash16, isServiceChainName, joinHostPort, serviceChainNames, servicePortNameString, type ServicePortName } from './names.ts';

const spn = (namespace: string, name: string, port: string, protocol = 'TCP'): ServicePortName => ({ namespace, name, port, protocol });
const legacy = { legacyColon: true };

test('ServicePortName prints ns/name:port, and ns/name for an unnamed port', () => {
  assert.equal(servicePortNameString(spn('ns1', 'svc1', 'p80')), 'ns1/svc1:p80');
  assert.equal(servicePortNameString(spn('default', 'echo-service', '')), 'default/echo-service');
  assert.equal(servicePortNameString(spn('default', 'echo-service', ''), legacy), 'default/echo-service:');
});

test('KUBE-SVC, KUBE-SVL, KUBE-EXT and KUBE-FW share the hash of the name and lower-case protocol (upstream test values)', () => {
  assert.equal(serviceChainNames('ns1/svc1:p80', 'TCP').cluster, 'KUBE-SVC-XPGD46QRK7WJZT7O');
  const svc2 = serviceChainNames('ns2/svc2:p80', 'tcp');
  assert.deepEqual(svc2, {
    cluster: 'KUBE-SVC-GNZBNJ2PO5MGZ6GT', local: 'KUBE-SVL-GNZBNJ2PO5MGZ6GT', external: 'KUBE-EXT-GNZBNJ2PO5MGZ6GT', firewall: 'KUBE-FW-GNZBNJ2PO5MGZ6GT',
  });
  assert.equal(serviceChainNames('ns5/svc5:p80', 'tcp').firewall, 'KUBE-FW-NUKIZ6OKUXPJNT4C');
  assert.equal(endpointChainName('ns1/svc1:p80', 'tcp', '10.180.0.1:80'), 'KUBE-SEP-SXIVWICOYRO3J4NJ');
});

test('seed 000: default/echo-service and its three endpoints, as a v1.16 kind cluster names them', () => {
  const name = servicePortNameString(spn('default', 'echo-service', ''), legacy);
  assert.equal(serviceChainNames(name, 'tcp').cluster, 'KUBE-SVC-7VVRITHJKDZHDQAD');
  // The seed lists them in endpoint order, with 1/3 and 1/2 probabilities.
  assert.equal(endpointChainName(name, 'tcp', '10.244.1.2:5678'), 'KUBE-SEP-U2LTPJXAZEM2OQET');
  assert.equal(endpointChainName(name, 'tcp', '10.244.2.4:5678'), 'KUBE-SEP-AANMSM6QVJW3JS2Y');
  assert.equal(endpointChainName(name, 'tcp', '10.244.3.2:5678'), 'KUBE-SEP-NXPMRYPPF5OQRY2M');
});

test('the same unnamed port in the current style hashes without the colon', () => {
  const name = servicePortNameString(spn('default', 'echo-service', ''));
  assert.equal(serviceChainNames(name, 'tcp').cluster, `KUBE-SVC-${hash16('default/echo-servicetcp')}`);
  assert.notEqual(serviceChainNames(name, 'tcp').cluster, 'KUBE-SVC-7VVRITHJKDZHDQAD');
});

test('seeds 000-004: named ports of kubernetes and kube-dns are the same in every release', () => {
  for (const style of [{}, legacy]) {
    assert.equal(serviceChainNames(servicePortNameString(spn('default', 'kubernetes', 'https'), style), 'tcp').cluster, 'KUBE-SVC-NPX46M4PTMTKRN6Y');
    assert.equal(serviceChainNames(servicePortNameString(spn('kube-system', 'kube-dns', 'dns', 'UDP'), style), 'udp').cluster, 'KUBE-SVC-TCOU7JCQXEZGVUNU');
    assert.equal(serviceChainNames(servicePortNameString(spn('kube-system', 'kube-dns', 'dns-tcp'), style), 'tcp').cluster, 'KUBE-SVC-ERIFXISQEP7F7OF4');
  }
});

test('seed 004: kube-dns endpoints 10.200.0.27:53 on udp and tcp, and default/nginx (unnamed, v1.1x) at 10.200.1.18:80', () => {
  assert.equal(endpointChainName('kube-system/kube-dns:dns', 'udp', '10.200.0.27:53'), 'KUBE-SEP-LRUTK6XRXU43VLIG');
  assert.equal(endpointChainName('kube-system/kube-dns:dns-tcp', 'tcp', '10.200.0.27:53'), 'KUBE-SEP-32LPCMGYG6ODGN3H');
  const nginx = servicePortNameString(spn('default', 'nginx', ''), legacy);
  assert.equal(serviceChainNames(nginx, 'tcp').cluster, 'KUBE-SVC-4N57TFCL4MD7ZTDA');
  assert.equal(endpointChainName(nginx, 'tcp', '10.200.1.18:80'), 'KUBE-SEP-UGTFMET44DQG7H7H');
});

test('seed 001: minikube helloworld-service, kubernetes-dashboard and default-http-backend (unnamed ports)', () => {
  const hello = servicePortNameString(spn('default', 'helloworld-service', ''), legacy);
  assert.equal(serviceChainNames(hello, 'tcp').cluster, 'KUBE-SVC-YLBSDKPE6MPDDRVY');
  assert.equal(endpointChainName(hello, 'tcp', '172.17.0.6:3000'), 'KUBE-SEP-32ZXKBHCWGUC5KVE');
  assert.equal(serviceChainNames(servicePortNameString(spn('kube-system', 'kubernetes-dashboard', ''), legacy), 'tcp').cluster, 'KUBE-SVC-XGLOHA7QRQ3V22RZ');
  assert.equal(serviceChainNames(servicePortNameString(spn('kube-system', 'default-http-backend', ''), legacy), 'tcp').cluster, 'KUBE-SVC-2QFLXPI3464HMUTA');
});

test('stale-chain cleanup only ever touches per-service chains', () => {
  for (const c of ['KUBE-SVC-X', 'KUBE-SVL-X', 'KUBE-SEP-X', 'KUBE-FW-X', 'KUBE-EXT-X']) assert.ok(isServiceChainName(c), c);
  for (const c of ['KUBE-SERVICES', 'KUBE-MARK-MASQ', 'KUBE-NODEPORTS', 'KUBE-PROXY-CANARY', 'CNI-abc', 'KUBE-SVCX']) assert.ok(!isServiceChainName(c), c);
});

test('endpoints are written ip:port, IPv6 in brackets', () => {
  assert.equal(joinHostPort('10.0.0.1', 80), '10.0.0.1:80');
  assert.equal(joinHostPort('fd00::1', 80), '[fd00::1]:80');
});
