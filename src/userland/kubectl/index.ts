/**
 * The `kubectl` command: finds the subcommand as cobra does (global flags may come first),
 * parses its flags with pflag's rules, runs it, and reports failures in kubectl's words and
 * exit codes. `makeKubectl` lets podlab inject an in-process transport.
 */
import type { Command, CommandContext } from '../command.ts';
import { Kctx, flagError, type KubectlDeps, type Subcommand } from './context.ts';
import { renderError, RawError } from './errors.ts';
import { FlagError, Flags, GLOBAL_FLAGS, levenshtein, parseFlags } from './flags.ts';
import { applyCmd } from './apply.ts';
import { configCmd } from './config.ts';
import { createCmd } from './create.ts';
import { deleteCmd } from './delete.ts';
import { describeCmd } from './describe-cmd.ts';
import { execCmd } from './exec.ts';
import { exposeCmd } from './expose.ts';
import { getCmd } from './get.ts';
import { apiResourcesCmd, apiVersionsCmd, clusterInfoCmd, versionCmd } from './info.ts';
import { annotateCmd, labelCmd } from './label.ts';
import { logsCmd } from './logs.ts';
import { patchCmd } from './patch.ts';
import { portForwardCmd } from './portforward.ts';
import { runCmd } from './run.ts';
import { scaleCmd } from './scale.ts';

export type { KubectlDeps } from './context.ts';
export type { KubectlTransport, TransportProvider } from './transport.ts';

const SUBCOMMANDS: Subcommand[] = [
  getCmd, describeCmd, applyCmd, createCmd, deleteCmd, exposeCmd, scaleCmd, labelCmd, annotateCmd,
  patchCmd, runCmd, execCmd, portForwardCmd, logsCmd, clusterInfoCmd, versionCmd, apiResourcesCmd,
  apiVersionsCmd, configCmd,
];

/** Every command kubectl 1.32 has (for `unknown command` and its suggestions), implemented or not. */
const KUBECTL_COMMANDS = [
  'annotate', 'api-resources', 'api-versions', 'apply', 'attach', 'auth', 'autoscale', 'certificate',
  'cluster-info', 'completion', 'config', 'cordon', 'cp', 'create', 'debug', 'delete', 'describe', 'diff',
  'drain', 'edit', 'events', 'exec', 'explain', 'expose', 'get', 'help', 'kustomize', 'label', 'logs',
  'options', 'patch', 'plugin', 'port-forward', 'proxy', 'replace', 'rollout', 'run', 'scale', 'set',
  'taint', 'top', 'uncordon', 'version', 'wait',
];

const ROOT_HELP = `kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

Basic Commands (Beginner):
  create          Create a resource from a file or from stdin
  expose          Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service
  run             Run a particular image on the cluster

Basic Commands (Intermediate):
  get             Display one or many resources
  delete          Delete resources by file names, stdin, resources and names, or by resources and label selector

Deploy Commands:
  scale           Set a new size for a deployment, replica set, or replication controller

Troubleshooting and Debugging Commands:
  describe        Show details of a specific resource or group of resources
  logs            Print the logs for a container in a pod
  exec            Execute a command in a container
  port-forward    Forward one or more local ports to a pod

Advanced Commands:
  apply           Apply a configuration to a resource by file name or stdin
  patch           Update fields of a resource

Settings Commands:
  label           Update the labels on a resource
  annotate        Update the annotations on a resource

Other Commands:
  api-resources   Print the supported API resources on the server
  api-versions    Print the supported API versions on the server, in the form of "group/version"
  cluster-info    Display cluster information
  config          Modify kubeconfig files
  version         Print the client and server version information

Usage:
  kubectl [flags] [options]

Use "kubectl <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands).
`;

/** cobra's stripFlags: the positions of the words that are not flags or values of the root's flags. */
function commandWords(argv: string[]): number[] {
  const valued = new Set(GLOBAL_FLAGS.filter((f) => f.kind !== 'bool').flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]));
  const out: number[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a.startsWith('-') && a !== '-') {
      if (!a.includes('=') && valued.has(a)) i++;
      continue;
    }
    out.push(i);
  }
  return out;
}

function findChild(list: Subcommand[], word: string): Subcommand | undefined {
  return list.find((c) => c.name === word || c.aliases?.includes(word));
}

function unknownCommand(word: string): RawError {
  const sugg = KUBECTL_COMMANDS.filter((c) => levenshtein(word, c) <= 2 || c.startsWith(word.toLowerCase()));
  let text = `error: unknown command "${word}" for "kubectl"\n`;
  if (sugg.length) text += `\nDid you mean this?\n${sugg.map((s) => `\t${s}\n`).join('')}`;
  return new RawError(text);
}

async function dispatch(ctx: CommandContext, deps: KubectlDeps): Promise<number> {
  const argv = ctx.argv.slice(1);
  const words = commandWords(argv);
  if (!words.length) {
    // Only global flags: they must still parse before the help shows.
    try {
      parseFlags(argv, GLOBAL_FLAGS);
    } catch (e) {
      if (e instanceof FlagError) throw flagError('kubectl', e);
      throw e;
    }
    ctx.stdout(ROOT_HELP);
    return 0;
  }
  let cmd = findChild(SUBCOMMANDS, argv[words[0]]);
  if (!cmd) {
    if (KUBECTL_COMMANDS.includes(argv[words[0]])) throw new RawError(`error: podlab's kubectl does not implement "${argv[words[0]]}"\n`);
    throw unknownCommand(argv[words[0]]);
  }
  const path = ['kubectl', cmd.name];
  const consumed = [words[0]];
  // Nested subcommands (`config view`, `create deployment`) are the next plain words.
  for (let w = 1; w < words.length && cmd.children; w++) {
    const child = findChild(cmd.children, argv[words[w]]);
    if (!child) break;
    cmd = child;
    path.push(child.name);
    consumed.push(words[w]);
  }
  const rest = argv.filter((_, i) => !consumed.includes(i));
  const cmdPath = path.join(' ');
  let parsed;
  try {
    parsed = parseFlags(rest, [...cmd.flags, ...GLOBAL_FLAGS.filter((g) => !cmd.flags.some((f) => f.name === g.name || (f.short && f.short === g.short)))]);
  } catch (e) {
    if (e instanceof FlagError) throw flagError(cmdPath, e);
    throw e;
  }
  const k = new Kctx(ctx, deps, new Flags(parsed), cmdPath);
  if (k.flags.bool('help')) {
    ctx.stdout(`Usage: ${cmdPath} [options]\n\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n`);
    return 0;
  }
  return cmd.run(k, parsed.args);
}

/** The kubectl command with `deps` (an injected transport for `podlab://` clusters). */
export function makeKubectl(deps: KubectlDeps = {}): Command {
  return async (ctx) => {
    try {
      return await dispatch(ctx, deps);
    } catch (e) {
      const { text, code } = renderError(e);
      if (text) ctx.stderr(text);
      return code;
    }
  };
}

/** kubectl talking to the clusters of its kubeconfig over HTTPS. */
export const kubectl: Command = makeKubectl();
