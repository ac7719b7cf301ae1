/**
 * dig, nslookup and the resolver against the cluster DNS server in the sim: the server serves
 * the fixture's records in namespace b (10.0.0.2), the tools run in namespace a (10.0.0.1).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startCoreDns } from '../../k8s/dns/coredns.ts';
import { clusterFixture, fixtureRecords } from '../../k8s/dns/testing/fixture.ts';
import { startHttpEcho } from '../../programs/http-echo.ts';
import { lab, type Lab } from '../net/testing.ts';

const RESOLV = 'nameserver 10.0.0.2\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n';

function dnsLab(): Lab {
  const l = lab();
  const f = clusterFixture();
  // A service whose cluster IP is b's own address, so traffic to it needs no kube-proxy.
  f.objects.push({ kind: 'Service', metadata: { namespace: 'default', name: 'web-echo' }, spec: { clusterIP: '10.0.0.2', ports: [{ name: 'http', port: 5678, protocol: 'TCP' }] } });
  startCoreDns(l.b, fixtureRecords(f));
  l.host.fs.write('/etc/resolv.conf', RESOLV);
  return l;
}

/** What changes from run to run in a real dig: the id and the cookie. */
const normal = (s: string): string => s.replace(/id: \d+/, 'id: N').replace(/COOKIE: [0-9a-f]+/, 'COOKIE: C');

test('dig @server NAME prints 9.18 layout: banner, header, OPT with the echoed cookie, sections, stats', async () => {
  const l = dnsLab();
  const r = await l.sh('ip netns exec a dig @10.0.0.2 kubernetes.default.svc.cluster.local');
  assert.equal(r.status, 0);
  assert.equal(
    normal(r.out),
    `
; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> @10.0.0.2 kubernetes.default.svc.cluster.local
; (1 server found)
;; global options: +cmd
;; Got answer:
;; WARNING: .local is reserved for Multicast DNS
;; You are currently testing what happens when an mDNS query is leaked to DNS
;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: N
;; flags: qr aa rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1

;; OPT PSEUDOSECTION:
; EDNS: version: 0, flags:; udp: 1232
; COOKIE: C (echoed)
;; QUESTION SECTION:
;kubernetes.default.svc.cluster.local. IN A

;; ANSWER SECTION:
kubernetes.default.svc.cluster.local. 30 IN A\t10.96.0.1

;; Query time: 0 msec
;; SERVER: 10.0.0.2#53(10.0.0.2) (UDP)
;; WHEN: Mon Jan 01 00:00:00 UTC 2024
;; MSG SIZE  rcvd: 129

`,
  );
});

test('dig over TCP, +short, +noall +answer, -x, and NXDOMAIN with the SOA and the recursion warning', async () => {
  const l = dnsLab();
  const tcp = await l.sh('ip netns exec a dig @10.0.0.2 +tcp kube-dns.kube-system.svc.cluster.local');
  assert.match(tcp.out, /;; SERVER: 10\.0\.0\.2#53\(10\.0\.0\.2\) \(TCP\)\n/);
  assert.match(tcp.out, /kube-dns\.kube-system\.svc\.cluster\.local\.\t30 IN A\t10\.96\.0\.10\n/);
  assert.equal((await l.sh('ip netns exec a dig +short web.default.svc.cluster.local')).out, '10.244.1.10\n10.244.2.11\n');
  assert.equal((await l.sh('ip netns exec a dig +noall +answer alias.default.svc.cluster.local')).out, 'alias.default.svc.cluster.local. 30 IN\tCNAME\techo-service.default.svc.cluster.local.\necho-service.default.svc.cluster.local.\t30 IN A\t10.96.100.10\n');
  assert.equal((await l.sh('ip netns exec a dig +short -x 10.96.0.10')).out, 'kube-dns.kube-system.svc.cluster.local.\n');
  const nx = await l.sh('ip netns exec a dig nope.default.svc.cluster.local');
  assert.match(nx.out, /status: NXDOMAIN/);
  assert.match(nx.out, /;; flags: qr aa rd; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 1\n;; WARNING: recursion requested but not available\n/);
  assert.match(nx.out, /;; AUTHORITY SECTION:\ncluster\.local\.\t\t30\tIN\tSOA\tns\.dns\.cluster\.local\. hostmaster\.cluster\.local\. 1704067200 7200 1800 86400 30\n/);
  const sf = await l.sh('ip netns exec a dig example.org');
  assert.match(sf.out, /status: SERVFAIL/);
  assert.match(sf.out, /;; flags: qr rd; /);
});

test('dig +search expands with the resolv.conf search list; without it the bare name is asked', async () => {
  const l = dnsLab();
  assert.equal((await l.sh('ip netns exec a dig +short +search echo-service')).out, '10.96.100.10\n');
  assert.match((await l.sh('ip netns exec a dig echo-service')).out, /status: SERVFAIL/);
});

test('dig with nothing answering: a timed-out line per try, no servers could be reached, exit 9 after 3 x 5s', async () => {
  const l = dnsLab();
  await l.sh('ip netns exec b iptables -A INPUT -p udp --dport 53 -j DROP');
  const r = await l.sh('ip netns exec a dig @10.0.0.2 x.y');
  assert.equal(r.status, 9);
  assert.equal(r.ms, 15000);
  assert.equal(
    r.out,
    `${';; communications error to 10.0.0.2#53: timed out\n'.repeat(3)}
; <<>> DiG 9.18.49-1~deb12u3-Debian <<>> @10.0.0.2 x.y
; (1 server found)
;; global options: +cmd
;; no servers could be reached
`,
  );
});

test('nslookup: search expansion, a headless service, a CNAME, a reverse lookup and NXDOMAIN (exit 1)', async () => {
  const l = dnsLab();
  const hdr = 'Server:\t\t10.0.0.2\nAddress:\t10.0.0.2#53\n\n';
  assert.deepEqual(await l.sh('ip netns exec a nslookup echo-service').then((r) => [r.status, r.out]), [0, `${hdr}Name:\techo-service.default.svc.cluster.local\nAddress: 10.96.100.10\n\n`]);
  assert.equal((await l.sh('ip netns exec a nslookup web')).out, `${hdr}Name:\tweb.default.svc.cluster.local\nAddress: 10.244.1.10\nName:\tweb.default.svc.cluster.local\nAddress: 10.244.2.11\n\n`);
  assert.equal((await l.sh('ip netns exec a nslookup alias.default.svc.cluster.local')).out, `${hdr}alias.default.svc.cluster.local\tcanonical name = echo-service.default.svc.cluster.local.\nName:\techo-service.default.svc.cluster.local\nAddress: 10.96.100.10\n\n`);
  assert.equal((await l.sh('ip netns exec a nslookup 10.96.0.10')).out, '10.0.96.10.in-addr.arpa\tname = kube-dns.kube-system.svc.cluster.local.\n\n');
  const nx = await l.sh('ip netns exec a nslookup nope.default.svc.cluster.local');
  assert.deepEqual([nx.status, nx.out], [1, `${hdr}** server can't find nope.default.svc.cluster.local: NXDOMAIN\n\n`]);
});

test('getaddrinfo through DNS: curl reaches a service by its short name via the search list', async () => {
  const l = dnsLab();
  startHttpEcho(l.b, ['-listen=:5678', '-text=hello']);
  const r = await l.sh('ip netns exec a curl -s http://web-echo:5678/');
  assert.deepEqual([r.status, r.out], [0, 'hello\n']);
  const nx = await l.sh('ip netns exec a curl http://nosuch/');
  assert.deepEqual([nx.status, nx.err], [6, 'curl: (6) Could not resolve host: nosuch\n']);
  // The bare name leaves the cluster zone: with no upstream the server answers SERVFAIL, which getaddrinfo reports as EAI_AGAIN.
  const ping = await l.sh('ip netns exec a ping -c 1 nosuch');
  assert.deepEqual([ping.status, ping.err], [2, 'ping: nosuch: Temporary failure in name resolution\n']);
  const dotted = await l.sh('ip netns exec a ping -c 1 nosuch.default.svc.cluster.local.');
  assert.deepEqual([dotted.status, dotted.err], [2, 'ping: nosuch.default.svc.cluster.local.: Name or service not known\n']);
  const nc = await l.sh('ip netns exec a nc -z web-echo 5678');
  assert.equal(nc.status, 0);
});

test('ndots: a name with enough dots is asked as is first; a trailing dot asks only the name itself', async () => {
  const l = dnsLab();
  startHttpEcho(l.b, ['-listen=:5678', '-text=hello']);
  l.host.fs.write('/etc/resolv.conf', 'nameserver 10.0.0.2\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:1\n');
  // ndots:1 and one dot: "web-echo.default" is asked first (SERVFAIL upstream), then the search list finds it.
  const r = await l.sh('ip netns exec a nc -z web-echo.default.svc.cluster.local. 5678');
  assert.equal(r.status, 0);
  const viaSearch = await l.sh('ip netns exec a nc -z web-echo.default 5678');
  assert.equal(viaSearch.status, 0);
});
