// Unit tests of describe's building blocks, independent of a kubectl binary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.d.ts';
import { Quantity } from './quantity.ts';
import { printAnnotationsMultiline, printTolerationsMultiline, rfc1123z } from './format.ts';
import { formatEndpointSlices } from './service.ts';
import { describeEvents } from './events.ts';
import { describeProbe, podQOS } from './pod.ts';
import { tabbed } from './writer.ts';
import type { Pod } from 'kubernetes-types/core/v1.d.ts';

const q = (s: string): string => Quantity.parse(s)!.toString();

test('quantities print in canonical form: milli for fractions, binary suffixes when exact, the original text when already canonical', () => {
  assert.equal(q('0.5'), '500m');
  assert.equal(q('1000m'), '1');
  assert.equal(q('1500m'), '1500m');
  assert.equal(q('1024Mi'), '1Gi');
  assert.equal(q('128Mi'), '128Mi');
  assert.equal(q('16393364Ki'), '16393364Ki');
  assert.equal(q('102626232Ki'), '102626232Ki');
  assert.equal(q('2.5G'), '2500M');
  assert.equal(q('1e3'), '1e3');
  assert.equal(q('0'), '0');
  assert.equal(q('1.5Gi'), '1536Mi');
});

test('quantity sums keep the first operand\'s format and milli/unit values round up', () => {
  assert.equal(Quantity.parse('64Mi')!.add(Quantity.parse('32Mi')!).toString(), '96Mi');
  assert.equal(Quantity.parse('250m')!.add(Quantity.parse('100m')!).toString(), '350m');
  assert.equal(Quantity.parse('1500m')!.add(Quantity.parse('1')!).toString(), '2500m');
  assert.equal(Quantity.parse('1m')!.valueOf(), 1);
  assert.equal(Quantity.parse('2')!.milliValue(), 2000);
});

test('RFC1123Z timestamps use the local zone (UTC on the test machines)', { skip: new Date().getTimezoneOffset() !== 0 }, () => {
  assert.equal(rfc1123z('2020-03-07T00:41:34Z'), 'Sat, 07 Mar 2020 00:41:34 +0000');
  assert.equal(rfc1123z(undefined), 'Mon, 01 Jan 0001 00:00:00 +0000');
});

test('annotations are sorted, last-applied-configuration is hidden, long values are cut at 140 bytes on their own line', () => {
  const out = tabbed((w) => printAnnotationsMultiline(w, 'Annotations', {
    'kubectl.kubernetes.io/last-applied-configuration': '{}', b: 'x'.repeat(150), a: 'short',
  }));
  assert.equal(out, `Annotations:  a: short\n              b:\n                ${'x'.repeat(138)}...\n`);
});

test('tolerations: key=value:Effect, op=Exists and the toleration seconds', () => {
  const out = tabbed((w) => printTolerationsMultiline(w, 'Tolerations', [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { operator: 'Exists' },
    { key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' },
  ]));
  assert.equal(out, 'Tolerations:  op=Exists\n              dedicated=web:NoSchedule\n              node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n');
});

test('service Endpoints lines list ready addresses of the named port, three at most', () => {
  const slice = (ready: boolean[], ports: { name: string; port: number }[]): EndpointSlice => ({
    addressType: 'IPv4', metadata: {}, ports,
    endpoints: ready.map((r, i) => ({ addresses: [`10.0.0.${i + 1}`], conditions: { ready: r } })),
  });
  assert.equal(formatEndpointSlices([slice([true, false, true], [{ name: 'http', port: 80 }, { name: 'dns', port: 53 }])], 'http'), '10.0.0.1:80,10.0.0.3:80');
  assert.equal(formatEndpointSlices([slice([true, true, true, true, true], [{ name: '', port: 80 }])], ''), '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...');
  assert.equal(formatEndpointSlices([], ''), '<none>');
});

test('events print <none>, or a table sorted by last timestamp with repeat counts', () => {
  const now = Date.parse('2026-01-15T12:00:00Z');
  assert.equal(tabbed((w) => describeEvents([], w, now)), 'Events:  <none>\n');
  const ev = (reason: string, first: string, last: string, count: number): Record<string, unknown> => ({ metadata: { name: reason }, type: 'Normal', reason, message: `${reason} happened `, source: { component: 'kubelet' }, firstTimestamp: first, lastTimestamp: last, count });
  const out = tabbed((w) => describeEvents([ev('B', '2026-01-15T11:00:00Z', '2026-01-15T11:50:00Z', 3), ev('A', '2026-01-15T11:30:00Z', '2026-01-15T11:30:00Z', 1)] as never, w, now));
  assert.equal(out, 'Events:\n  Type    Reason  Age                From     Message\n  ----    ------  ----               ----     -------\n  Normal  A       30m                kubelet  A happened\n  Normal  B       10m (x3 over 60m)  kubelet  B happened\n');
});

test('probes read like kubectl: http-get URL, tcp-socket, exec argv and the timing attributes', () => {
  const t = { initialDelaySeconds: 5, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 };
  assert.equal(describeProbe({ httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, ...t }), 'http-get http://:8080/healthz delay=5s timeout=1s period=10s #success=1 #failure=3');
  assert.equal(describeProbe({ tcpSocket: { port: 'http' }, ...t }), 'tcp-socket :http delay=5s timeout=1s period=10s #success=1 #failure=3');
  assert.equal(describeProbe({ exec: { command: ['cat', '/tmp/ready'] }, ...t }), 'exec [cat /tmp/ready] delay=5s timeout=1s period=10s #success=1 #failure=3');
});

test('QoS class: BestEffort without resources, Guaranteed when limits equal requests, Burstable otherwise', () => {
  const podWith = (resources: Record<string, unknown>): Pod => ({ spec: { containers: [{ name: 'c', resources }] } });
  assert.equal(podQOS(podWith({})), 'BestEffort');
  assert.equal(podQOS(podWith({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1024Mi' } })), 'Guaranteed');
  assert.equal(podQOS(podWith({ requests: { cpu: '100m' } })), 'Burstable');
  assert.equal(podQOS({ ...podWith({}), status: { qosClass: 'Guaranteed' } }), 'Guaranteed');
});
