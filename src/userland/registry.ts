/** Every emulated command podlab's shells know, by name. */
import type { Command, CommandTable } from './command.ts';
import { iptables } from './iptables/iptables.ts';
import { iptablesRestore } from './iptables/restore.ts';
import { iptablesSave } from './iptables/save.ts';
import { textCommands } from './text/index.ts';
import { bridge } from './bridge/bridge.ts';
import { brctl } from './bridge/brctl.ts';
import { ethtool } from './ethtool/ethtool.ts';
import { sysctl } from './sysctl/sysctl.ts';
import { dmesg } from './ps/dmesg.ts';
import { hostname } from './ps/hostname.ts';
import { journalctl } from './ps/journalctl.ts';
import { lsns } from './ps/lsns.ts';
import { nsenter } from './ps/nsenter.ts';
import { ps } from './ps/ps.ts';
import { ip } from './ip/ip.ts';
import { conntrack } from './conntrack/conntrack.ts';
import { ipset } from './ipset/ipset.ts';
import { ipvsadm } from './ipvsadm/ipvsadm.ts';
import { trafficCommands } from './net/index.ts';
import { dnsCommands } from './dns/index.ts';
import { kubectl } from './kubectl/index.ts';
import { criCommands } from './cri/index.ts';

export function netfilterCommands(): Map<string, Command> {
  return new Map<string, Command>([
    ['iptables', iptables],
    ['iptables-nft', iptables],
    ['iptables-save', iptablesSave],
    ['iptables-nft-save', iptablesSave],
    ['iptables-restore', iptablesRestore],
    ['iptables-nft-restore', iptablesRestore],
  ]);
}

/** The node's inspection tools: bridges, NICs, sysctls, processes and namespaces, the kernel log. */
export function nodeCommands(): Map<string, Command> {
  return new Map<string, Command>([
    ['ip', ip],
    ['bridge', bridge],
    ['brctl', brctl],
    ['ethtool', ethtool],
    ['sysctl', sysctl],
    ['ps', ps],
    ['nsenter', nsenter],
    ['lsns', lsns],
    ['hostname', hostname],
    ['dmesg', dmesg],
    ['journalctl', journalctl],
    ['conntrack', conntrack],
    ['ipvsadm', ipvsadm],
    ['ipset', ipset],
  ]);
}

/** The cluster clients: kubectl, talking to the clusters its kubeconfig names. */
export function kubernetesCommands(): Map<string, Command> {
  return new Map<string, Command>([['kubectl', kubectl]]);
}

/** The commands of a simulated host's shell: netfilter tools plus the everyday text tools. */
export function allCommands(): CommandTable {
  return new Map([...textCommands(), ...netfilterCommands(), ...nodeCommands(), ...trafficCommands(), ...dnsCommands(), ...kubernetesCommands(), ...criCommands()]);
}
