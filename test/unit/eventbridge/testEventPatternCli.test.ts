// The test-event-pattern CLI, run as `npm run test-event-pattern` runs it (tsx), on temporary files.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliProcess } from '../../helpers/cliProcess.ts';

const { dir, file, run } = useCliProcess('local/bin/test-event-pattern.ts', 'test-event-pattern-');

const event = file('event.json', {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'ReservationRequested',
  source: 'app.reservation',
  account: '111122223333',
  time: '2026-01-01T00:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: { nights: 3 },
});

describe('test-event-pattern CLI', () => {
  it('prints { "Result": true } and exits 0 for a match', () => {
    const out = run(
      '--pattern',
      file('match.json', { source: ['app.reservation'], detail: { nights: [{ numeric: ['<=', 30] }] } }),
      '--event',
      event,
    );
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ Result: true });
  });

  it('prints { "Result": false } and exits 0 for no match', () => {
    const out = run('--pattern', file('nomatch.json', { source: ['app.other'] }), '--event', `file://${event}`);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ Result: false });
  });

  it('exits 1 with the reason for an invalid pattern', () => {
    const out = run('--pattern', file('bad.json', { source: [{ wildcard: 'a**' }] }), '--event', event);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain('InvalidEventPatternException');
    expect(out.stderr).toContain('Consecutive wildcard characters');
  });

  it('exits 1 for an event without the mandatory fields', () => {
    const out = run('--pattern', file('ok.json', { source: ['x'] }), '--event', file('thin.json', { source: 'x' }));
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('Parameter Event is not valid.');
    expect(out.stderr).toContain('id, account');
  });

  it('exits 2 for bad usage', () => {
    expect(run('--pattern', file('p.json', { source: ['x'] })).code).toBe(2);
    expect(run('--pattern', join(dir, 'missing.json'), '--event', event).code).toBe(2);
    expect(run('--colour', 'red').code).toBe(2);
  });
});
