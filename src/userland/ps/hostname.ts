/**
 * `hostname` (Debian's hostname 3.23): prints or sets the machine's name; `-s` cuts it at the
 * first dot, `-I` lists the namespace's addresses (every IPv4 address but loopback ones).
 */
import type { Command } from '../command.ts';
import { formatIPv4 } from '../../kernel/addr.ts';

const USAGE = `Usage: hostname [-b] {hostname|-F file}         set host name (from file)
       hostname [-a|-A|-d|-f|-i|-I|-s|-y]       display formatted name
       hostname                                 display host name

       {yp,nis,}domainname {nisdomain|-F file}  set NIS domain name (from file)
       {yp,nis,}domainname                      display NIS domain name

       dnsdomainname                            display dns domain name

       hostname -V|--version|-h|--help          print info and exit

Program name:
       {yp,nis,}domainname=hostname -y
       dnsdomainname=hostname -d

Program options:
    -a, --alias            alias names
    -A, --all-fqdns        all long host names (FQDNs)
    -b, --boot             set default hostname if none available
    -d, --domain           DNS domain name
    -f, --fqdn, --long     long host name (FQDN)
    -F, --file             read host name or NIS domain name from given file
    -i, --ip-address       addresses for the host name
    -I, --all-ip-addresses all addresses for the host
    -s, --short            short host name
    -y, --yp, --nis        NIS/YP domain name

Description:
   This command can get or set the host name or the NIS domain name. You can
   also get the DNS domain or the FQDN (fully qualified domain name).
   Unless you are using bind or NIS for host lookups you can change the
   FQDN (Fully Qualified Domain Name) and the DNS domain name (which is
   part of the FQDN) in the /etc/hosts file.
`;

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
      // getopt's complaint on stderr, the whole usage on stdout, and exit(-1).
      ctx.stderr(`hostname: ${a.startsWith('--') ? `unrecognized option '${a}'` : `invalid option -- '${a[1]}'`}\n`);
      ctx.stdout(USAGE);
      return 255;
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
  const name = ctx.sys.hostname?.() ?? machine.hostname;
  ctx.stdout(`${mode === 'short' ? name.split('.')[0] : name}\n`);
  return 0;
};
