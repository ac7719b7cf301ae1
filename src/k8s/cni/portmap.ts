/**
 * The portmap plugin (chained, iptables backend): for the `portMappings` capability it keeps
 * the shared CNI-HOSTPORT-SETMARK (mark 0x2000), CNI-HOSTPORT-MASQ (prepended to POSTROUTING)
 * and CNI-HOSTPORT-DNAT (jumped to from PREROUTING and OUTPUT for local destinations) chains,
 * and a per-container CNI-DN-<hash> chain entered from CNI-HOSTPORT-DNAT by a multiport rule:
 * per mapping, mark hairpin and localhost traffic for masquerade, then DNAT to the pod. DEL
 * removes the container's chain and its entry rules; the shared chains stay. The previous
 * result passes through.
 */
import type { CmdArgs, Plugin } from './plugin.ts';
import { parseConf } from './plugin.ts';
import { IPTables, shellWords } from './iptables.ts';
import { chainName } from './names.ts';
import { formatIPv4, formatIPNet, parseCIDR, type IPNet } from './ipnet.ts';
import type { PluginSys } from './sys.ts';
import { convertResult, type CniResult, type NetConf } from './types.ts';

const NAT = 'nat';
const TOP_DNAT = 'CNI-HOSTPORT-DNAT';
const SETMARK = 'CNI-HOSTPORT-SETMARK';
const MASQ = 'CNI-HOSTPORT-MASQ';
const DEFAULT_MARK_BIT = 13;

interface PortMapEntry {
  hostPort: number;
  containerPort: number;
  protocol: string;
  hostIP?: string;
}

interface PortMapConf extends NetConf {
  snat?: boolean;
  conditionsV4?: string[];
  masqAll?: boolean;
  markMasqBit?: number;
  externalSetMarkChain?: string;
  runtimeConfig?: { portMappings?: PortMapEntry[] };
}

/** A chain as portmap describes it: its rules, and the rules in other chains that jump to it. */
interface Chain {
  name: string;
  entryChains: string[];
  entryRules: string[][];
  rules: string[][];
  prependEntry: boolean;
}

async function setupChain(ipt: IPTables, c: Chain): Promise<void> {
  await ipt.ensureChain(NAT, c.name);
  for (const r of c.rules) await ipt.insertUnique(NAT, c.name, false, r);
  for (const entry of c.entryChains) for (const r of c.entryRules) await ipt.insertUnique(NAT, entry, c.prependEntry, [...r, '-j', c.name]);
}

/** chain.teardown: flush (creating it if missing), drop every jump to it, delete it. */
async function teardownChain(ipt: IPTables, c: Chain): Promise<void> {
  await ipt.clearChain(NAT, c.name);
  for (const entry of c.entryChains) {
    let lines: string[];
    try {
      lines = await ipt.list(NAT, entry);
    } catch {
      continue;
    }
    for (const line of lines.slice(1)) {
      if (line.endsWith(`-j ${c.name}`)) await ipt.deleteIfExists(NAT, entry, shellWords(line).slice(2));
    }
  }
  await ipt.deleteChainIfExists(NAT, c.name);
}

function markDef(bit: number): string {
  const v = `0x${(1 << bit >>> 0).toString(16)}`;
  return `${v}/${v}`;
}

function setMarkChain(bit: number): Chain {
  return { name: SETMARK, entryChains: [], entryRules: [], prependEntry: false, rules: [['-m', 'comment', '--comment', 'CNI portfwd masquerade mark', '-j', 'MARK', '--set-xmark', markDef(bit)]] };
}

function markMasqChain(bit: number): Chain {
  // Prepended, or the ptp and bridge masquerade rules would take the packets first.
  return {
    name: MASQ, entryChains: ['POSTROUTING'], prependEntry: true,
    entryRules: [['-m', 'comment', '--comment', 'CNI portfwd requiring masquerade']],
    rules: [['-m', 'mark', '--mark', markDef(bit), '-j', 'MASQUERADE']],
  };
}

function topDnatChain(): Chain {
  return { name: TOP_DNAT, entryChains: ['PREROUTING', 'OUTPUT'], entryRules: [['-m', 'addrtype', '--dst-type', 'LOCAL']], rules: [], prependEntry: false };
}

/** genDnatChain + fillDnatRules for one container address. */
function dnatChain(conf: PortMapConf, containerId: string, net?: IPNet): Chain {
  const c: Chain = { name: chainName(conf.name, containerId, 'DN-'), entryChains: [TOP_DNAT], entryRules: [], rules: [], prependEntry: true };
  if (!net) return c;
  const entries = conf.runtimeConfig?.portMappings ?? [];
  let comment = `dnat name: "${conf.name}" id: "${containerId}"`;
  if (comment.length > 255) comment = comment.slice(0, 253) + '...';
  const byProto = new Map<string, number[]>();
  for (const e of entries) byProto.set(e.protocol, [...(byProto.get(e.protocol) ?? []), e.hostPort]);
  for (const proto of [...byProto.keys()].sort()) {
    const ports = byProto.get(proto)!;
    // multiport takes at most 15 ports per rule.
    for (let i = 0; i < ports.length; i += 15) {
      c.entryRules.push(['-m', 'comment', '--comment', comment, '-m', 'multiport', '-p', proto, '--destination-ports', ports.slice(i, i + 15).join(','), ...(conf.conditionsV4 ?? [])]);
    }
  }
  const setMark = conf.externalSetMarkChain ?? SETMARK;
  for (const e of entries) {
    const base = ['-p', e.protocol, '--dport', String(e.hostPort)];
    if (e.hostIP && e.hostIP !== '0.0.0.0') {
      if (e.hostIP.includes(':')) continue;
      base.push('-d', e.hostIP);
    }
    if (conf.snat !== false) {
      c.rules.push([...base, '-s', conf.masqAll ? '0.0.0.0/0' : formatIPNet(net), '-j', setMark]);
      if (!conf.masqAll) c.rules.push([...base, '-s', '127.0.0.1', '-j', setMark]);
    }
    c.rules.push([...base, '-j', 'DNAT', '--to-destination', `${formatIPv4(net.ip)}:${e.containerPort}`]);
  }
  return c;
}

function parseConfig(args: CmdArgs): { conf: PortMapConf; result?: CniResult; ipv4?: IPNet } {
  const conf = parseConf<PortMapConf>(args.stdinData, 'failed to parse config: failed to parse network configuration');
  if (conf.markMasqBit !== undefined && conf.externalSetMarkChain !== undefined) throw new Error('Cannot specify externalSetMarkChain and markMasqBit');
  const bit = conf.markMasqBit ?? DEFAULT_MARK_BIT;
  if (bit < 0 || bit > 31) throw new Error('MasqMarkBit must be between 0 and 31');
  for (const pm of conf.runtimeConfig?.portMappings ?? []) {
    if (pm.containerPort <= 0) throw new Error(`Invalid container port number: ${pm.containerPort}`);
    if (pm.hostPort <= 0) throw new Error(`Invalid host port number: ${pm.hostPort}`);
  }
  const result = conf.prevResult;
  let ipv4: IPNet | undefined;
  for (const ip of result?.ips ?? []) {
    const intf = ip.interface !== undefined ? result!.interfaces?.[ip.interface] : undefined;
    // Skip addresses of known interfaces outside the sandbox.
    if (intf && (intf.name !== args.ifName || !intf.sandbox)) continue;
    ipv4 ??= parseCIDR(ip.address);
  }
  return { conf, result, ipv4 };
}

async function forwardPorts(sys: PluginSys, conf: PortMapConf, containerId: string, net: IPNet): Promise<void> {
  const ipt = new IPTables(sys);
  const bit = conf.markMasqBit ?? DEFAULT_MARK_BIT;
  if (conf.snat !== false && conf.externalSetMarkChain === undefined) {
    await setupChain(ipt, setMarkChain(bit)).catch((e: Error) => {
      throw new Error(`unable to create chain ${SETMARK}: ${e.message}`);
    });
    await setupChain(ipt, markMasqChain(bit)).catch((e: Error) => {
      throw new Error(`unable to create chain ${SETMARK}: ${e.message}`);
    });
  }
  await setupChain(ipt, topDnatChain()).catch((e: Error) => {
    throw new Error(`failed to create top-level DNAT chain: ${e.message}`);
  });
  await setupChain(ipt, dnatChain(conf, containerId, net)).catch((e: Error) => {
    throw new Error(`unable to setup DNAT: ${e.message}`);
  });
}

export const portmap: Plugin = async (sys, args) => {
  const { conf, result, ipv4 } = parseConfig(args);
  const mappings = conf.runtimeConfig?.portMappings ?? [];
  if (args.command === 'DEL') {
    if (mappings.length) await teardownChain(new IPTables(sys), dnatChain(conf, args.containerId)).catch((e: Error) => {
      throw new Error(`could not teardown ipv4 dnat: ${e.message}`);
    });
    return undefined;
  }
  if (args.command === 'CHECK') {
    if (!result) throw new Error('Required prevResult missing');
    if (mappings.length && ipv4) {
      const ipt = new IPTables(sys);
      const c = dnatChain(conf, args.containerId, ipv4);
      if (!(await ipt.listChains(NAT)).includes(c.name)) throw new Error(`could not check ipv4 dnat: chain ${c.name} not found in iptables table ${NAT}`);
      for (const r of c.rules) if (!(await ipt.exists(NAT, c.name, r))) throw new Error(`could not check ipv4 dnat: rule ${JSON.stringify(c.rules)} in chain ${c.name} not found in table ${NAT}`);
    }
    return undefined;
  }
  if (!result) throw new Error('must be called as chained plugin');
  if (mappings.length && ipv4) await forwardPorts(sys, conf, args.containerId, ipv4);
  return convertResult(result, conf.cniVersion);
};
