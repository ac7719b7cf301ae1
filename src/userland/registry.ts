/** Every emulated command podlab's shells know, by name. */
import type { Command, CommandTable } from './command.ts';
import { iptables } from './iptables/iptables.ts';
import { iptablesRestore } from './iptables/restore.ts';
import { iptablesSave } from './iptables/save.ts';
import { textCommands } from './text/index.ts';

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

/** The commands of a simulated host's shell: netfilter tools plus the everyday text tools. */
export function allCommands(): CommandTable {
  return new Map([...textCommands(), ...netfilterCommands()]);
}
