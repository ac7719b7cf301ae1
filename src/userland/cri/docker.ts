/**
 * `docker ps` and `docker inspect` on a node whose runtime is Docker (the containers kubelet
 * runs through dockershim/cri-dockerd, named `k8s_POD_...` and `k8s_<container>_...`), with the
 * CLI's table (tabwriter minwidth 20 before docker 20.10, 10 since), `--format` Go templates,
 * `--filter`, `-q` and `--no-trunc`. On a containerd node there is no daemon to talk to.
 */
import type { Command } from '../command.ts';
import { goJson, goStruct, GoTemplate, TemplateError, type TemplateFunc } from '../text/gotemplate.ts';
import { guard, parse, splitGlobal, table, ToolError, type FlagSpec } from './cli.ts';
import { goTime } from './crictl-list.ts';
import { containerJSON, dockerImage, dockerLabels, dockerState, exitCode, finishedAt, networkMode, pathAndArgs, startedAt } from './docker-inspect.ts';
import { dockerName, entries, entryCreated, entryId, humanDuration, loadState, resolvePrefix, type CriState, type Entry } from './state.ts';

const NO_DAEMON = 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';
const GLOBAL_VALUES = new Set(['-H', '--host', '--context', '-c', '--config', '-l', '--log-level']);

/** The docker CLI's template functions (templates.basicFunctions). */
const FUNCS: Record<string, TemplateFunc> = {
  json: (v) => goJson(v, { escapeHTML: false }),
  split: (s, sep) => String(s).split(String(sep)),
  join: (a, sep) => (Array.isArray(a) ? a.map(String).join(String(sep)) : ''),
  title: (s) => String(s).replace(/\b\w/g, (c) => c.toUpperCase()),
  lower: (s) => String(s).toLowerCase(),
  upper: (s) => String(s).toUpperCase(),
  pad: (s, l, r) => `${' '.repeat(Number(l))}${String(s)}${' '.repeat(Number(r))}`,
  truncate: (s, n) => [...String(s)].slice(0, Number(n)).join(''),
  println: (...a) => `${a.map(String).join(' ')}\n`,
};

/** formatter.Ellipsis: at most `max` display characters, the last one `…` when cut. */
const ellipsis = (s: string, max: number): string => ([...s].length <= max ? s : `${[...s].slice(0, max - 1).join('')}…`);

/** strconv.Quote for the printable text commands hold. */
const goQuote = (s: string): string => JSON.stringify(s);

/** The engine's Command: the path, then the arguments, those with spaces in single quotes. */
function command(e: Entry): string {
  const [path, ...args] = pathAndArgs(e);
  return args.length ? `${path} ${args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')}` : path;
}

function status(e: Entry, now: number): string {
  const st = dockerState(e);
  if (st === 'running') return `Up ${humanDuration(now - startedAt(e))}`;
  if (st === 'created') return 'Created';
  return `Exited (${exitCode(e)}) ${humanDuration(now - finishedAt(e))} ago`;
}

const HEADERS: Record<string, string> = {
  ID: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', CreatedAt: 'CREATED AT', RunningFor: 'CREATED', Ports: 'PORTS', Status: 'STATUS',
  Size: 'SIZE', Names: 'NAMES', Labels: 'LABELS', Label: 'LABEL', Mounts: 'MOUNTS', Networks: 'NETWORKS', State: 'STATE', LocalVolumes: 'LOCAL VOLUMES',
};

/** The fields `docker ps --format` offers (formatter.ContainerContext). */
function psContext(e: Entry, now: number, trunc: boolean): Record<string, unknown> {
  const labels = dockerLabels(e);
  const mode = networkMode(e);
  return goStruct({
    ID: trunc ? entryId(e).slice(0, 12) : entryId(e),
    Image: dockerImage(e),
    Command: goQuote(trunc ? ellipsis(command(e), 20) : command(e)),
    CreatedAt: goTime(Math.floor(entryCreated(e) / 1000) * 1000),
    RunningFor: `${humanDuration(now - entryCreated(e))} ago`,
    Ports: '',
    Status: status(e, now),
    Size: '0B',
    Names: dockerName(e),
    Labels: Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(','),
    Label: (k: unknown) => labels[String(k)] ?? '',
    Mounts: '',
    Networks: mode.startsWith('container:') ? '' : mode,
    State: dockerState(e),
    LocalVolumes: '0',
  }, '*formatter.ContainerContext');
}

function matchesFilter(e: Entry, filter: string): boolean {
  const eq = filter.indexOf('=');
  const [key, value] = eq < 0 ? [filter, ''] : [filter.slice(0, eq), filter.slice(eq + 1)];
  switch (key) {
    case 'name':
      return new RegExp(value).test(`/${dockerName(e)}`);
    case 'id':
      return entryId(e).startsWith(value);
    case 'status':
      return dockerState(e) === value;
    case 'label': {
      const i = value.indexOf('=');
      const labels = dockerLabels(e);
      return i < 0 ? value in labels : labels[value.slice(0, i)] === value.slice(i + 1);
    }
    default:
      throw new ToolError(`Error response from daemon: invalid filter '${key}'`);
  }
}

const PS_FLAGS: FlagSpec[] = [
  { name: 'all', short: 'a', kind: 'bool' }, { name: 'quiet', short: 'q', kind: 'bool' }, { name: 'no-trunc', kind: 'bool' },
  { name: 'filter', short: 'f', kind: 'array' }, { name: 'format', kind: 'string' }, { name: 'last', short: 'n', kind: 'int' },
  { name: 'latest', short: 'l', kind: 'bool' }, { name: 'size', short: 's', kind: 'bool' },
];

function ps(st: CriState, argv: string[], now: number): string {
  const f = parse(argv, PS_FLAGS);
  const filters = f.list('filter');
  const last = f.bool('latest') ? 1 : f.int('last', -1);
  let list = entries(st).sort((a, b) => entryCreated(b) - entryCreated(a));
  // Like the daemon: without -a only running containers, unless a status filter or --last asks for others.
  if (!f.bool('all') && last < 0 && !filters.some((x) => x.startsWith('status='))) list = list.filter((e) => dockerState(e) === 'running');
  const byKey = new Map<string, string[]>();
  for (const x of filters) byKey.set(x.split('=')[0], [...(byKey.get(x.split('=')[0]) ?? []), x]);
  list = list.filter((e) => [...byKey.values()].every((alts) => alts.some((x) => matchesFilter(e, x))));
  if (last > 0) list = list.slice(0, last);
  const trunc = !f.bool('no-trunc');
  let format = f.bool('quiet') ? '{{.ID}}' : f.str('format') || 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';
  const isTable = format.startsWith('table');
  if (isTable) format = format.slice('table'.length);
  format = format.trim().replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  const tmpl = templateOf(format);
  const run = (data: unknown): string => {
    try {
      return tmpl.execute(data);
    } catch (e) {
      if (e instanceof TemplateError) throw new ToolError(e.message);
      throw e;
    }
  };
  const rows = list.map((e) => run(psContext(e, now, trunc)));
  if (!isTable) return rows.map((r) => `${r}\n`).join('');
  const header = run(goStruct(Object.fromEntries(Object.entries(HEADERS).map(([k, v]) => [k, k === 'Label' ? () => v : v])), '*formatter.ContainerContext'));
  const minwidth = Number(st.runtimeVersion.split('.')[0]) < 20 ? 20 : 10;
  return table([header, ...rows].map((r) => r.split('\t')), { minwidth, padding: 3 });
}

function templateOf(format: string): GoTemplate {
  try {
    return new GoTemplate(format, { funcs: FUNCS });
  } catch (e) {
    if (e instanceof TemplateError) throw new ToolError(`template parsing error: ${e.message}`);
    throw e;
  }
}

/** Finds a container by name (with or without the leading slash), full ID or unique ID prefix. */
function lookup(st: CriState, ref: string): Entry | undefined {
  const all = entries(st);
  const byName = all.find((e) => dockerName(e) === ref.replace(/^\//, ''));
  if (byName) return byName;
  const id = resolvePrefix(all.map(entryId), ref);
  if (id === 'ambiguous') throw new ToolError(`Error response from daemon: multiple IDs found with provided prefix: ${ref}`);
  return all.find((e) => entryId(e) === id);
}

function inspect(st: CriState, argv: string[], what: 'object' | 'container'): { out: string; err: string; status: number } {
  const f = parse(argv, [{ name: 'format', short: 'f', kind: 'string' }, { name: 'size', short: 's', kind: 'bool' }, { name: 'type', kind: 'string' }]);
  const refs = f.parsed.args;
  if (!refs.length) throw new ToolError(`"docker ${what === 'container' ? 'container ' : ''}inspect" requires at least 1 argument.\nSee 'docker ${what === 'container' ? 'container ' : ''}inspect --help'.\n\nUsage:  docker ${what === 'container' ? 'container ' : ''}inspect [OPTIONS] ${what === 'container' ? 'CONTAINER [CONTAINER...]' : 'NAME|ID [NAME|ID...]'}\n\nReturn low-level information on Docker objects`);
  const found: Record<string, unknown>[] = [];
  let err = '';
  for (const ref of refs) {
    const e = lookup(st, ref);
    if (e) found.push(containerJSON(e));
    else err += `Error: No such ${what}: ${ref}\n`;
  }
  const status = err ? 1 : 0;
  if (!f.str('format')) return { out: `${goJson(found, { indent: '    ' })}\n`, err, status };
  const tmpl = templateOf(f.str('format').replace(/\\t/g, '\t').replace(/\\n/g, '\n'));
  let out = '';
  for (const obj of found) {
    try {
      out += `${tmpl.execute(obj)}\n`;
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      // The CLI retries over the raw JSON (a map) with missingkey=error before giving up.
      try {
        out += `${tmpl.execute(JSON.parse(JSON.stringify(obj)), { missingKeyError: true })}\n`;
      } catch (e2) {
        if (!(e2 instanceof TemplateError)) throw e2;
        return { out, err: `${err}template parsing error: ${e2.message}\n`, status: 1 };
      }
    }
  }
  return { out, err, status };
}

export const docker: Command = (ctx) =>
  guard(
    ctx,
    () => {
      const argv = ctx.argv.slice(1);
      const at = splitGlobal(argv, GLOBAL_VALUES);
      let [sub, ...rest] = argv.slice(at);
      if (sub === 'container' && (rest[0] === 'ls' || rest[0] === 'list' || rest[0] === 'ps' || rest[0] === 'inspect')) [sub, ...rest] = [rest[0] === 'inspect' ? 'container-inspect' : 'ps', ...rest.slice(1)];
      if (sub !== 'ps' && sub !== 'inspect' && sub !== 'container-inspect') {
        ctx.stderr(`docker: '${sub ?? ''}' is not a docker command.\nSee 'docker --help'\n`);
        return 1;
      }
      const st = loadState(ctx);
      if (st.runtime !== 'docker') throw new ToolError(NO_DAEMON);
      if (sub === 'ps') {
        ctx.stdout(ps(st, rest, ctx.sys.now()));
        return 0;
      }
      const r = inspect(st, rest, sub === 'inspect' ? 'object' : 'container');
      ctx.stdout(r.out);
      ctx.stderr(r.err);
      return r.status;
    },
    (msg) => `${msg}\n`,
    125,
  );
