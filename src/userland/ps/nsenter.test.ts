// nsenter runs programs in a pod's network namespace (by process or by /run/netns name), lsns
// lists the namespaces the way util-linux lays them out, hostname reports the machine; and a
// shell on the node sees /proc and /sys through the namespace it runs in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runTool } from '../../../test/support/tools.ts';
import { Session } from '../../cli/session.ts';
import { SimHost } from '../../host/sim/host.ts';
import { nodeCommands } from '../registry.ts';

/** A node with one pod: its namespace mounted as cni-..., a pause process in it, a veth to cni0. */
function node(): { host: SimHost; pause: number; podInode: number } {
  const host = new SimHost({ seed: 2, clock: Date.UTC(2024, 0, 1, 8, 30), hostname: 'kind-worker' });
  const m = host.machine;
  m.spawn({ argv: ['/sbin/init'], netns: m.root });
  const pod = m.addNetns('cni-6f1c2c8b-0d1a-4b5e-9d0e-1c2b3a4d5e6f');
  const p = m.spawn({ argv: ['/pause'], netns: pod, ppid: 1 });
  m.spawn({ argv: ['/agnhost', 'netexec'], netns: pod, ppid: 1 });
  m.root.createLink({ name: 'veth1c91f45a', kind: 'veth', mac: '0a:00:00:00:01:01', peer: { name: 'eth0', ns: pod, mac: '0a:58:0a:f4:01:02' } });
  return { host, pause: p.pid, podInode: pod.inode };
}

const table = nodeCommands();

test('nsenter -t PID -n and --net=/run/netns/NAME run the program in the pod\'s namespace', async () => {
  const { host, pause } = node();
  const byPid = await runTool(host, table, `nsenter -t ${pause} -n ethtool -S eth0`);
  assert.equal(byPid.status, 0, byPid.stderr);
  assert.match(byPid.stdout, /^NIC statistics:\n {5}peer_ifindex: 2\n/);
  const all = await runTool(host, table, `nsenter -t ${pause} -m -u -i -n -p sysctl -n net.ipv4.conf.eth0.forwarding`);
  assert.deepEqual([all.stdout, all.status], ['0\n', 0]);
  const byName = await runTool(host, table, 'nsenter --net=/run/netns/cni-6f1c2c8b-0d1a-4b5e-9d0e-1c2b3a4d5e6f ethtool -i eth0');
  assert.match(byName.stdout, /^driver: veth\n/);
  const byProc = await runTool(host, table, `nsenter --net=/proc/${pause}/ns/net hostname`);
  assert.equal(byProc.stdout, 'kind-worker\n');
});

test('nsenter: the errors util-linux gives', async () => {
  const { host, pause } = node();
  const cases: [string, string, number][] = [
    ['nsenter -t 999 -n true', 'nsenter: cannot open /proc/999/ns/net: No such file or directory\n', 1],
    ['nsenter --net=/run/netns/nope ethtool lo', 'nsenter: cannot open /run/netns/nope: No such file or directory\n', 1],
    ['nsenter -n ethtool lo', 'nsenter: neither filename nor target pid supplied for ns/net\n', 1],
    ['nsenter -u ethtool lo', 'nsenter: neither filename nor target pid supplied for ns/uts\n', 1],
    ['nsenter -t abc -n true', "nsenter: failed to parse pid: 'abc'\n", 1],
    ['nsenter -x', "nsenter: invalid option -- 'x'\nTry 'nsenter --help' for more information.\n", 1],
    [`nsenter -t ${pause} -n nosuchcmd`, 'nsenter: failed to execute nosuchcmd: No such file or directory\n', 127],
    ['nsenter --net=/etc/hosts ethtool lo', "nsenter: reassociate to namespace 'ns/net' failed: Invalid argument\n", 1],
  ];
  for (const [line, stderr, status] of cases) {
    const r = await runTool(host, table, line);
    assert.deepEqual([r.stderr, r.status], [stderr, status], line);
  }
});

test('lsns: namespaces with their processes, ids and mounts, laid out as util-linux does', async () => {
  const { host, podInode } = node();
  const root = host.machine.root.inode;
  const net = await runTool(host, table, 'lsns -t net');
  assert.equal(
    net.stdout,
    '        NS TYPE NPROCS PID USER    NETNSID NSFS                                                COMMAND\n' +
      `${root} net       1   1 root unassigned                                                     /sbin/init\n` +
      `${podInode} net       2   2 root          0 /run/netns/cni-6f1c2c8b-0d1a-4b5e-9d0e-1c2b3a4d5e6f /pause\n`,
  );
  const all = await runTool(host, table, 'lsns -n');
  assert.equal(all.stdout.split('\n')[0], '4026531832 mnt         3   1 root /sbin/init');
  assert.equal(all.stdout.split('\n').length, 10);
  const cols = await runTool(host, table, 'lsns -t net -o NS,NPROCS,PATH -p 3');
  assert.equal(cols.stdout, `        NS NPROCS PATH\n${podInode}      2 /proc/2/ns/net\n`);
  const bad = await runTool(host, table, 'lsns -t nope');
  assert.deepEqual([bad.stderr, bad.status], ['lsns: unknown namespace type: nope\n', 1]);
});

test('hostname, and a node shell seeing /proc and /sys through its namespace', async () => {
  const { host, pause } = node();
  assert.equal((await runTool(host, table, 'hostname')).stdout, 'kind-worker\n');
  let out = '';
  const session = new Session(host, { stdout: (t) => (out += t), stderr: (t) => (out += t) });
  await session.run('echo 1 > /proc/sys/net/ipv4/ip_forward; cat /proc/sys/net/ipv4/ip_forward; sysctl net.ipv4.conf.all.forwarding');
  assert.equal(out, '1\nnet.ipv4.conf.all.forwarding = 1\n');
  out = '';
  await session.run(`cat /sys/class/net/veth1c91f45a/iflink; nsenter -t ${pause} -n cat /sys/class/net/eth0/iflink /proc/sys/net/ipv4/ip_forward`);
  assert.equal(out, '2\n2\n0\n');
});
