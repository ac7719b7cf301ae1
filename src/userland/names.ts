/**
 * Name services read from the host's files, as glibc reads them: /etc/services (getservbyname,
 * getservbyport), /etc/protocols, /etc/hosts and /etc/networks (gethostbyaddr, getnetbyaddr).
 * Parsed tables are cached by file content, so a host that edits /etc/services sees the change.
 */
import { parseInetAton, parseIPv4 } from '../kernel/addr.ts';
import type { Names } from '../kernel/netfilter/xt/types.ts';
import type { FileSystem } from '../host/sim/fs.ts';

interface Tables {
  svcByName: Map<string, number>; // "name/proto" -> port
  svcByPort: Map<string, string>; // "port/proto" -> first name
  protoByName: Map<string, number>;
  protoByNum: Map<number, string>;
  hostByAddr: Map<number, string>;
  addrByHost: Map<string, number>;
  netByAddr: Map<number, string>;
}

const cache = new Map<string, Tables>();

function lines(text: string): string[][] {
  return text.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean).map((l) => l.split(/\s+/));
}

function build(services: string, protocols: string, hosts: string, networks: string): Tables {
  const t: Tables = {
    svcByName: new Map(), svcByPort: new Map(), protoByName: new Map(), protoByNum: new Map(),
    hostByAddr: new Map(), addrByHost: new Map(), netByAddr: new Map(),
  };
  for (const [name, pp, ...aliases] of lines(services)) {
    const m = /^(\d+)\/(\w+)$/.exec(pp ?? '');
    if (!m) continue;
    const port = Number(m[1]);
    for (const n of [name, ...aliases]) {
      if (!t.svcByName.has(`${n}/${m[2]}`)) t.svcByName.set(`${n}/${m[2]}`, port);
    }
    if (!t.svcByPort.has(`${port}/${m[2]}`)) t.svcByPort.set(`${port}/${m[2]}`, name);
  }
  for (const [name, num, ...aliases] of lines(protocols)) {
    const n = Number(num);
    if (!Number.isInteger(n)) continue;
    for (const a of [name, ...aliases]) if (!t.protoByName.has(a)) t.protoByName.set(a, n);
    if (!t.protoByNum.has(n)) t.protoByNum.set(n, name);
  }
  for (const [addr, name, ...aliases] of lines(hosts)) {
    const a = parseIPv4(addr);
    if (a === undefined || !name) continue;
    if (!t.hostByAddr.has(a)) t.hostByAddr.set(a, name);
    for (const n of [name, ...aliases]) if (!t.addrByHost.has(n)) t.addrByHost.set(n, a);
  }
  for (const [name, addr] of lines(networks)) {
    const a = addr === undefined ? undefined : parseInetAton(addr);
    if (a === undefined) continue;
    if (!t.netByAddr.has(a)) t.netByAddr.set(a, name);
  }
  return t;
}

/** Name lookups backed by the host's /etc files. */
export function hostNames(fs: FileSystem): Names {
  const files = ['/etc/services', '/etc/protocols', '/etc/hosts', '/etc/networks'].map((p) => fs.read(p) ?? '');
  const key = files.join('\0');
  let t = cache.get(key);
  if (!t) {
    t = build(files[0], files[1], files[2], files[3]);
    if (cache.size > 16) cache.clear();
    cache.set(key, t);
  }
  const tables = t;
  return {
    serviceToPort: (name, proto) =>
      proto ? tables.svcByName.get(`${name}/${proto}`) : (tables.svcByName.get(`${name}/tcp`) ?? tables.svcByName.get(`${name}/udp`)),
    portToService: (port, proto) => tables.svcByPort.get(`${port}/${proto}`),
    protoByName: (name) => tables.protoByName.get(name),
    protoByNumber: (num) => tables.protoByNum.get(num),
    hostToAddr: (name) => tables.addrByHost.get(name),
    addrToName: (addr) => tables.hostByAddr.get(addr) ?? tables.netByAddr.get(addr),
  };
}
