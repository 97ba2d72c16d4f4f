// Event-pattern matching, table-driven from AWS's documented examples. Sources:
// [filtering] https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
//             ("Content filtering in Amazon EventBridge event patterns")
// [operators] https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
//             ("Comparison operators for use in event patterns in Amazon EventBridge")
// [patterns]  https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
// [arrays]    https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
// [nulls]     https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html
// [practices] https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-patterns-best-practices.html
// [ruler]     https://github.com/aws/event-ruler README ("Ruler by Example", "JSON Array Matching")
// [recorded] behaviour of TestEventPattern on AWS as recorded by LocalStack's AWS-validated parity tests
//             (localstack/localstack tests/aws/services/events/event_pattern_templates), restated here.
// Where a row says "derived", the expectation follows from the rule the page states, not a literal example.
import { describe, expect, it } from 'vitest';
import { matchesEventPattern } from '../../../local/eventbridge/index.ts';

/** The EC2 example event of [ruler] and [filtering]. */
const ec2Event = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

const withDetail = (detail: Record<string, unknown>): Record<string, unknown> => ({ ...ec2Event, detail });

interface Row {
  name: string;
  pattern: object;
  event: unknown;
  expected: boolean;
}

const table = (rows: Row[]): void => {
  it.each(rows)('$name → $expected', ({ pattern, event, expected }) => {
    expect(matchesEventPattern(pattern, event)).toBe(expected);
  });
};

describe('exact values and arrays of values [ruler "Simple matching"]', () => {
  table([
    {
      name: 'detail-type, resources and one of two states',
      pattern: {
        'detail-type': ['EC2 Instance State-change Notification'],
        resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
        detail: { state: ['initializing', 'running'] },
      },
      event: ec2Event,
      expected: true,
    },
    { name: 'a state not listed', pattern: { detail: { state: ['initializing', 'stopped'] } }, event: ec2Event, expected: false },
    { name: 'matching is case-sensitive [patterns]', pattern: { source: ['AWS.EC2'] }, event: ec2Event, expected: false },
    { name: 'a field the event lacks [patterns]', pattern: { detail: { missing: ['x'] } }, event: ec2Event, expected: false },
    { name: 'number equals number', pattern: { detail: { 'c-count': [5] } }, event: ec2Event, expected: true },
    { name: 'number does not equal the string "5" (derived)', pattern: { detail: { 'c-count': ['5'] } }, event: ec2Event, expected: false },
    { name: 'true matches JSON true only', pattern: { detail: { on: [true] } }, event: withDetail({ on: true }), expected: true },
    { name: 'true does not match "true"', pattern: { detail: { on: [true] } }, event: withDetail({ on: 'true' }), expected: false },
    { name: 'fields not in the pattern are ignored', pattern: { source: ['aws.ec2'] }, event: ec2Event, expected: true },
  ]);
});

describe('arrays in events [arrays], [ruler "JSON Array Matching"]', () => {
  const event = {
    ...ec2Event,
    resources: [
      'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
    ],
  };
  const employees = {
    employees: [
      { firstName: 'John', lastName: 'Doe' },
      { firstName: 'Anna', lastName: 'Smith' },
      { firstName: 'Peter', lastName: 'Jones' },
    ],
  };
  table([
    {
      name: 'pattern and event arrays intersect',
      pattern: { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f', 'arn:aws:ec2:us-east-1:000000000000:instance/i-x'] },
      event,
      expected: true,
    },
    {
      name: 'pattern and event arrays do not intersect',
      pattern: { resources: ['arn:aws:ec2:us-east-1:000000000000:instance/i-x'] },
      event,
      expected: false,
    },
    { name: 'a field inside an array of objects', pattern: { employees: { firstName: ['Anna'] } }, event: employees, expected: true },
    {
      name: 'two fields from different elements (array-consistent)',
      pattern: { employees: { firstName: ['Anna'], lastName: ['Jones'] } },
      event: employees,
      expected: false,
    },
    {
      name: 'two fields from the same element',
      pattern: { employees: { firstName: ['Anna'], lastName: ['Smith'] } },
      event: employees,
      expected: true,
    },
    {
      name: 'multi-level arrays are crushed',
      pattern: { employees: { firstName: ['Peter'] } },
      event: { employees: [[{ firstName: 'John' }, { firstName: 'Anna' }], [{ firstName: 'Peter' }]] },
      expected: true,
    },
  ]);
});

describe('null and empty-string values [nulls]', () => {
  const event = withDetail({ eventVersion: '', responseElements: null });
  table([
    { name: 'null matches a null value', pattern: { detail: { responseElements: [null] } }, event, expected: true },
    { name: '"" matches an empty string', pattern: { detail: { eventVersion: [''] } }, event, expected: true },
    { name: 'null does not match an empty string', pattern: { detail: { eventVersion: [null] } }, event, expected: false },
    { name: '"" does not match null', pattern: { detail: { responseElements: [''] } }, event, expected: false },
    { name: 'null does not match a missing field (derived)', pattern: { detail: { absent: [null] } }, event, expected: false },
  ]);
});

describe('prefix, suffix and equals-ignore-case [filtering], [operators]', () => {
  table([
    {
      name: 'time begins with 2017-10-02',
      pattern: { time: [{ prefix: '2017-10-02' }] },
      event: { ...ec2Event, time: '2017-10-02T18:43:48Z' },
      expected: true,
    },
    { name: 'time begins with 2017-10-03', pattern: { time: [{ prefix: '2017-10-03' }] }, event: ec2Event, expected: false },
    {
      name: 'Region is in the US',
      pattern: { detail: { Region: [{ prefix: 'us-' }] } },
      event: withDetail({ Region: 'us-east-1' }),
      expected: true,
    },
    { name: 'prefix only works on strings', pattern: { detail: { n: [{ prefix: '1' }] } }, event: withDetail({ n: 12 }), expected: false },
    {
      name: 'prefix equals-ignore-case EventB matches eventbridge',
      pattern: { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
      event: withDetail({ service: 'eventbridge' }),
      expected: true,
    },
    {
      name: 'prefix equals-ignore-case EventB matches EVENTBRIDGE',
      pattern: { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
      event: withDetail({ service: 'EVENTBRIDGE' }),
      expected: true,
    },
    { name: 'FileName ends with .png', pattern: { FileName: [{ suffix: '.png' }] }, event: { FileName: 'image.png' }, expected: true },
    {
      name: 'FileName ends with .PNG (suffix is case-sensitive)',
      pattern: { FileName: [{ suffix: '.png' }] },
      event: { FileName: 'image.PNG' },
      expected: false,
    },
    {
      name: 'suffix equals-ignore-case .png matches .PNG',
      pattern: { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
      event: withDetail({ FileName: 'image.PNG' }),
      expected: true,
    },
    { name: 'source ends with ec2 [ruler]', pattern: { source: [{ suffix: 'ec2' }] }, event: ec2Event, expected: true },
    { name: 'equals-ignore-case EC2 [ruler]', pattern: { source: [{ 'equals-ignore-case': 'AWS.EC2' }] }, event: ec2Event, expected: true },
    {
      name: 'equals-ignore-case is not a prefix match',
      pattern: { source: [{ 'equals-ignore-case': 'AWS' }] },
      event: ec2Event,
      expected: false,
    },
  ]);
});

describe('anything-but [filtering], [operators]', () => {
  table([
    {
      name: 'state is anything but initializing (running)',
      pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
      event: ec2Event,
      expected: true,
    },
    {
      name: 'state is anything but initializing (initializing)',
      pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
      event: withDetail({ state: 'initializing' }),
      expected: false,
    },
    {
      name: 'x-limit anything but 123 (301.8)',
      pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
      event: ec2Event,
      expected: true,
    },
    {
      name: 'x-limit anything but 123 (123)',
      pattern: { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
      event: withDetail({ 'x-limit': 123 }),
      expected: false,
    },
    {
      name: 'anything but a list of strings',
      pattern: { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
      event: withDetail({ state: 'overloaded' }),
      expected: false,
    },
    {
      name: 'anything but a list of numbers (200)',
      pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
      event: withDetail({ 'x-limit': 200 }),
      expected: false,
    },
    {
      name: 'anything but a list of numbers (301.8)',
      pattern: { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
      event: ec2Event,
      expected: true,
    },
    {
      name: 'anything-but prefix init (running)',
      pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
      event: ec2Event,
      expected: true,
    },
    {
      name: 'anything-but prefix init (initializing)',
      pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
      event: withDetail({ state: 'initializing' }),
      expected: false,
    },
    {
      name: 'Region is not in the US (eu-west-1)',
      pattern: { Region: [{ 'anything-but': { prefix: 'us-' } }] },
      event: { Region: 'eu-west-1' },
      expected: true,
    },
    {
      name: 'FileName does not end with .png (a.png)',
      pattern: { FileName: [{ 'anything-but': { suffix: '.png' } }] },
      event: { FileName: 'a.png' },
      expected: false,
    },
    {
      name: 'FileName does not end with .png (a.txt)',
      pattern: { FileName: [{ 'anything-but': { suffix: '.png' } }] },
      event: { FileName: 'a.txt' },
      expected: true,
    },
    {
      name: 'anything-but equals-ignore-case initializing (INITIALIZING)',
      pattern: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
      event: { state: 'INITIALIZING' },
      expected: false,
    },
    {
      name: 'anything-but equals-ignore-case list (Stopped)',
      pattern: { state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }] },
      event: { state: 'Stopped' },
      expected: false,
    },
    {
      name: 'FilePath does not include /lib/ (src/lib/a.js)',
      pattern: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
      event: { FilePath: 'src/lib/a.js' },
      expected: false,
    },
    {
      name: 'FilePath does not include /lib/ (src/app/a.js)',
      pattern: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
      event: { FilePath: 'src/app/a.js' },
      expected: true,
    },
    {
      name: 'anything-but needs the field to be present (derived)',
      pattern: { detail: { absent: [{ 'anything-but': 'x' }] } },
      event: ec2Event,
      expected: false,
    },
  ]);
});

describe('numeric [filtering "Numeric matching"]', () => {
  const documented = {
    detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] },
  };
  table([
    { name: 'the documented three-field pattern', pattern: documented, event: ec2Event, expected: true },
    { name: 'c-count 6 is out of (0, 5]', pattern: documented, event: withDetail({ ...ec2Event.detail, 'c-count': 6 }), expected: false },
    { name: 'c-count 0 is out of (0, 5]', pattern: documented, event: withDetail({ ...ec2Event.detail, 'c-count': 0 }), expected: false },
    { name: '>= includes its bound', pattern: { detail: { n: [{ numeric: ['>=', 10] }] } }, event: withDetail({ n: 10 }), expected: true },
    { name: '< excludes its bound', pattern: { detail: { n: [{ numeric: ['<', 10] }] } }, event: withDetail({ n: 10 }), expected: false },
    {
      name: 'numeric needs a JSON number, not "3"',
      pattern: { detail: { n: [{ numeric: ['<', 10] }] } },
      event: withDetail({ n: '3' }),
      expected: false,
    },
    {
      name: 'any element of a number array',
      pattern: { detail: { n: [{ numeric: ['>', 100] }] } },
      event: withDetail({ n: [1, 2, 300] }),
      expected: true,
    },
    {
      name: 'numbers past ±5e9 are not compared (derived)',
      pattern: { detail: { n: [{ numeric: ['>', 0] }] } },
      event: withDetail({ n: 6e9 }),
      expected: false,
    },
    {
      name: '6 decimals are compared exactly',
      pattern: { detail: { n: [{ numeric: ['>', 0.000001] }] } },
      event: withDetail({ n: 0.000002 }),
      expected: true,
    },
    {
      name: 'exact number matches another spelling of it (numeric equality)',
      pattern: { detail: { n: [300] } },
      event: JSON.parse('{"detail":{"n":3.0e2}}'),
      expected: true,
    },
  ]);
});

describe('IP address matching [filtering "IP address matching"]', () => {
  table([
    {
      name: '10.0.0.33 is in 10.0.0.0/24',
      pattern: { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } },
      event: ec2Event,
      expected: true,
    },
    {
      name: '10.0.1.33 is not in 10.0.0.0/24',
      pattern: { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } },
      event: withDetail({ 'source-ip': '10.0.1.33' }),
      expected: false,
    },
    {
      name: 'IPv6 address in 2001:db8::/32',
      pattern: { detail: { sourceIPAddress: [{ cidr: '2001:db8::/32' }] } },
      event: withDetail({ sourceIPAddress: '2001:db8:85a3::8a2e:370:7334' }),
      expected: true,
    },
    {
      name: 'IPv4 address is not in an IPv6 block',
      pattern: { detail: { ip: [{ cidr: '::/0' }] } },
      event: withDetail({ ip: '10.0.0.1' }),
      expected: false,
    },
    {
      name: 'a non-address string is in no block',
      pattern: { detail: { ip: [{ cidr: '0.0.0.0/0' }] } },
      event: withDetail({ ip: 'localhost' }),
      expected: false,
    },
    {
      name: 'an exact IPv6 value matches another spelling of it [ruler CIDR]',
      pattern: { detail: { ip: ['2001:db8::1'] } },
      event: withDetail({ ip: '2001:0db8:0:0:0:0:0:1' }),
      expected: true,
    },
  ]);
});

describe('exists [filtering "Exists matching"]', () => {
  table([
    { name: 'exists true on a present leaf', pattern: { detail: { 'c-count': [{ exists: true }] } }, event: ec2Event, expected: true },
    { name: 'exists false on a present leaf', pattern: { detail: { 'c-count': [{ exists: false }] } }, event: ec2Event, expected: false },
    {
      name: 'exists false when the field is absent',
      pattern: { detail: { 'c-count': [{ exists: false }] } },
      event: withDetail({ state: 'running' }),
      expected: true,
    },
    {
      name: 'exists false when the field holds an object (not a leaf)',
      pattern: { detail: { 'c-count': [{ exists: false }] } },
      event: withDetail({ 'c-count': { c1: 100 } }),
      expected: true,
    },
    {
      name: 'exists true when the field holds an object',
      pattern: { detail: { 'c-count': [{ exists: true }] } },
      event: withDetail({ 'c-count': { c1: 100 } }),
      expected: false,
    },
    {
      name: 'exists false when detail itself is absent (derived)',
      pattern: { detail: { 'c-count': [{ exists: false }] } },
      event: { source: 'x' },
      expected: true,
    },
    {
      name: 'exists true on a null value (derived: null is a value)',
      pattern: { detail: { r: [{ exists: true }] } },
      event: withDetail({ r: null }),
      expected: true,
    },
    {
      name: 'exists false on an empty array (no leaf)',
      pattern: { detail: { r: [{ exists: false }] } },
      event: withDetail({ r: [] }),
      expected: true,
    },
  ]);
});

describe('wildcard [operators "Wildcards"], escaping [ruler "Wildcard matching"]', () => {
  table([
    {
      name: 'EventBusArn with two wildcards',
      pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
      event: { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/myEventBus' },
      expected: true,
    },
    {
      name: 'EventBusArn in another region',
      pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
      event: { EventBusArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/myEventBus' },
      expected: false,
    },
    {
      name: 'Simple*Service matches SimpleQueueService',
      pattern: { source: [{ wildcard: 'Simple*Service' }] },
      event: { source: 'SimpleQueueService' },
      expected: true,
    },
    {
      name: '* matches the empty run',
      pattern: { source: [{ wildcard: 'Simple*Service' }] },
      event: { source: 'SimpleService' },
      expected: true,
    },
    { name: 'escaped \\* is a literal asterisk (match)', pattern: { s: [{ wildcard: 'a\\*b' }] }, event: { s: 'a*b' }, expected: true },
    {
      name: 'escaped \\* is a literal asterisk (no match)',
      pattern: { s: [{ wildcard: 'a\\*b' }] },
      event: { s: 'axxb' },
      expected: false,
    },
    { name: 'escaped \\\\ is a literal backslash', pattern: { s: [{ wildcard: 'a\\\\*' }] }, event: { s: 'a\\tail' }, expected: true },
    { name: 'regex characters are literal', pattern: { s: [{ wildcard: 'a.c*' }] }, event: { s: 'abc' }, expected: false },
    { name: 'wildcard only works on strings', pattern: { n: [{ wildcard: '*' }] }, event: { n: 5 }, expected: false },
  ]);
});

describe('$or [operators "Or"], [ruler "$or"]', () => {
  const cloudwatch = { source: 'aws.cloudwatch', metricName: 'CPUUtilization', namespace: 'AWS/EC2', metricType: 'Other' };
  table([
    {
      name: 'source AND (metricName OR namespace)',
      pattern: {
        source: ['aws.cloudwatch'],
        $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
      },
      event: { ...cloudwatch, metricName: 'Other' },
      expected: true,
    },
    {
      name: 'no alternative matches',
      pattern: { source: ['aws.cloudwatch'], $or: [{ metricName: ['ReadLatency'] }, { namespace: ['AWS/ES'] }] },
      event: cloudwatch,
      expected: false,
    },
    {
      name: 'an alternative with an AND inside',
      pattern: {
        source: ['aws.cloudwatch'],
        $or: [{ metricName: ['ReadLatency'] }, { metricType: ['Other'], namespace: ['AWS/EC2'] }, { scope: ['Service'] }],
      },
      event: cloudwatch,
      expected: true,
    },
    {
      name: '$or inside detail across numeric fields',
      pattern: { detail: { $or: [{ 'c-count': [{ numeric: ['>', 10] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] } },
      event: ec2Event,
      expected: true,
    },
    {
      name: 'parallel $or both need a match',
      pattern: {
        $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/ES'] }],
        detail: { $or: [{ source: ['x'] }, { 'detail-type': ['y'] }] },
      },
      event: { ...cloudwatch, detail: { source: 'z' } },
      expected: false,
    },
  ]);
});

describe('edge cases AWS answers [recorded]', () => {
  table([
    {
      name: 'anything-but a string matches a null value',
      pattern: { detail: { state: [{ 'anything-but': 'initializing' }] } },
      event: withDetail({ state: null }),
      expected: true,
    },
    {
      name: 'anything-but equals-ignore-case list matches a null value',
      pattern: { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }] } },
      event: withDetail({ state: null }),
      expected: true,
    },
    {
      name: 'anything-but prefix matches a number',
      pattern: { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
      event: withDetail({ state: 12 }),
      expected: true,
    },
    {
      name: 'anything-but an empty wildcard matches a non-empty string',
      pattern: { detail: { p: [{ 'anything-but': { wildcard: '' } }] } },
      event: withDetail({ p: 'dir/init/file' }),
      expected: true,
    },
    {
      name: 'cidr does not match a number',
      pattern: { detail: { ip: [{ cidr: '10.0.0.0/24' }] } },
      event: withDetail({ ip: 123 }),
      expected: false,
    },
    {
      name: 'a fully written IPv6 address is in its /64',
      pattern: { detail: { ip: [{ cidr: '2001:db8:1234:1a00::/64' }] } },
      event: withDetail({ ip: '2001:0db8:1234:1a00:0000:0000:0000:0000' }),
      expected: true,
    },
    {
      name: 'prefix "" matches any string (the "all events" pattern)',
      pattern: { source: [{ prefix: '' }] },
      event: ec2Event,
      expected: true,
    },
    {
      name: 'numeric or anything-but: the string "42" is anything but "101"',
      pattern: { n: [{ numeric: ['>', 100] }, { 'anything-but': '101' }] },
      event: { n: '42' },
      expected: true,
    },
    {
      name: 'equals-ignore-case "" matches ""',
      pattern: { detail: { v: [{ 'equals-ignore-case': '' }] } },
      event: withDetail({ v: '' }),
      expected: true,
    },
    {
      name: '[null] does not match an empty array',
      pattern: { resources: [null] },
      event: { ...ec2Event, resources: [] },
      expected: false,
    },
    {
      name: 'exists false below a field that holds a string',
      pattern: { detail: { level1: { level2: { level3: { level4: [{ exists: false }] } } } } },
      event: withDetail({ level1: { level2: 'l2 value' } }),
      expected: true,
    },
    {
      name: 'exists false on a present deep leaf',
      pattern: { detail: { level1: { level2: { level3: { level4: [{ exists: false }] } } } } },
      event: withDetail({ level1: { level2: { level3: { level4: 'l4 value' } } } }),
      expected: false,
    },
    {
      name: 'anything-but or exists false when the parent is absent',
      pattern: { dynamodb: { NewImage: { homemade: { S: [{ 'anything-but': ['roses'] }, { exists: false }] } } } },
      event: { dynamodb: { NewImage: { purchased: { N: '789' } } } },
      expected: true,
    },
  ]);
});

describe('the introductory and best-practice examples [patterns], [practices]', () => {
  const termination = {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '111122223333',
    time: '2017-12-22T18:43:48Z',
    region: 'us-west-1',
    resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
    detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
  };
  const terminations = {
    source: ['aws.ec2'],
    'detail-type': ['EC2 Instance State-change Notification'],
    detail: { state: ['terminated'] },
  };
  const cloudTrail = {
    'detail-type': ['AWS API Call via CloudTrail'],
    $or: [
      { source: ['aws.sqs'], detail: { eventName: ['CreateQueue', 'SetQueueAttributes'] } },
      { source: ['aws.kms'], detail: { eventName: ['CreateKey', 'DisableKeyRotation'] } },
    ],
  };
  const apiCall = (source: string, eventName: string) => ({ 'detail-type': 'AWS API Call via CloudTrail', source, detail: { eventName } });
  table([
    { name: 'EC2 instance-termination events: a termination', pattern: terminations, event: termination, expected: true },
    {
      name: 'EC2 instance-termination events: a start',
      pattern: terminations,
      event: { ...termination, detail: { ...termination.detail, state: 'running' } },
      expected: false,
    },
    { name: '$or per service: SQS CreateQueue', pattern: cloudTrail, event: apiCall('aws.sqs', 'CreateQueue'), expected: true },
    {
      name: '$or per service: KMS DisableKeyRotation',
      pattern: cloudTrail,
      event: apiCall('aws.kms', 'DisableKeyRotation'),
      expected: true,
    },
    {
      name: '$or per service: KMS CreateQueue (names do not cross services)',
      pattern: cloudTrail,
      event: apiCall('aws.kms', 'CreateQueue'),
      expected: false,
    },
  ]);
});

describe('the documented complex example [filtering "Complex example with multiple matching"]', () => {
  const pattern = {
    time: [{ prefix: '2017-10-02' }],
    detail: {
      state: [{ 'anything-but': 'initializing' }],
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ 'anything-but': [100, 200, 300] }],
      'source-ip': [{ cidr: '10.0.0.0/8' }],
    },
  };
  table([
    { name: 'the example event', pattern, event: ec2Event, expected: true },
    { name: 'the example event on another day', pattern, event: { ...ec2Event, time: '2017-10-03T00:00:00Z' }, expected: false },
    {
      name: 'the example event from 11.0.0.1',
      pattern,
      event: withDetail({ ...ec2Event.detail, 'source-ip': '11.0.0.1' }),
      expected: false,
    },
  ]);
});

describe('the rule this project deploys (infra/ReservationAggregate.ts)', () => {
  it('matches the reservation source and nothing else', () => {
    const pattern = '{"source":["app.reservation"]}';
    expect(matchesEventPattern(pattern, { source: 'app.reservation', detail: {} })).toBe(true);
    expect(matchesEventPattern(pattern, { source: 'app.reservations', detail: {} })).toBe(false);
  });
});
