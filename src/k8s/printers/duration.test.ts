// Unit tests of HumanDuration and timestamp ages against upstream's test vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration, translateTimestampSince } from './duration.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

test('humanDuration matches the upstream test vectors of apimachinery duration_test.go', () => {
  const vectors: [number, string][] = [
    [1 * S, '1s'], [70 * S, '70s'], [119.999 * S, '119s'], [2 * M, '2m'], [2 * M + 1 * S, '2m1s'], [190 * S, '3m10s'],
    [9 * M + 59.999 * S, '9m59s'], [10 * M, '10m'], [10 * M + 1 * S, '10m'], [70 * M, '70m'], [179 * M + 59 * S, '179m'],
    [3 * H, '3h'], [3 * H + 1 * M, '3h1m'], [7 * H + 59 * M, '7h59m'], [8 * H, '8h'], [8 * H + 59 * M, '8h'], [47 * H, '47h'],
    [48 * H, '2d'], [49 * H, '2d1h'], [7 * D + 23 * H, '7d23h'], [8 * D, '8d'], [8 * D + 23 * H, '8d'], [367 * D, '367d'],
    [729 * D, '729d'], [2 * Y, '2y'], [2 * Y + 25 * H, '2y1d'], [7 * Y + 364 * D, '7y364d'], [8 * Y, '8y'],
  ];
  for (const [ms, want] of vectors) assert.equal(humanDuration(ms), want, `${ms} ms`);
});

test('humanDuration shows the ages of the seed transcripts: 6s, 35m, 15h, 6d', () => {
  assert.equal(humanDuration(6 * S), '6s');
  assert.equal(humanDuration(35 * M), '35m');
  assert.equal(humanDuration(15 * H), '15h');
  assert.equal(humanDuration(6 * D), '6d');
});

test('humanDuration tolerates a second of clock skew and calls anything more <invalid>', () => {
  assert.equal(humanDuration(-999), '0s');
  assert.equal(humanDuration(-1 * S), '0s');
  assert.equal(humanDuration(-1.5 * S), '0s');
  assert.equal(humanDuration(-2 * S), '<invalid>');
  assert.equal(humanDuration(0), '0s');
});

test('translateTimestampSince is <unknown> for an unset or zero timestamp and an age otherwise', () => {
  const now = Date.parse('2026-01-15T12:00:00Z');
  assert.equal(translateTimestampSince(undefined, now), '<unknown>');
  assert.equal(translateTimestampSince('0001-01-01T00:00:00Z', now), '<unknown>');
  assert.equal(translateTimestampSince('2026-01-15T11:25:00Z', now), '35m');
  assert.equal(translateTimestampSince('2026-01-15T11:59:59.500000Z', now), '0s');
});
