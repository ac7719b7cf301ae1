/** Every emulated command podlab's shells know, by name. */
import type { Command, CommandTable } from './command.ts';
import { iptables } from './iptables/iptables.ts';
import { iptablesRestore } from './iptables/restore.ts';
import { iptablesSave } from './iptables/save.ts';

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

export function allCommands(): CommandTable {
  return netfilterCommands();
}
