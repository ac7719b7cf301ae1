import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RecordType } from 'dns-packet';
import { KUBEADM_COREFILE, kubernetesConfig, parseCorefile } from './corefile.ts';
import { KubernetesPlugin } from './lookup.ts';
import { clusterFixture, fixturePlugin, fixtureRecords } from './testing/fixture.ts';

const plugin = fixturePlugin(clusterFixture());
const SERIAL = Date.UTC(2024, 0, 1) / 1000;

/** An answer as `name ttl type data` lines, or the rcode with the authority's SOA. */
function ask(name: string, type: RecordType = 'A', p = plugin): { rcode: string; answers: string[]; extra: string[]; authority: string[]; ra?: boolean } | 'next' {
  const r = p.serve(name, type);
  if (r.kind === 'next') return 'next';
  const fmt = (x: unknown): string => {
    const rr = x as { name: string; ttl: number; type: string; data: unknown };
    return `${rr.name} ${rr.ttl} ${rr.type} ${typeof rr.data === 'string' ? rr.data : JSON.stringify(rr.data)}`;
  };
  return { rcode: r.rcode, answers: r.answers.map(fmt), extra: r.additionals.map(fmt), authority: r.authorities.map(fmt), ra: r.recursionAvailable };
}

const SOA = `cluster.local 30 SOA {"mname":"ns.dns.cluster.local","rname":"hostmaster.cluster.local","serial":${SERIAL},"refresh":7200,"retry":1800,"expire":86400,"minimum":30}`;

test('a ClusterIP service answers its cluster IP with the Corefile TTL (30), authoritative with RA', () => {
  assert.deepEqual(ask('kubernetes.default.svc.cluster.local'), { rcode: 'NOERROR', answers: ['kubernetes.default.svc.cluster.local 30 A 10.96.0.1'], extra: [], authority: [], ra: true });
});

test('names match case-insensitively and answer with the name as asked', () => {
  const r = ask('Kubernetes.Default.SVC.cluster.local.');
  assert.notEqual(r, 'next');
  assert.deepEqual(r !== 'next' && r.answers, ['Kubernetes.Default.SVC.cluster.local 30 A 10.96.0.1']);
});

test('a missing service, namespace or malformed name in the zone is NXDOMAIN with the zone SOA and no RA', () => {
  for (const n of ['nope.default.svc.cluster.local', 'kubernetes.nope.svc.cluster.local', 'foo.cluster.local', 'a.b.c.d.default.svc.cluster.local']) {
    assert.deepEqual(ask(n), { rcode: 'NXDOMAIN', answers: [], extra: [], authority: [SOA], ra: false }, n);
  }
});

test('existing names with another type, the apex and a namespace are NOERROR/NODATA with the SOA', () => {
  for (const [n, t] of [['kubernetes.default.svc.cluster.local', 'AAAA'], ['kubernetes.default.svc.cluster.local', 'MX'], ['cluster.local', 'A'], ['default.svc.cluster.local', 'A'], ['svc.cluster.local', 'A']] as const) {
    assert.deepEqual(ask(n, t), { rcode: 'NOERROR', answers: [], extra: [], authority: [SOA], ra: false }, `${n} ${t}`);
  }
});

test('a headless service answers its ready endpoints only; without ready endpoints it is NXDOMAIN', () => {
  const r = ask('web.default.svc.cluster.local');
  assert.deepEqual(r !== 'next' && r.answers, ['web.default.svc.cluster.local 30 A 10.244.1.10', 'web.default.svc.cluster.local 30 A 10.244.2.11']);
  assert.equal((ask('empty-headless.default.svc.cluster.local') as { rcode: string }).rcode, 'NXDOMAIN');
});

test('endpoint names: the hostname of a headless endpoint, and the dashed IP of any endpoint', () => {
  assert.deepEqual((ask('web-1.web.default.svc.cluster.local') as { answers: string[] }).answers, ['web-1.web.default.svc.cluster.local 30 A 10.244.2.11']);
  assert.deepEqual((ask('10-244-1-5.echo-service.default.svc.cluster.local') as { answers: string[] }).answers, ['10-244-1-5.echo-service.default.svc.cluster.local 30 A 10.244.1.5']);
  assert.equal((ask('web-2.web.default.svc.cluster.local') as { rcode: string }).rcode, 'NXDOMAIN');
});

test('SRV: _port._proto names the port; a headless service lists each endpoint with weights 100/n and glue A records', () => {
  assert.deepEqual(ask('_https._tcp.kubernetes.default.svc.cluster.local', 'SRV'), {
    rcode: 'NOERROR',
    answers: ['_https._tcp.kubernetes.default.svc.cluster.local 30 SRV {"priority":0,"weight":100,"port":443,"target":"kubernetes.default.svc.cluster.local"}'],
    extra: ['kubernetes.default.svc.cluster.local 30 A 10.96.0.1'],
    authority: [],
    ra: true,
  });
  const web = ask('_http._tcp.web.default.svc.cluster.local', 'SRV') as { answers: string[]; extra: string[] };
  assert.deepEqual(web.answers, [
    '_http._tcp.web.default.svc.cluster.local 30 SRV {"priority":0,"weight":50,"port":80,"target":"web-0.web.default.svc.cluster.local"}',
    '_http._tcp.web.default.svc.cluster.local 30 SRV {"priority":0,"weight":50,"port":80,"target":"web-1.web.default.svc.cluster.local"}',
  ]);
  assert.deepEqual(web.extra, ['web-0.web.default.svc.cluster.local 30 A 10.244.1.10', 'web-1.web.default.svc.cluster.local 30 A 10.244.2.11']);
  // A service name alone lists every port (53/UDP and 53/TCP are one target and port); a port that does not exist is NXDOMAIN.
  assert.equal((ask('kube-dns.kube-system.svc.cluster.local', 'SRV') as { answers: string[] }).answers.length, 2);
  assert.equal((ask('_dns._udp.kube-dns.kube-system.svc.cluster.local', 'SRV') as { answers: string[] }).answers[0], '_dns._udp.kube-dns.kube-system.svc.cluster.local 30 SRV {"priority":0,"weight":100,"port":53,"target":"kube-dns.kube-system.svc.cluster.local"}');
  assert.equal((ask('_nope._tcp.kubernetes.default.svc.cluster.local', 'SRV') as { rcode: string }).rcode, 'NXDOMAIN');
});

test('PTR: a cluster IP names its service, an endpoint IP its hostname or dashed name; unknown addresses fall through (SERVFAIL upstream)', () => {
  assert.deepEqual((ask('10.0.96.10.in-addr.arpa', 'PTR') as { answers: string[] }).answers, ['10.0.96.10.in-addr.arpa 30 PTR kube-dns.kube-system.svc.cluster.local']);
  assert.deepEqual((ask('10.1.244.10.in-addr.arpa', 'PTR') as { answers: string[] }).answers, ['10.1.244.10.in-addr.arpa 30 PTR web-0.web.default.svc.cluster.local']);
  assert.deepEqual((ask('5.1.244.10.in-addr.arpa', 'PTR') as { answers: string[] }).answers, ['5.1.244.10.in-addr.arpa 30 PTR 10-244-1-5.echo-service.default.svc.cluster.local']);
  assert.equal(ask('9.9.9.10.in-addr.arpa', 'PTR'), 'next');
});

test('pods insecure: a dashed IP in an existing namespace is an A record; not in a missing namespace', () => {
  assert.deepEqual((ask('10-244-1-5.default.pod.cluster.local') as { answers: string[] }).answers, ['10-244-1-5.default.pod.cluster.local 30 A 10.244.1.5']);
  assert.equal((ask('10-244-1-5.nope.pod.cluster.local') as { rcode: string }).rcode, 'NXDOMAIN');
  assert.equal((ask('not-an-ip.default.pod.cluster.local') as { rcode: string }).rcode, 'NXDOMAIN');
});

test('pods verified answers only pods that exist with that IP; disabled answers none', () => {
  const f = clusterFixture();
  f.objects.push({ kind: 'Pod', metadata: { namespace: 'default', name: 'p' }, status: { podIP: '10.244.1.5' } });
  const cfg = kubernetesConfig(parseCorefile(KUBEADM_COREFILE)[0], [])!;
  const verified = new KubernetesPlugin(fixtureRecords(f), { ...cfg, podMode: 'verified' });
  assert.equal((ask('10-244-1-5.default.pod.cluster.local', 'A', verified) as { rcode: string }).rcode, 'NOERROR');
  assert.equal((ask('10-244-1-6.default.pod.cluster.local', 'A', verified) as { rcode: string }).rcode, 'NXDOMAIN');
  const disabled = new KubernetesPlugin(fixtureRecords(f), { ...cfg, podMode: 'disabled' });
  assert.equal((ask('10-244-1-5.default.pod.cluster.local', 'A', disabled) as { rcode: string }).rcode, 'NXDOMAIN');
});

test('ExternalName is a CNAME; a target inside the zone is followed, one outside is left to the (absent) upstream', () => {
  assert.deepEqual((ask('ext.default.svc.cluster.local') as { answers: string[] }).answers, ['ext.default.svc.cluster.local 30 CNAME example.com']);
  assert.deepEqual((ask('alias.default.svc.cluster.local') as { answers: string[] }).answers, [
    'alias.default.svc.cluster.local 30 CNAME echo-service.default.svc.cluster.local',
    'echo-service.default.svc.cluster.local 30 A 10.96.100.10',
  ]);
  assert.deepEqual((ask('ext.default.svc.cluster.local', 'CNAME') as { answers: string[] }).answers, ['ext.default.svc.cluster.local 30 CNAME example.com']);
});

test('names outside the zones go to the next plugin (the server answers SERVFAIL)', () => {
  assert.equal(ask('example.org'), 'next');
});

test('TXT dns-version is the schema version; NS at the apex names the kube-dns service with glue', () => {
  assert.deepEqual((ask('dns-version.cluster.local', 'TXT') as { answers: string[] }).answers, ['dns-version.cluster.local 28800 TXT 1.1.0']);
  assert.deepEqual(ask('cluster.local', 'NS'), {
    rcode: 'NOERROR',
    answers: ['cluster.local 30 NS kube-dns.kube-system.svc.cluster.local'],
    extra: ['kube-dns.kube-system.svc.cluster.local 30 A 10.96.0.10'],
    authority: [],
    ra: true,
  });
});

test('the plugin TTL defaults to 5 when the Corefile sets none; the SOA TTL is capped at 300', () => {
  const cfg = kubernetesConfig(parseCorefile('.:53 {\n  kubernetes cluster.local\n}\n')[0], [])!;
  assert.equal(cfg.ttl, 5);
  const p = new KubernetesPlugin(fixtureRecords(clusterFixture()), { ...cfg, ttl: 3600 });
  const r = p.serve('nope.default.svc.cluster.local', 'A');
  assert.equal(r.kind === 'answer' && (r.authorities[0] as { ttl?: number }).ttl, 300);
});
