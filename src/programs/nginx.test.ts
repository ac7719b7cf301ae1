/** nginx as the image runs it: the default page and headers, error pages, keep-alive rules, access log, process titles. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NGINX_INDEX } from './nginx.ts';
import { podLab } from './testing.ts';

const D = 'Date: Mon, 01 Jan 2024 00:00:00 GMT\r\n';

test('GET / is the 615-byte welcome page with nginx 1.25 headers in nginx order', async () => {
  const l = await podLab();
  await l.start(['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;'], { hostname: 'web' });
  const r = await l.exec('p2', 'curl', '-si', 'http://10.0.0.1/');
  assert.equal(NGINX_INDEX.length, 615);
  assert.equal(
    r.stdout,
    `HTTP/1.1 200 OK\r\nServer: nginx/1.25.3\r\n${D}Content-Type: text/html\r\nContent-Length: 615\r\n` +
      `Last-Modified: Tue, 24 Oct 2023 13:46:47 GMT\r\nConnection: keep-alive\r\nETag: "6537cac7-267"\r\nAccept-Ranges: bytes\r\n\r\n${NGINX_INDEX}`,
  );
});

test('other paths get the 404 page, other methods 405; HTTP/1.0 without keep-alive closes', async () => {
  const l = await podLab();
  await l.start(['nginx', '-g', 'daemon off;']);
  const nf = await l.exec('p2', 'curl', '-si', 'http://10.0.0.1/missing');
  const page404 = '<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n';
  assert.equal(nf.stdout, `HTTP/1.1 404 Not Found\r\nServer: nginx/1.25.3\r\n${D}Content-Type: text/html\r\nContent-Length: 153\r\nConnection: keep-alive\r\n\r\n${page404}`);
  const post = await l.exec('p2', 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', '-d', 'x=1', 'http://10.0.0.1/');
  assert.equal(post.stdout, '405');
  const v10 = await l.exec('p2', 'sh', '-c', "printf 'HEAD / HTTP/1.0\\r\\n\\r\\n' | nc 10.0.0.1 80");
  assert.match(v10.stdout, /^HTTP\/1\.1 200 OK\r\n[^]*Connection: close\r\n[^]*\r\n\r\n$/);
});

test('the entrypoint prints its configuration notices, nginx its startup notices (stderr) and access log lines (stdout)', async () => {
  const l = await podLab();
  const p = await l.start(['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;']);
  await l.exec('p2', 'curl', '-s', '-A', 'probe/1', 'http://10.0.0.1/');
  const out = p.out().split('\n');
  assert.equal(out[0], '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration');
  assert.equal(out[8], '/docker-entrypoint.sh: Configuration complete; ready for start up');
  assert.equal(out[9], '10.0.0.2 - - [01/Jan/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 615 "-" "probe/1" "-"');
  assert.match(p.err(), /^2024\/01\/01 00:00:00 \[notice\] 1#1: using the "epoll" event method\n2024\/01\/01 00:00:00 \[notice\] 1#1: nginx\/1\.25\.3\n/);
});

test('ps shows the master process title and a worker; killing it closes port 80', async () => {
  const l = await podLab();
  const p = await l.start(['nginx', '-g', 'daemon off;']);
  await l.exec('p1', 'true');
  const ps = await l.exec('p1', 'ps', '-eo', 'user,args');
  assert.match(ps.stdout, /root +nginx: master process nginx -g daemon off;\n101 +nginx: worker process\n/);
  p.proc.kill();
  assert.equal((await l.exec('p2', 'curl', '-s', 'http://10.0.0.1/')).code, 7);
  assert.doesNotMatch((await l.exec('p1', 'ps', '-eo', 'args')).stdout, /nginx/);
});
