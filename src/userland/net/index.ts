/** Registers the traffic tools (ping, nc, curl, wget, tcpdump) under the names a shell looks up. */
import type { Command } from '../command.ts';
import { curl } from './curl.ts';
import { nc } from './nc.ts';
import { ping } from './ping.ts';
import { tcpdump } from './tcpdump.ts';
import { wget } from './wget.ts';

export function trafficCommands(): Map<string, Command> {
  return new Map<string, Command>([
    ['ping', ping],
    ['nc', nc],
    ['netcat', nc],
    ['curl', curl],
    ['wget', wget],
    ['tcpdump', tcpdump],
  ]);
}
