/**
 * What a node's filesystem holds to run: the tools of a node shell (ip, iptables, conntrack,
 * crictl, dig, ...), the CNI plugins under /opt/cni/bin, and the programs pods run (pause,
 * the servers of known images, the cluster DNS server).
 */
import type { Command, CommandTable } from '../userland/command.ts';
import { allCommands } from '../userland/registry.ts';
import { programCommands } from '../programs/index.ts';
import { cniCommands } from '../k8s/cni/index.ts';
import { corednsCommand } from '../k8s/dns/index.ts';

export function nodeTools(): CommandTable {
  return new Map<string, Command>([...allCommands(), ...cniCommands(), ...programCommands(), ['coredns', corednsCommand]]);
}
