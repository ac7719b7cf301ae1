/**
 * The real dig and nslookup (bind9-dnsutils 9.18) as the oracle: the cluster DNS server's answer
 * code serves the fixture on real sockets at 127.0.0.1:53 inside a throw-away namespace, the
 * real tools query it there, and podlab's tools query the same code on the simulated stack. The
 * outputs must match once what varies per run (id, cookie, query time, date) is normalised.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { realUnavailable, withNetns } from '../../../test/support/real.ts';
import { serveDns } from '../../k8s/dns/server.ts';
import { clusterFixture, fixturePlugin } from '../../k8s/dns/testing/fixture.ts';
import { lab } from '../net/testing.ts';

const COMMANDS = [
  'dig @127.0.0.1 kubernetes.default.svc.cluster.local',
  'dig @127.0.0.1 nope.default.svc.cluster.local',
  'dig @127.0.0.1 default.svc.cluster.local',
  'dig @127.0.0.1 web.default.svc.cluster.local',
  'dig @127.0.0.1 _http._tcp.web.default.svc.cluster.local SRV',
  'dig @127.0.0.1 -x 10.96.0.10',
  'dig @127.0.0.1 example.org',
  'dig @127.0.0.1 alias.default.svc.cluster.local',
  'dig @127.0.0.1 +tcp kube-dns.kube-system.svc.cluster.local',
  'dig @127.0.0.1 cluster.local NS',
  'dig @127.0.0.1 cluster.local SOA',
  'dig @127.0.0.1 dns-version.cluster.local TXT',
  'dig @127.0.0.1 +short web.default.svc.cluster.local',
  'dig @127.0.0.1 +noall +answer alias.default.svc.cluster.local',
  'nslookup kubernetes.default.svc.cluster.local 127.0.0.1',
  'nslookup nope.default.svc.cluster.local 127.0.0.1',
  'nslookup default.svc.cluster.local 127.0.0.1',
  'nslookup alias.default.svc.cluster.local 127.0.0.1',
  'nslookup web.default.svc.cluster.local 127.0.0.1',
  'nslookup 10.96.0.10 127.0.0.1',
  'nslookup example.org 127.0.0.1',
  'nslookup -type=SRV _http._tcp.web.default.svc.cluster.local 127.0.0.1',
  'nslookup -type=SOA cluster.local 127.0.0.1',
];

const RESOLV = 'nameserver 127.0.0.1\n';

const normal = (s: string): string =>
  s
    .replace(/id: \d+/g, 'id: N')
    .replace(/COOKIE: [0-9a-f]+/g, 'COOKIE: C')
    .replace(/Query time: \d+ msec/g, 'Query time: T msec')
    .replace(/WHEN: .*/g, 'WHEN: W');

function unavailable(): string | undefined {
  const why = realUnavailable();
  if (why) return why;
  if (spawnSync('dig', ['-v']).status !== 0) return 'dig is not installed (apt-get install bind9-dnsutils)';
  return undefined;
}

test('dig and nslookup print what the real bind9 9.18 tools print for the same answers', { skip: unavailable() }, async () => {
  const f = clusterFixture();
  const work = mkdtempSync(join(tmpdir(), 'podlab-dns-'));
  const fixtureFile = join(work, 'fixture.json');
  writeFileSync(fixtureFile, JSON.stringify(f));
  const repo = fileURLToPath(new URL('../../../', import.meta.url));
  const responder = fileURLToPath(new URL('../../k8s/dns/testing/real-responder.ts', import.meta.url));
  let real: { stdout: string; status: number }[];
  try {
    real = withNetns((ns) => {
      writeFileSync(join('/etc/netns', ns.name, 'resolv.conf'), RESOLV);
      const start = `ip link set lo up; cd ${repo} && (node --import tsx ${responder} ${fixtureFile} >${work}/ready 2>&1 & echo $! >${work}/pid) ; for i in $(seq 100); do grep -q ready ${work}/ready && break; sleep 0.1; done`;
      const out = ns.runMany([start, ...COMMANDS, `kill $(cat ${work}/pid)`]);
      return out.slice(1, -1);
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  const l = lab();
  l.host.fs.write('/etc/resolv.conf', RESOLV);
  serveDns(l.a, fixturePlugin(f));
  for (const [k, cmd] of COMMANDS.entries()) {
    const sim = await l.sh(`ip netns exec a ${cmd}`);
    assert.deepEqual([sim.status, normal(sim.out)], [real[k].status, normal(real[k].stdout)], cmd);
  }
});
