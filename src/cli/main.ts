/**
 * The podlab command line. Today: `podlab replay` (load an iptables-save text into a simulated
 * host and print its listings), `podlab shell` (a simulated Linux host at a prompt) and
 * `podlab apiserver` (a control plane served for kubectl) and `podlab kubectl` (podlab's kubectl,
 * for clusters a kubeconfig names).
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Command, CommanderError } from 'commander';
import { SimHost } from '../host/sim/host.ts';
import { Session } from './session.ts';
import { runKubectlCli } from '../userland/kubectl/host.ts';
import { serveApi } from './apiserver.ts';

const DEFAULT_RULESET = new URL('../../examples/iptables/kind-worker.rules', import.meta.url);

/** The listings `podlab replay` prints, as a user would type them on the node. */
const REPLAY_COMMANDS = ['iptables-save', 'iptables -L', 'iptables -t nat -L', 'iptables -t nat -L -n -v --line-numbers'];

async function replay(file: string | undefined, commands: string[]): Promise<number> {
  const text = file === undefined || file === '-' ? (file === '-' ? readFileSync(0, 'utf8') : readFileSync(DEFAULT_RULESET, 'utf8')) : readFileSync(file, 'utf8');
  const session = new Session(new SimHost(), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
  const loaded = await session.run('iptables-restore --counters', text);
  if (loaded !== 0) return loaded;
  let status = 0;
  for (const c of commands) {
    process.stdout.write(`# ${c}\n`);
    status = (await session.run(c)) || status;
    process.stdout.write('\n');
  }
  return status;
}

async function shell(opts: { state?: string; command?: string; seed?: string }): Promise<number> {
  const session = await Session.open(opts.state, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }, opts.seed === undefined ? undefined : Number(opts.seed));
  const host = session.host;
  if (opts.command !== undefined) {
    // The command's stdin is podlab's stdin, unless that is a terminal.
    const stdin = process.stdin.isTTY ? '' : readFileSync(0, 'utf8');
    const status = await session.run(opts.command, stdin);
    if (opts.state) session.save(opts.state);
    return status;
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY, historySize: 1000 });
  const prompt = (): void => {
    rl.setPrompt(`root@${host.fs.read('/etc/hostname')?.trim() || 'podlab'}:${session.opts.cwd}# `);
    rl.prompt();
  };
  if (process.stdin.isTTY) process.stdout.write('podlab shell: a simulated Linux host (iptables, iptables-save, iptables-restore, grep, sed, diff...). exit or ^D to leave.\n');
  prompt();
  for await (const line of rl) {
    if (/^\s*exit\s*$/.test(line)) break;
    await session.run(line);
    if (opts.state) session.save(opts.state);
    prompt();
  }
  rl.close();
  return session.opts.lastStatus ?? 0;
}

export async function main(argv: string[]): Promise<number> {
  // kubectl parses its own flags (-n, -f, -o…): hand it the rest of the line untouched.
  if (argv[0] === 'kubectl') return runKubectlCli(argv.slice(1));
  let status = 0;
  const program = new Command('podlab')
    .description('Kubernetes networking you can run, inspect and trace')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  program
    .command('replay')
    .description('load an iptables-save text into a simulated host and print its listings (default: a kind worker node)')
    .argument('[file]', 'iptables-save text to load ("-" for stdin)')
    .option('-c, --command <cmd...>', 'listing commands to run instead of the defaults')
    .action(async (file: string | undefined, o: { command?: string[] }) => {
      status = await replay(file, o.command ?? REPLAY_COMMANDS);
    });
  program
    .command('shell')
    .description('a simulated Linux host at a prompt, or one command line with -c')
    .option('--state <file>', 'keep the host in this JSON file between calls')
    .option('-c, --command <line>', 'run one command line and exit with its status')
    .option('--seed <n>', 'seed for the random generator of a new host')
    .action(async (o: { state?: string; command?: string; seed?: string }) => {
      status = await shell(o);
    });
  program
    .command('apiserver')
    .description('serve a control plane (API server, controllers, scheduler) on 127.0.0.1 and write a kubeconfig for it')
    .option('--name <name>', 'cluster name (the kubeconfig context is kind-NAME)', 'podlab')
    .option('--state <file>', 'SQLite file keeping the cluster (memory when absent)')
    .option('--port <port>', 'port to listen on (any free one when absent)')
    .option('--kubeconfig <file>', 'where to write the kubeconfig', 'kubeconfig')
    .option('--seed <n>', 'seed for names and uids', '1')
    .action(async (o: { name: string; state?: string; port?: string; kubeconfig: string; seed: string }) => {
      const ac = new AbortController();
      const stop = (): void => ac.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      status = await serveApi({
        name: o.name, kubeconfig: o.kubeconfig, seed: Number(o.seed), signal: ac.signal, print: (l) => console.log(l),
        ...(o.state ? { state: o.state } : {}), ...(o.port ? { port: Number(o.port) } : {}),
      });
    });
  program
    .command('kubectl')
    .description("podlab's kubectl: get, describe, apply, create, delete, expose, scale, exec, logs, port-forward… with kubectl's output")
    .argument('[args...]', 'kubectl arguments')
    .allowUnknownOption()
    .action(async (args: string[]) => {
      status = await runKubectlCli(args);
    });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    throw e;
  }
  return status;
}
