import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from './session.ts';

function sink() {
  const out: { text: string; stdout(t: string): void; stderr(t: string): void } = { text: '', stdout: (t: string) => void (out.text += t), stderr: (t: string) => void (out.text += t) };
  return out;
}

test('a state file brings back devices, addresses, rules and files exactly, MACs included', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'podlab-session-'));
  try {
    const file = join(dir, 'state.json');
    const a = sink();
    const s1 = await Session.open(file, a, 5);
    await s1.run('ip link add br0 type bridge && ip addr add 10.1.0.1/24 dev br0 && ip link set br0 up');
    await s1.run('iptables -t nat -A POSTROUTING -s 10.1.0.0/24 -j MASQUERADE; echo kept > /root/f');
    a.text = '';
    await s1.run('ip -br link show br0; ip route; iptables-save -t nat | grep MASQ; cat /root/f');
    s1.save(file);
    const first = a.text;
    const b = sink();
    const s2 = await Session.open(file, b);
    assert.equal(b.text, '', 'the replay is silent');
    await s2.run('ip -br link show br0; ip route; iptables-save -t nat | grep MASQ; cat /root/f');
    assert.equal(b.text, first);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
