/**
 * Test support for the conntrack command: runs it on a table of the model (kernel/conntrack's
 * testTable) with a fresh host's /etc, collecting what it prints.
 */
import assert from 'node:assert/strict';
import { MemFs } from '../../host/sim/fs.ts';
import { defaultEtc } from '../../host/sim/etc.ts';
import type { Conntrack } from '../../kernel/conntrack/conntrack.ts';
import type { System } from '../command.ts';
import { testSystem } from '../text/testing.ts';
import { conntrack } from './conntrack.ts';

export interface CtRun {
  stdout: string;
  stderr: string;
  status: number;
}

export function ctSystem(table: Conntrack): System {
  return { ...testSystem, conntrack: () => table, now: () => table.now() };
}

/** Runs `conntrack` with argv (argv[0] included) against `table`; `signal` stops -E. */
export async function runConntrack(table: Conntrack, argv: string[], opts: { signal?: AbortSignal; stdout?: (t: string) => void } = {}): Promise<CtRun> {
  const fs = new MemFs(defaultEtc());
  let stdout = '';
  let stderr = '';
  const status = await conntrack({
    argv,
    stdin: '',
    stdout: (t) => {
      stdout += t;
      opts.stdout?.(t);
    },
    stderr: (t) => (stderr += t),
    fs,
    cwd: '/',
    env: {},
    sys: ctSystem(table),
    signal: opts.signal,
  });
  return { stdout, stderr, status };
}

/** Splits a test command line into words: quotes group, nothing else is special. */
export function splitWords(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** Hides what differs between runs of the real tool: netlink port ids, XML ids and timeouts. */
function hideRunDetails(text: string): string {
  return text
    .replace(/ \[USERSPACE\].*/g, ' [USERSPACE]')
    .replace(/<id>\d+<\/id>/g, '<id/>')
    .replace(/<timeout>\d+<\/timeout>/g, '<timeout/>');
}

/**
 * Compares conntrack output line by line up to the timeout field, which may differ by the
 * second that ticked while the real commands ran (fresh timeouts, in the NEW and UPDATE events
 * packets cause, must be equal). Listings are compared as sets; with `ordered`, events in order, except deletions
 * made in one request, which the kernel reports in its hash order.
 */
export function sameLines(real: string, model: string, what: string, opts: { ordered?: boolean; tidy?: (t: string) => string } = {}): void {
  const parse = (t: string) => {
    const lines = hideRunDetails((opts.tidy ?? ((x: string) => x))(t)).split('\n').filter(Boolean).map((l) => {
      // The timeout: `-t N` in -o save lines, else the number after the protocol number.
      const m = /^(-[AUD] -t )(\d+)( .*)$/.exec(l) ?? /^(.*?\s\d+ )(\d+)( .*)$/.exec(l);
      // Events the kernel raises for packets carry a fresh timeout; those of requests, what is left.
      const fresh = /\[(NEW|UPDATE)\]/.test(l) && !l.includes('[USERSPACE]');
      return m ? { key: `${m[1]}T${m[3]}`, timeout: Number(m[2]), exact: fresh } : { key: l, timeout: 0, exact: true };
    });
    const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    if (!opts.ordered) return lines.sort(byKey);
    // Sort each run of lines caused by one netlink request ([USERSPACE]).
    const out: typeof lines = [];
    for (let i = 0; i < lines.length; ) {
      const request = lines[i].key.includes('[USERSPACE]') && !/\[(NEW|UPDATE)\]/.test(lines[i].key);
      let j = i + 1;
      while (request && j < lines.length && lines[j].key.includes('[USERSPACE]') && !/\[(NEW|UPDATE)\]/.test(lines[j].key)) j++;
      out.push(...lines.slice(i, j).sort(byKey));
      i = j;
    }
    return out;
  };
  const r = parse(real);
  const m = parse(model);
  assert.deepEqual(m.map((x) => x.key), r.map((x) => x.key), `${what}: lines`);
  r.forEach((x, i) => {
    const ok = x.exact ? x.timeout === m[i].timeout : Math.abs(x.timeout - m[i].timeout) <= 1;
    assert.ok(ok, `${what}: timeout ${m[i].timeout} vs real ${x.timeout} in ${x.key}`);
  });
}
