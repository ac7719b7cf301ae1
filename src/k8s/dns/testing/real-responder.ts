/**
 * Test support: the cluster DNS server's answers on real sockets, so the real dig and nslookup
 * can query it (run inside a throw-away network namespace by the differential tests):
 * `node --import tsx real-responder.ts FIXTURE.json [ADDR]` serves UDP and TCP port 53 on ADDR
 * (127.0.0.1) with the records of the fixture, prints `ready` and runs until killed.
 */
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { respond } from '../respond.ts';
import { fixturePlugin, type Fixture } from './fixture.ts';

const [file, addr = '127.0.0.1'] = process.argv.slice(2);
const fixture = JSON.parse(readFileSync(file, 'utf8')) as Fixture;
const plugin = fixturePlugin(fixture);

const udp = createSocket('udp4');
udp.on('message', (msg, rinfo) => {
  const reply = respond(plugin, msg, { tcp: false });
  if (reply) udp.send(reply, rinfo.port, rinfo.address);
});

const tcp = createServer((sock) => {
  let buf = Buffer.alloc(0);
  sock.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
      const len = buf.readUInt16BE(0);
      const reply = respond(plugin, buf.subarray(2, 2 + len), { tcp: true });
      buf = buf.subarray(2 + len);
      if (!reply) continue;
      const head = Buffer.alloc(2);
      head.writeUInt16BE(reply.length);
      sock.write(Buffer.concat([head, reply]));
    }
  });
  sock.on('error', () => sock.destroy());
});

udp.bind(53, addr, () => tcp.listen(53, addr, () => console.log('ready')));
