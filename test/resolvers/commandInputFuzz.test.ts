/**
 * Fuzzing the command resolvers' input (fast-check): the deployed
 * createReservation and cancelReservation pipelines, run by the APPSYNC_JS
 * engine over stub data sources (an empty stream, no claimed nights, a
 * recording bus), answer any input either PENDING (publishing its event) or
 * with one clear error listing every rule the input breaks, as an independent
 * oracle computes them; never a crash, never a Code error, never a publish
 * alongside an error.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { identityOf, noneDataSource, type DataSource, type ResolverResult } from '../../local/index.ts';
import { LocalGraphqlApi } from '../../local/index.ts';
import { readCoreAssembly } from '../../dev/localCore.ts';

const published: { detailType: string; detail: Record<string, unknown> }[] = [];
let api: LocalGraphqlApi;

/** DynamoDB as an empty event store: no stream items, no room-night claims. */
function emptyStore(tableName: string): DataSource {
  return {
    invoke(request) {
      const { operation } = request as { operation: string };
      switch (operation) {
        case 'Query':
          return Promise.resolve({ result: { items: [], nextToken: null, scannedCount: 0 } });
        case 'BatchGetItem':
          return Promise.resolve({ result: { data: { [tableName]: [] }, unprocessedKeys: { [tableName]: [] } } });
        case 'GetItem':
          return Promise.resolve({ result: null });
        default:
          return Promise.reject(new Error(`The command pipelines should not ${operation} while deciding.`));
      }
    },
  };
}

const recordingBus: DataSource = {
  invoke(request) {
    const { events } = request as { events: typeof published };
    published.push(...events);
    return Promise.resolve({ result: { Entries: events.map((_, index) => ({ EventId: `event-${index}` })), FailedEntryCount: 0 } });
  },
};

/** An HTTP data source (e.g. a scheduler) that accepts every request. */
const acceptingHttp: DataSource = { invoke: () => Promise.resolve({ result: { statusCode: 200, body: '{}' } }) };

beforeAll(() => {
  const model = readCoreAssembly(inject('cdkOut')).apis[0]!;
  const dataSources: Record<string, DataSource> = {};
  for (const source of Object.values(model.dataSources)) {
    dataSources[source.name] =
      source.type === 'AMAZON_DYNAMODB'
        ? emptyStore(source.tableName ?? '')
        : source.type === 'AMAZON_EVENTBRIDGE'
          ? recordingBus
          : source.type === 'HTTP'
            ? acceptingHttp
            : noneDataSource;
  }
  api = new LocalGraphqlApi(model, { apiKey: 'fuzz', accountId: '123456789012', dataSources });
});

async function call(
  field: 'createReservation' | 'cancelReservation',
  input: Record<string, unknown>,
  identity: unknown = null,
): Promise<ResolverResult> {
  published.length = 0;
  return api
    .resolverOf('Mutation', field)!
    .resolve({ arguments: { input }, identity, request: { headers: {} }, env: api.model.environment });
}

// --- The oracle: the rules, written again independently of functions/reservation -------------------

const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/i;
const IDENTIFIER = /^[A-Za-z0-9._:-]{1,128}$/;

function dayNumber(date: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (days === undefined || day < 1 || day > days) return undefined;
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  return Math.round(utc.getTime() / 86_400_000);
}

function expectedCreateRules(
  input: Record<string, unknown>,
): { errorType: 'ValidationError' | 'BusinessRuleViolation'; rules: string[] } | undefined {
  const invalid = [
    ...(input.id != null && !ULID.test(String(input.id)) ? ['InvalidId'] : []),
    ...(input.commandId != null && !IDENTIFIER.test(String(input.commandId)) ? ['InvalidCommandId'] : []),
    ...(!IDENTIFIER.test(String(input.userId)) ? ['InvalidUserId'] : []),
    ...(!IDENTIFIER.test(String(input.roomId)) ? ['InvalidRoomId'] : []),
    ...(dayNumber(String(input.dateStart)) === undefined ? ['InvalidDateStart'] : []),
    ...(dayNumber(String(input.dateEnd)) === undefined ? ['InvalidDateEnd'] : []),
  ];
  if (invalid.length > 0) return { errorType: 'ValidationError', rules: invalid };
  const start = dayNumber(String(input.dateStart))!;
  const nights = dayNumber(String(input.dateEnd))! - start;
  const today = dayNumber(new Date().toISOString().slice(0, 10))!;
  const broken = [
    ...(nights < 1 ? ['DateRangeInvalid'] : []),
    ...(start < today ? ['DateStartInPast'] : []),
    ...(nights > 30 ? ['StayTooLong'] : []),
  ];
  return broken.length > 0 ? { errorType: 'BusinessRuleViolation', rules: broken } : undefined;
}

function expectedCancelRules(input: Record<string, unknown>): { errorType: 'ValidationError' | 'NotFound'; rules: string[] } {
  const invalid = [
    ...(!ULID.test(String(input.id)) ? ['InvalidId'] : []),
    ...(input.commandId != null && !IDENTIFIER.test(String(input.commandId)) ? ['InvalidCommandId'] : []),
    ...(typeof input.reason === 'string' && input.reason.length > 500 ? ['ReasonTooLong'] : []),
  ];
  // Nothing is stored in the stub: a well-formed cancel names no reservation.
  return invalid.length > 0 ? { errorType: 'ValidationError', rules: invalid } : { errorType: 'NotFound', rules: ['ReservationNotFound'] };
}

function assertRefusal(result: ResolverResult, expected: { errorType: string; rules: string[] }): void {
  expect(result.data).toBeNull();
  expect(result.errors).toHaveLength(1);
  const [error] = result.errors;
  expect(error).toMatchObject({ errorType: expected.errorType, message: expect.stringMatching(/\S/) });
  const violations = (error!.errorInfo as { violations: { rule: string; message: string }[] }).violations;
  expect(violations.every((violation) => typeof violation.message === 'string' && violation.message.length > 0)).toBe(true);
  expect(violations.map((violation) => violation.rule).sort()).toEqual([...expected.rules].sort());
  expect(published).toEqual([]);
}

// --- Inputs: what the GraphQL layer lets through (strings), biased towards the edges --------------

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ulidLike = fc
  .tuple(
    fc.constantFrom(...'01234567'),
    fc.string({ unit: fc.constantFrom(...crockford, ...crockford.toLowerCase()), minLength: 25, maxLength: 25 }),
  )
  .map(([first, rest]) => first + rest);
const craftedPrefix = fc.constantFrom('Reservation#', 'RoomNight#', '#', '', ' ');
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 200 }),
);
const identifier = fc.oneof(
  { weight: 10, arbitrary: fc.stringMatching(/^[A-Za-z0-9._:-]{1,20}$/) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9._:-]{120,140}$/) },
  { weight: 2, arbitrary: anyText },
  { weight: 1, arbitrary: fc.tuple(craftedPrefix, ulidLike).map(([prefix, id]) => prefix + id) },
);
const ulidInput = fc.oneof(
  { weight: 8, arbitrary: ulidLike },
  { weight: 1, arbitrary: fc.tuple(craftedPrefix, ulidLike, fc.constantFrom('', '#x', ' ', '\u0000')).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: anyText },
);
const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
const isoDate = (epochDay: number) => {
  const date = new Date(0);
  date.setTime(epochDay * 86_400_000);
  return date.toISOString().slice(0, 10);
};
const calendarDate = fc.integer({ min: Math.floor(today / 86_400_000) - 60, max: Math.floor(today / 86_400_000) + 800 }).map(isoDate);
const date = fc.oneof(
  { weight: 6, arbitrary: calendarDate },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
      .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  },
  { weight: 1, arbitrary: anyText },
  { weight: 1, arbitrary: fc.constantFrom('2035-02-29', '2036-02-29', '2035-01-10Z', '2035-1-1', '+2035-01-10', '２０３５-０１-１０') },
);
/** A stay: a start, then an end a plausible number of nights later (or any date). */
const stay = fc.oneof(
  fc
    .tuple(calendarDate, fc.integer({ min: -3, max: 40 }))
    .map(([start, nights]) => ({ dateStart: start, dateEnd: isoDate(Math.round(Date.parse(start) / 86_400_000) + nights) })),
  fc.record({ dateStart: date, dateEnd: date }),
);

const createInput = fc
  .tuple(
    fc.record(
      {
        id: fc.option(ulidInput, { nil: undefined }),
        commandId: fc.option(identifier, { nil: undefined }),
        userId: identifier,
        roomId: identifier,
      },
      { requiredKeys: ['userId', 'roomId'] },
    ),
    stay,
  )
  .map(([ids, dates]) => ({ ...ids, ...dates }));
const cancelInput = fc.record(
  {
    id: ulidInput,
    commandId: fc.option(identifier, { nil: undefined }),
    reason: fc.option(fc.oneof(anyText, fc.string({ minLength: 490, maxLength: 520 })), { nil: undefined }),
  },
  { requiredKeys: ['id'] },
);

describe('createReservation, for any input', () => {
  it('answers PENDING with one published event, or one clear error listing every broken rule', async () => {
    const outcomes = { PENDING: 0, ValidationError: 0, BusinessRuleViolation: 0 };
    await fc.assert(
      fc.asyncProperty(createInput, async (input) => {
        const result = await call('createReservation', input);
        const expected = expectedCreateRules(input);
        outcomes[expected?.errorType ?? 'PENDING'] += 1;
        if (expected) {
          assertRefusal(result, expected);
          return;
        }
        expect(result.errors).toEqual([]);
        expect(result.data).toMatchObject({ id: expect.stringMatching(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/), status: 'PENDING' });
        if (input.id) expect((result.data as { id: string }).id).toBe(input.id.toUpperCase());
        expect(published).toHaveLength(1);
        expect(published[0]).toMatchObject({
          detailType: 'ReservationCreated',
          detail: { aggregateId: (result.data as { id: string }).id, version: 1 },
        });
      }),
      { numRuns: 400 },
    );
    // The inputs reach every outcome, so the property says something about each.
    expect(Object.values(outcomes).every((count) => count >= 20)).toBe(true);
  }, 120_000);

  it('takes the event’s actor from a user-pool caller’s sub', async () => {
    const identity = identityOf({
      authMode: 'AMAZON_COGNITO_USER_POOLS',
      sub: 'sub-fuzz',
      issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_local',
      username: 'fuzz',
    });
    const result = await call(
      'createReservation',
      {
        userId: 'u',
        roomId: 'r',
        dateStart: isoDate(Math.floor(today / 86_400_000) + 10),
        dateEnd: isoDate(Math.floor(today / 86_400_000) + 12),
      },
      identity,
    );
    expect(result.errors).toEqual([]);
    expect(published[0]?.detail).toMatchObject({ actor: 'user:sub-fuzz' });
  });

  // Found by this suite's oracle: upper-casing the whole id first let 'ß' (→ 'SS') through as a ULID.
  it('refuses 26 characters that upper-case to 27 (ß → SS) as not a ULID', async () => {
    const id = `0ß${'A'.repeat(24)}`;
    expect(id).toHaveLength(26);
    const result = await call('createReservation', {
      id,
      userId: 'u',
      roomId: 'r',
      dateStart: isoDate(Math.floor(today / 86_400_000) + 10),
      dateEnd: isoDate(Math.floor(today / 86_400_000) + 12),
    });
    assertRefusal(result, { errorType: 'ValidationError', rules: ['InvalidId'] });
  });
});

describe('cancelReservation, for any input', () => {
  it('answers one clear error: every shape rule broken, else NotFound (nothing is stored)', async () => {
    const outcomes = { ValidationError: 0, NotFound: 0 };
    await fc.assert(
      fc.asyncProperty(cancelInput, async (input) => {
        const expected = expectedCancelRules(input);
        outcomes[expected.errorType] += 1;
        assertRefusal(await call('cancelReservation', input), expected);
      }),
      { numRuns: 300 },
    );
    expect(Object.values(outcomes).every((count) => count >= 20)).toBe(true);
  }, 120_000);
});
