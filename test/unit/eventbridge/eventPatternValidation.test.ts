// Patterns AWS refuses, and TestEventPattern's request validation. The reasons reuse the wording of
// aws/event-ruler's JsonRuleCompiler (EventBridge's matcher); TestEventPattern's shapes are from
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TestEventPattern.html
import { describe, expect, it } from 'vitest';
import { compileEventPattern, EventBridgeError, matchesEventPattern, testEventPattern } from '../../../local/eventbridge/index.ts';

function refusal(pattern: string): EventBridgeError {
  try {
    compileEventPattern(pattern);
  } catch (error) {
    return error as EventBridgeError;
  }
  throw new Error(`pattern was accepted: ${pattern}`);
}

describe('compileEventPattern refuses what AWS refuses', () => {
  it.each([
    { pattern: '["source"]', reason: 'Filter is not an object' },
    { pattern: '{"source":"aws.ec2"}', reason: '"source" must be an object or an array' },
    { pattern: '{}', reason: 'Empty objects are not allowed' },
    { pattern: '{"detail":{}}', reason: 'Empty objects are not allowed' },
    { pattern: '{"source":[]}', reason: 'Empty arrays are not allowed' },
    { pattern: '{"source":[["a"]]}', reason: 'Match value must be String, number, true, false, or null' },
    { pattern: '{"source":[{}]}', reason: 'Match expression name not found' },
    { pattern: '{"source":[{"prefix":"a","suffix":"b"}]}', reason: 'Only one key allowed in match expression' },
    { pattern: '{"source":[{"regex":"a.*"}]}', reason: 'Unrecognized match type regex' },
    { pattern: '{"source":[{"prefix":1}]}', reason: 'prefix match pattern must be a string' },
    { pattern: '{"source":[{"prefix":{"wildcard":"a"}}]}', reason: 'Unsupported prefix pattern: wildcard' },
    { pattern: '{"source":[{"suffix":{"equals-ignore-case":2}}]}', reason: 'equals-ignore-case match pattern must be a string' },
    { pattern: '{"source":[{"equals-ignore-case":["a"]}]}', reason: 'equals-ignore-case match pattern must be a string' },
    { pattern: '{"source":[{"wildcard":"a**b"}]}', reason: 'Consecutive wildcard characters at pos 2' },
    { pattern: '{"source":[{"wildcard":"a\\\\b"}]}', reason: 'Invalid escape character at pos 2' },
    { pattern: '{"source":[{"anything-but":null}]}', reason: 'Value of anything-but must be an array or single string/number value.' },
    {
      pattern: '{"source":[{"anything-but":["a",1]}]}',
      reason: 'Inside anything but list, either all values are number or string, mixed type is not supported',
    },
    { pattern: '{"source":[{"anything-but":[true]}]}', reason: 'Inside anything but list, start|null|boolean is not supported.' },
    { pattern: '{"source":[{"anything-but":{"numeric":[">",1]}}]}', reason: 'Unsupported anything-but pattern: numeric' },
    { pattern: '{"source":[{"anything-but":{"prefix":""}}]}', reason: 'Null prefix/suffix not allowed' },
    { pattern: '{"source":[{"anything-but":{"suffix":[1]}}]}', reason: 'prefix/suffix match pattern must be a string' },
    { pattern: '{"source":[{"anything-but":{"wildcard":"**"}}]}', reason: 'Consecutive wildcard characters at pos 1' },
    { pattern: '{"n":[{"numeric":">"}]}', reason: 'Value of numeric must be an array.' },
    { pattern: '{"n":[{"numeric":["!=",1]}]}', reason: 'Unrecognized numeric range operator: !=' },
    { pattern: '{"n":[{"numeric":[">","1"]}]}', reason: 'Value of > must be numeric' },
    { pattern: '{"n":[{"numeric":["=",1,"<",2]}]}', reason: 'Too many elements in numeric expression' },
    { pattern: '{"n":[{"numeric":[">",1,">",2]}]}', reason: 'Bad numeric range operator: >' },
    { pattern: '{"n":[{"numeric":[">",5,"<",1]}]}', reason: 'Bottom must be less than top' },
    { pattern: '{"n":[{"numeric":["<",6e9]}]}', reason: 'Value must be between -5.0E9 and 5.0E9, inclusive' },
    { pattern: '{"n":[{"numeric":[">",5e9]}]}', reason: 'Bottom must be less than top' },
    { pattern: '{"n":[{"numeric":["=",0.1234567]}]}', reason: 'Only values upto 6 decimals are supported: 0.1234567' },
    { pattern: '{"n":[{"anything-but":[1e10]}]}', reason: 'Value must be between -5.0E9 and 5.0E9, inclusive' },
    { pattern: '{"n":[{"exists":"yes"}]}', reason: 'exists match pattern must be either true or false.' },
    { pattern: '{"ip":[{"cidr":"10.0.0.0"}]}', reason: "Malformed CIDR, one '/' required: 10.0.0.0" },
    { pattern: '{"ip":[{"cidr":"10.0.0.256/8"}]}', reason: 'Invalid IP address in CIDR: 10.0.0.256/8' },
    { pattern: '{"ip":[{"cidr":"10.0.0.0/33"}]}', reason: 'Invalid CIDR prefix length: 10.0.0.0/33' },
    {
      pattern: '{"EventBusArn":[{"wildcard":"*:*:*:*:*:event-bus/*"}]}',
      reason: 'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character',
    },
    {
      pattern: '{"f":[{"anything-but":{"wildcard":["*a*a*a*a*a"]}}]}',
      reason: 'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character',
    },
    { pattern: '{"$or":{"a":["b"]}}', reason: 'It must be an Array followed with $or.' },
    { pattern: '{"$or":[{"a":["b"]}]}', reason: 'There must have at least 2 Objects in $or relationship.' },
    { pattern: '{"$or":[{"a":["b"]},"c"]}', reason: 'Only JSON object is allowed in array of $or relationship.' },
    { pattern: '{"$or":[{"a":["b"]},{"numeric":[1]}]}', reason: 'numeric is Ruler reserved fieldName which cannot be used inside $or.' },
  ])('$pattern: $reason', ({ pattern, reason }) => {
    const error = refusal(pattern);
    expect(error.code).toBe('InvalidEventPatternException');
    expect(error.reason).toBe(reason);
    expect(error.message).toMatch(/^Event pattern is not valid\. Reason: /);
  });

  it('says where in the pattern the problem is', () => {
    expect(refusal('{"detail":{"state":"running"}}').message).toBe(
      'Event pattern is not valid. Reason: "state" must be an object or an array at detail.state',
    );
  });

  it('accepts the documented wildcard patterns, which are not too complex', () => {
    for (const wildcard of ['arn:aws:events:us-east-1:*:event-bus/*', '*/lib/*', 'Simple*Service', 'dir/*.png']) {
      expect(() => compileEventPattern({ f: [{ wildcard }] })).not.toThrow();
    }
  });

  it('refuses text that is not JSON', () => {
    expect(refusal('{source:').code).toBe('InvalidEventPatternException');
  });

  it('throws for an invalid pattern rather than answering false', () => {
    expect(() => matchesEventPattern({ source: 'x' }, { source: 'x' })).toThrow(/must be an object or an array/);
  });
});

describe('testEventPattern (the TestEventPattern API)', () => {
  const event = {
    id: 'e1',
    account: '123456789012',
    source: 'app.reservation',
    time: '2026-01-01T00:00:00Z',
    region: 'us-east-1',
    'detail-type': 'ReservationRequested',
    detail: { nights: 3 },
  };

  it('answers { Result: true } for a match', () => {
    expect(testEventPattern({ EventPattern: '{"detail":{"nights":[{"numeric":[">",2]}]}}', Event: JSON.stringify(event) })).toEqual({
      Result: true,
    });
  });

  it('answers { Result: false } for no match', () => {
    expect(testEventPattern({ EventPattern: '{"source":["app.other"]}', Event: JSON.stringify(event) })).toEqual({ Result: false });
  });

  it('accepts an event without resources (the service does, whatever the reference says)', () => {
    expect(testEventPattern({ EventPattern: '{"source":["app.reservation"]}', Event: JSON.stringify(event) }).Result).toBe(true);
  });

  it.each(['id', 'account', 'source', 'time', 'region', 'detail-type'])('refuses an event without %s', (field) => {
    const partial: Record<string, unknown> = { ...event };
    delete partial[field];
    try {
      testEventPattern({ EventPattern: '{"source":["app.reservation"]}', Event: JSON.stringify(partial) });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'ValidationException', message: 'Parameter Event is not valid.' });
      expect((error as EventBridgeError).reason).toContain(field);
    }
  });

  it('refuses an event that is not JSON, or not an object', () => {
    for (const text of ['{', '[]', '"x"']) {
      expect(() => testEventPattern({ EventPattern: '{"source":["a"]}', Event: text })).toThrow('Parameter Event is not valid.');
    }
  });

  it('refuses an invalid pattern with InvalidEventPatternException', () => {
    expect(() => testEventPattern({ EventPattern: '{"source":"a"}', Event: JSON.stringify(event) })).toThrow(
      expect.objectContaining({ code: 'InvalidEventPatternException' }),
    );
  });

  it('refuses a pattern longer than 4096 characters', () => {
    const long = JSON.stringify({ source: ['x'.repeat(4100)] });
    expect(() => testEventPattern({ EventPattern: long, Event: JSON.stringify(event) })).toThrow(
      expect.objectContaining({ code: 'ValidationException' }),
    );
  });
});
