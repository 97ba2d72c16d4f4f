/**
 * A dotted key and a nested key are the same field: AWS's matcher (aws/event-ruler) names every field by
 * its path joined with ".", so {"detail":{"vm.power":["on"]}} matches {"detail":{"vm":{"power":"on"}}} and
 * the other way round (issue 12, item 7). TestEventPattern, rules and pipe filters share this matcher.
 */
import { describe, expect, it } from 'vitest';
import { matchesEventPattern, testEventPattern } from '../../../local/eventbridge/index.ts';

const envelope = {
  id: '1',
  account: '123456789012',
  source: 'app.vm',
  time: '2024-01-01T00:00:00Z',
  region: 'us-east-1',
  'detail-type': 'VmChanged',
  resources: [],
};
const test = (pattern: unknown, detail: unknown) =>
  testEventPattern({ EventPattern: JSON.stringify(pattern), Event: JSON.stringify({ ...envelope, detail }) }).Result;

describe('a dotted key', () => {
  it('in the pattern matches the nested field of the event', () => {
    expect(test({ detail: { 'vm.power': ['on'] } }, { vm: { power: 'on' } })).toBe(true);
    expect(test({ detail: { 'vm.power': ['on'] } }, { vm: { power: 'off' } })).toBe(false);
  });

  it('in the event is matched by the nested field of the pattern', () => {
    expect(test({ detail: { vm: { power: ['on'] } } }, { 'vm.power': 'on' })).toBe(true);
    expect(test({ detail: { vm: { power: ['on'] } } }, { 'vm.power': 'off' })).toBe(false);
  });

  it('reaches across levels: a top-level "detail.vm.power" is the same field', () => {
    expect(test({ 'detail.vm.power': ['on'] }, { vm: { power: 'on' } })).toBe(true);
  });

  it('and a nested key naming the same object make one sub-pattern (both must hold)', () => {
    const pattern = { detail: { 'vm.power': ['on'], vm: { state: ['ready'] } } };
    expect(test(pattern, { vm: { power: 'on', state: 'ready' } })).toBe(true);
    expect(test(pattern, { vm: { power: 'on', state: 'booting' } })).toBe(false);
    expect(test(pattern, { 'vm.power': 'on', vm: { state: 'ready' } })).toBe(true);
  });

  it('keeps array consistency: the fields of one sub-pattern come from one array element', () => {
    const pattern = { detail: { 'vms.power': ['on'], vms: { state: ['ready'] } } };
    expect(test(pattern, { vms: [{ power: 'on', state: 'ready' }] })).toBe(true);
    expect(
      test(pattern, {
        vms: [
          { power: 'on', state: 'booting' },
          { power: 'off', state: 'ready' },
        ],
      }),
    ).toBe(false);
  });

  it('leaves the event it matches unchanged', () => {
    const event = { detail: { 'vm.power': 'on', vm: { state: 'ready' } } };
    const copy = structuredClone(event);
    expect(matchesEventPattern({ detail: { vm: { power: ['on'], state: ['ready'] } } }, event)).toBe(true);
    expect(event).toEqual(copy);
  });
});
