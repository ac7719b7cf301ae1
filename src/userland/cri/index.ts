/** The node's container-runtime tools over the kubelet's runtime state: crictl, ctr and docker. */
import type { Command } from '../command.ts';
import { crictl } from './crictl.ts';
import { ctr } from './ctr.ts';
import { docker } from './docker.ts';

export function criCommands(): Map<string, Command> {
  return new Map<string, Command>([
    ['crictl', crictl],
    ['ctr', ctr],
    ['docker', docker],
  ]);
}
