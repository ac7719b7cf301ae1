// The /proc and /sys files a namespace's processes read hold what the real kernel's hold for the
// same devices, addresses, routes and neighbours; /proc/sys writes go through the sysctls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RealNetns, realUnavailable } from '../../../test/support/real.ts';
import { RT_TABLE_MAIN, RTPROT_BOOT } from '../../kernel/fib.ts';
import { Machine } from '../../kernel/machine.ts';
import { FsError, type FileSystem } from './fs.ts';
import { SimHost } from './host.ts';

const DEVICE_FILES = [
  'ifindex', 'iflink', 'address', 'broadcast', 'addr_len', 'mtu', 'operstate', 'carrier', 'type', 'flags', 'tx_queue_len',
  'dev_id', 'dev_port', 'dormant', 'ifalias', 'link_mode', 'netdev_group', 'proto_down', 'duplex', 'speed', 'uevent',
];
const BRPORT_FILES = [
  'state', 'port_no', 'port_id', 'priority', 'path_cost', 'hairpin_mode', 'learning', 'unicast_flood', 'multicast_flood',
  'broadcast_flood', 'designated_root', 'designated_bridge', 'designated_port', 'designated_cost', 'isolated', 'proxyarp',
];
const BRIDGE_FILES = [
  'bridge_id', 'root_id', 'stp_state', 'ageing_time', 'forward_delay', 'hello_time', 'max_age', 'priority', 'group_addr',
  'nf_call_iptables', 'multicast_snooping', 'root_port', 'root_path_cost', 'hash_max',
];

const PATHS = [
  '/sys/class/net',
  ...['lo', 'cni0', 'veth1', 'eth0', 'va', 'vb', 'flannel.1'].flatMap((d) => DEVICE_FILES.map((f) => `/sys/class/net/${d}/${f}`)),
  ...['veth1', 'va'].flatMap((d) => BRPORT_FILES.map((f) => `/sys/class/net/${d}/brport/${f}`)),
  ...BRIDGE_FILES.map((f) => `/sys/class/net/cni0/bridge/${f}`),
  '/sys/class/net/cni0/brif', '/sys/class/net/va/statistics/rx_packets', '/sys/class/net/va/statistics/tx_bytes',
  '/sys/class/net/nope/ifindex', '/sys/class/net/eth0/brport/state',
  '/proc/net/route', '/proc/net/arp', '/proc/sys/net/ipv4/ip_forward', '/proc/sys/net/ipv4/conf/flannel.1/rp_filter',
  '/proc/sys/net/ipv4/ip_local_port_range', '/proc/sys/net/ipv4/nope',
];

/** What `cat PATH` (or `ls PATH` for a directory) prints, from a FileSystem. */
function cat(fs: FileSystem, path: string): { stdout: string; stderr: string } {
  if (fs.isDir(path)) return { stdout: fs.list(path).map((n) => n + '\n').join(''), stderr: '' };
  try {
    const data = fs.read(path);
    if (data === undefined) return { stdout: '', stderr: `cat: ${path}: No such file or directory\n` };
    return { stdout: data, stderr: '' };
  } catch (e) {
    if (e instanceof FsError) return { stdout: '', stderr: `cat: ${e.message}\n` };
    throw e;
  }
}

function realCommand(path: string): string {
  return path === '/sys/class/net' || path.endsWith('/brif') ? `ls ${path}` : `cat ${path}`;
}

test('/sys/class/net, /proc/net and /proc/sys read as in the real kernel', { skip: realUnavailable() }, () => {
  const real = new RealNetns();
  try {
    const before = real.runMany([
      'ip link add cni0 type bridge', 'ip link set cni0 address 0a:00:00:00:00:01',
      'ip link add veth1 address 0a:00:00:00:01:01 type veth peer name eth0 address 0a:00:00:00:02:02',
      'ip link add va address 0a:00:00:00:0a:01 type veth peer name vb address 0a:00:00:00:0b:01',
      'ip link set veth1 master cni0', 'ip link set va master cni0',
      'ip link add flannel.1 address 0a:00:00:00:0f:01 type vxlan id 1 dstport 8472',
      'cat /proc/net/dev',
      'ip link set cni0 up', 'ip link set veth1 up', 'ip link set eth0 up', 'ip link set lo up',
      'ip addr add 10.244.0.1/24 dev cni0', 'ip route add 10.244.1.0/24 via 10.244.0.2 proto boot',
      'ip neigh add 10.244.0.9 lladdr 0a:00:00:00:00:09 dev cni0',
      'brctl setageing cni0 100', 'bridge link set dev veth1 hairpin on',
    ]);
    for (const r of before) assert.equal(r.status, 0, r.stderr);
    const got = real.runMany(PATHS.map(realCommand));
    const writes = real.runMany([
      'echo 1 > /proc/sys/net/ipv4/ip_forward', 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv4/conf/eth0/forwarding',
      'echo 2 > /proc/sys/net/ipv4/conf/flannel.1/rp_filter', 'cat /proc/sys/net/ipv4/conf/flannel.1/rp_filter',
      'echo 0 > /sys/class/net/veth1/brport/hairpin_mode', 'cat /sys/class/net/veth1/brport/hairpin_mode',
    ]);

    const host = new SimHost({ seed: 9, clock: Date.UTC(2024, 0, 1) });
    const ns = host.machine.addNetns('t');
    const fs = host.inNetns(ns).files!();
    const cni0 = ns.createLink({ name: 'cni0', kind: 'bridge' });
    ns.setMac(cni0, '0a:00:00:00:00:01');
    const veth1 = ns.createLink({ name: 'veth1', kind: 'veth', mac: '0a:00:00:00:01:01', peer: { name: 'eth0', mac: '0a:00:00:00:02:02' } });
    const va = ns.createLink({ name: 'va', kind: 'veth', mac: '0a:00:00:00:0a:01', peer: { name: 'vb', mac: '0a:00:00:00:0b:01' } });
    ns.setMaster(veth1, cni0);
    ns.setMaster(va, cni0);
    ns.createLink({ name: 'flannel.1', kind: 'vxlan', mac: '0a:00:00:00:0f:01', vxlan: { vni: 1, dstport: 8472 } });
    assert.equal(fs.read('/proc/net/dev'), before[7].stdout, '/proc/net/dev');
    for (const l of [cni0, veth1, ns.mustLink('eth0'), ns.lo()]) ns.setUp(l, true);
    ns.addAddr(cni0, { addr: 0x0af40001, plen: 24 });
    ns.addRoute({ table: RT_TABLE_MAIN, type: 'unicast', dst: 0x0af40100, plen: 24, tos: 0, metric: 0, protocol: RTPROT_BOOT, scope: 0, gateway: 0x0af40002, dev: cni0, onlink: false });
    ns.neigh.set(cni0, 0x0af40009, { lladdr: '0a:00:00:00:00:09', state: 'PERMANENT' });
    cni0.bridge!.ageingTime = 10000;
    veth1.port!.hairpin = true;

    for (const [k, path] of PATHS.entries()) {
      const sim = cat(fs, path);
      assert.equal(sim.stdout, got[k].stdout, `content of ${path}`);
      assert.equal(sim.stderr, got[k].stderr, `error of ${path}`);
    }
    fs.write('/proc/sys/net/ipv4/ip_forward', '');
    fs.append('/proc/sys/net/ipv4/ip_forward', '1\n');
    assert.equal(fs.read('/proc/sys/net/ipv4/ip_forward')! + fs.read('/proc/sys/net/ipv4/conf/eth0/forwarding'), writes[1].stdout);
    fs.append('/proc/sys/net/ipv4/conf/flannel.1/rp_filter', '2\n');
    assert.equal(fs.read('/proc/sys/net/ipv4/conf/flannel.1/rp_filter'), writes[3].stdout);
    fs.append('/sys/class/net/veth1/brport/hairpin_mode', '0\n');
    assert.equal(fs.read('/sys/class/net/veth1/brport/hairpin_mode'), writes[5].stdout);
    assert.equal(veth1.port!.hairpin, false);
  } finally {
    real.close();
  }
});

test('/proc/sys rejects what the handlers reject and changes nothing', () => {
  const host = new SimHost({ seed: 1, clock: Date.UTC(2024, 0, 1) });
  const fs = host.sys.files!();
  assert.throws(() => fs.append('/proc/sys/net/ipv4/ip_forward', 'abc\n'), (e) => e instanceof FsError && e.message === '/proc/sys/net/ipv4/ip_forward: Invalid argument');
  assert.throws(() => fs.append('/proc/sys/net/netfilter/nf_conntrack_count', '3\n'), FsError);
  assert.throws(() => fs.write('/proc/sys/net/ipv4/nope', '1\n'), (e) => e instanceof FsError && e.reason === 'ENOENT');
  assert.equal(fs.read('/proc/sys/net/ipv4/ip_forward'), '0\n');
  assert.ok(fs.isDir('/proc/sys/net/ipv4/conf/lo'));
  assert.deepEqual(fs.list('/proc/net'), ['arp', 'dev', 'nf_conntrack', 'route']);
  // Ordinary files still live in the host's filesystem.
  fs.write('/tmp/x', 'y');
  assert.equal(host.fs.read('/tmp/x'), 'y');
  assert.ok(fs.list('/').includes('proc') && fs.list('/').includes('tmp'));
});

test('/proc/PID shows the machine\'s processes', () => {
  const host = new SimHost({ seed: 1, clock: Date.UTC(2024, 0, 1) });
  const m: Machine = host.machine;
  const p = m.spawn({ argv: ['/pause'], netns: m.root });
  const q = m.spawn({ argv: ['/usr/local/bin/kube-proxy-with-a-long-name', '--config=/var/lib/kube-proxy/config.conf'], netns: m.root, ppid: p.pid });
  const fs = host.sys.files!();
  assert.equal(fs.read(`/proc/${p.pid}/cmdline`), '/pause\0');
  assert.equal(fs.read(`/proc/${q.pid}/comm`), 'kube-proxy-with\n');
  assert.match(fs.read(`/proc/${q.pid}/status`)!, new RegExp(`^Name:\tkube-proxy-with\nUmask:\t0022\nState:\tS \\(sleeping\\)\nTgid:\t${q.pid}\nNgid:\t0\nPid:\t${q.pid}\nPPid:\t${p.pid}\n`));
  assert.equal(fs.read('/proc/999/status'), undefined);
  assert.ok(fs.list('/proc').includes(String(q.pid)));
});
