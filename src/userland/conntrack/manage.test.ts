// Entries made and changed by hand, against the real conntrack and kernel: -I, -A, -U, -G, -D
// and -F in a fresh namespace print and exit as they do on the model, and a conntrack -E
// running meanwhile reports the same events (with [USERSPACE] for the requests).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { realUnavailable, withNetns } from '../../../test/support/real.ts';
import { testTable } from '../../kernel/conntrack/testing.ts';
import { runConntrack, sameLines, splitWords } from './testing.ts';

const skip = realUnavailable() ?? (spawnSync('conntrack', ['-V']).status !== 0 ? 'the real conntrack is not installed (apt-get install conntrack)' : undefined);

const STEPS = [
  '-I -p tcp -s 1.2.3.4 -d 1.2.3.5 --sport 1 --dport 2 --state ESTABLISHED -t 50 -u ASSURED',
  '-L',
  '-I -p tcp -s 1.2.3.4 -d 1.2.3.5 --sport 1 --dport 2 --state ESTABLISHED -t 50',
  '-U -s 1.2.3.4 -m 7 -t 99',
  '-U -s 1.2.3.4 -m 7',
  '-U -s 1.2.3.4 -u SEEN_REPLY',
  '-I -p udp -s 1.2.3.4 -d 1.2.3.5 --sport 1 --dport 2 -t 50 -n 9.9.9.9',
  '-I -p tcp -s 1.2.3.6 -d 1.2.3.5 --sport 3 --dport 4 --state SYN_SENT -t 120 -g 10.0.0.1:8080',
  '-L -o save',
  '-A -p udp -s 1.2.3.4 -d 1.2.3.5 --sport 1 --dport 2 -t 70',
  '-I -p icmp -s 1.2.3.4 -d 1.2.3.5 --icmp-type 8 --icmp-code 0 --icmp-id 5 -t 20',
  '-L -p icmp',
  '-L -m 7',
  '-L -n',
  '-L -g',
  '-G -p udp -s 1.2.3.4 -d 1.2.3.5 --sport 1 --dport 2',
  '-G -p tcp -r 10.0.0.1 -q 1.2.3.6 --reply-port-src 8080 --reply-port-dst 3',
  '-G -p tcp -s 1.2.3.6 -d 1.2.3.5 --sport 3 --dport 4',
  '-G -p tcp -s 10.0.0.1 -d 1.2.3.6 --sport 8080 --dport 3',
  '-I -p tcp -s 1.2.3.7 -d 1.2.3.5 --sport 3 --dport 4 --state SYN_SENT -t 120 -r 1.2.3.5 -q 1.2.3.7 --reply-port-src 5 --reply-port-dst 6',
  '-L -p tcp --state SYN_SENT',
  '-D -p icmp',
  '-D -p icmp',
  '-C',
  '-F',
  '-L',
];

test('entries made by hand: conntrack -I/-A/-U/-G/-D/-F and the events they cause, as on the real kernel', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'podlab-ct-'));
  try {
    const real = withNetns((ns) => {
      const script = [
        'iptables -A INPUT -m conntrack --ctstate INVALID',
        `conntrack -E >${dir}/events 2>${dir}/events.err & EV=$!`,
        'sleep 0.3',
        ...STEPS.map((s, i) => `conntrack ${s} >${dir}/${i}.out 2>${dir}/${i}.err; echo $? >${dir}/${i}.rc`),
        'sleep 0.2',
        'kill -INT $EV; wait $EV',
      ].join('\n');
      assert.equal(ns.run(script).status, 0);
      const read = (f: string) => readFileSync(join(dir, f), 'utf8');
      return {
        steps: STEPS.map((_, i) => ({ stdout: read(`${i}.out`), stderr: read(`${i}.err`), status: Number(read(`${i}.rc`)) })),
        events: read('events'),
        eventsErr: read('events.err'),
      };
    });
    const t = testTable({ listen: false });
    const stop = new AbortController();
    const watching = runConntrack(t.ct, ['conntrack', '-E'], { signal: stop.signal });
    for (const [i, step] of STEPS.entries()) {
      const sim = await runConntrack(t.ct, ['conntrack', ...splitWords(step)]);
      const r = real.steps[i];
      sameLines(r.stdout, sim.stdout, `conntrack ${step}`);
      assert.equal(sim.stderr, r.stderr, `stderr of conntrack ${step}`);
      assert.equal(sim.status, r.status, `status of conntrack ${step}`);
    }
    stop.abort();
    const events = await watching;
    sameLines(real.events, events.stdout, 'conntrack -E', { ordered: true });
    assert.equal(events.stderr, real.eventsErr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
