/** Registers the DNS tools (dig, nslookup) under the names a shell looks up. */
import type { Command } from '../command.ts';
import { dig } from './dig.ts';
import { nslookup } from './nslookup.ts';

export function dnsCommands(): Map<string, Command> {
  return new Map<string, Command>([
    ['dig', dig],
    ['nslookup', nslookup],
  ]);
}
