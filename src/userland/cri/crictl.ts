/**
 * `crictl`, the CRI client on the node: global flags, then `ps`, `pods`, `inspect`,
 * `inspectp` and `version` over the node's runtime state. Errors are logrus fatals on a
 * terminal (`FATA[0000] ...`, exit 1), an unknown subcommand is urfave/cli's "No help topic".
 */
import type { Command } from '../command.ts';
import { guard, parse, splitGlobal, ToolError, type FlagSpec } from './cli.ts';
import { crictlInspect, crictlInspectp } from './crictl-inspect.ts';
import { crictlPods, crictlPs } from './crictl-list.ts';
import { loadState, runtimeVersion } from './state.ts';

const GLOBAL_VALUES = new Set(['-r', '--runtime-endpoint', '-i', '--image-endpoint', '-t', '--timeout', '-c', '--config']);

const b = (name: string, short?: string): FlagSpec => ({ name, short, kind: 'bool' });
const s = (name: string, short?: string): FlagSpec => ({ name, short, kind: 'string' });

const FILTERS = [s('name'), s('namespace'), s('state', 's'), { name: 'label', kind: 'array' } as FlagSpec, b('latest', 'l'), { name: 'last', short: 'n', kind: 'int' } as FlagSpec];
const FLAGS: Record<string, FlagSpec[]> = {
  ps: [...FILTERS, b('verbose', 'v'), s('id'), s('pod', 'p'), s('image'), b('quiet', 'q'), s('output', 'o'), b('all', 'a'), b('no-trunc'), b('resolve-image-path', 'r')],
  pods: [...FILTERS, s('id'), b('verbose', 'v'), b('quiet', 'q'), s('output', 'o'), b('no-trunc')],
  inspect: [...FILTERS, s('output', 'o'), b('quiet', 'q'), s('template'), s('pod', 'p'), s('image'), b('all', 'a')],
  inspectp: [...FILTERS, s('output', 'o'), b('quiet', 'q'), s('template')],
  version: [s('output', 'o')],
};

export const crictl: Command = (ctx) =>
  guard(
    ctx,
    () => {
      const argv = ctx.argv.slice(1);
      const at = splitGlobal(argv, GLOBAL_VALUES);
      const sub = argv[at];
      if (sub === undefined) throw new ToolError('no subcommand given; try `crictl --help`');
      const specs = FLAGS[sub];
      if (!specs) {
        ctx.stderr(`No help topic for '${sub}'\n`);
        return 3;
      }
      const f = parse(argv.slice(at + 1), specs);
      const st = loadState(ctx);
      const now = ctx.sys.now();
      const args = f.parsed.args;
      switch (sub) {
        case 'ps':
          ctx.stdout(crictlPs(st, f, now));
          break;
        case 'pods':
          ctx.stdout(crictlPods(st, f, now));
          break;
        case 'inspect':
          ctx.stdout(crictlInspect(st, f, args, now));
          break;
        case 'inspectp':
          ctx.stdout(crictlInspectp(st, f, args));
          break;
        case 'version':
          ctx.stdout(`Version:  0.1.0\nRuntimeName:  ${st.runtime}\nRuntimeVersion:  ${runtimeVersion(st)}\nRuntimeApiVersion:  v1\n`);
          break;
      }
      return 0;
    },
    (msg) => `FATA[0000] ${msg}\n`,
  );
