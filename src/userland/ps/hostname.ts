/**
 * `hostname` (Debian's hostname 3.23): prints or sets the machine's name; `-s` cuts it at the
 * first dot, `-I` lists the namespace's addresses (every IPv4 address but loopback ones).
 */
import type { Command } from '../command.ts';
import { formatIPv4 } from '../../kernel/addr.ts';

export const hostname: Command = (ctx) => {
  const machine = ctx.sys.machine();
  const argv = ctx.argv.slice(1);
  let mode: 'name' | 'short' | 'all-ip' = 'name';
  const names: string[] = [];
  for (const a of argv) {
    if (a === '-s' || a === '--short') mode = 'short';
    else if (a === '-I' || a === '--all-ip-addresses') mode = 'all-ip';
    else if (a === '-f' || a === '--fqdn' || a === '--long' || a === '-A' || a === '--all-fqdns') mode = 'name';
    else if (a.startsWith('-')) {
      ctx.stderr(`hostname: invalid option -- '${a.replace(/^-+/, '')[0] ?? ''}'\nUsage: hostname [-b] {hostname|-F file}         set host name (from file)\n`);
      return 1;
    } else names.push(a);
  }
  if (names.length) {
    const name = names[0];
    if (!/^[A-Za-z0-9.-]{1,64}$/.test(name) || name.startsWith('-') || name.startsWith('.')) {
      ctx.stderr('hostname: the specified hostname is invalid\n');
      return 1;
    }
    machine.hostname = name;
    return 0;
  }
  if (mode === 'all-ip') {
    const addrs = ctx.sys.netns().allAddresses().filter(({ link, a }) => link.kind !== 'loopback' && a.addr >>> 24 !== 127 && link.adminUp);
    ctx.stdout(addrs.map(({ a }) => formatIPv4(a.addr) + ' ').join('') + '\n');
    return 0;
  }
  ctx.stdout(`${mode === 'short' ? machine.hostname.split('.')[0] : machine.hostname}\n`);
  return 0;
};
