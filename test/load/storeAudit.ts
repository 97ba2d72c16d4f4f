/**
 * Reads the whole event-store table (a consistent scan of DynamoDB Local) and
 * checks what must hold whatever happened: every stream's versions are gapless
 * 1..N; each confirmed reservation holds exactly the RoomNight claims of its
 * nights; no claim exists without the stored create that made it (no half
 * transaction either way). Returns the problems found, not a boolean, so a
 * failing test says what broke.
 *
 * @example
 * const audit = await auditEventStore(stack.dynamoDb.createClient(), stack.tables[0]!);
 * expect(audit.problems).toEqual([]);
 */
import type { LocalStack } from '../../local/index.ts';
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { nightsOf } from '../../functions/shared/calendarDate.ts';
import { roomNightKey } from '../../functions/reservation/events.ts';

export interface StoredEvent {
  streamId: string;
  version: number;
  type: 'ReservationCreated' | 'ReservationCancelled' | 'CommandTimedOut';
  aggregateId: string;
  commandId: string;
  data: { roomId?: string; dateStart?: string; dateEnd?: string; userId?: string; reason?: string };
}

export interface Claim {
  key: string;
  aggregateId: string;
  commandId: string;
}

/** A command's first REJECTED or TIMED_OUT answer, recorded where no event of it holds its slot. */
export interface RecordedAnswer {
  commandId: string;
  aggregateId: string;
  eventVersion: number;
  status: 'REJECTED' | 'TIMED_OUT';
  reason: string;
}

export interface StoreAudit {
  /** Events by aggregate id, oldest first. */
  streams: Map<string, StoredEvent[]>;
  /** Stored events by commandId (a command stores at most one event, or its tombstone). */
  eventsByCommand: Map<string, StoredEvent[]>;
  claims: Map<string, Claim>;
  /** Recorded answers by commandId (`CommandAnswer#<commandId>` items). */
  answers: Map<string, RecordedAnswer>;
  eventCount: number;
  problems: string[];
}

const STREAM_PREFIX = 'Reservation#';

export async function scanTable(client: DynamoDBClient, tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, never> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey }));
    items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
    ExclusiveStartKey = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (ExclusiveStartKey);
  return items;
}

export async function auditEventStore(client: DynamoDBClient, tableName: string): Promise<StoreAudit> {
  const items = await scanTable(client, tableName);
  const streams = new Map<string, StoredEvent[]>();
  const eventsByCommand = new Map<string, StoredEvent[]>();
  const claims = new Map<string, Claim>();
  const answers = new Map<string, RecordedAnswer>();
  const problems: string[] = [];
  let eventCount = 0;
  for (const item of items) {
    const streamId = String(item.streamId);
    if (streamId.startsWith(STREAM_PREFIX)) {
      const event = item as unknown as StoredEvent;
      eventCount += 1;
      streams.set(event.aggregateId, [...(streams.get(event.aggregateId) ?? []), event]);
      eventsByCommand.set(event.commandId, [...(eventsByCommand.get(event.commandId) ?? []), event]);
    } else if (streamId.startsWith('RoomNight#')) {
      claims.set(streamId, { key: streamId, aggregateId: String(item.aggregateId), commandId: String(item.commandId) });
    } else if (streamId.startsWith('CommandAnswer#')) {
      const answer = item as unknown as RecordedAnswer;
      answers.set(answer.commandId, answer);
    } else {
      problems.push(`unexpected item ${streamId}/${String(item.version)}`);
    }
  }

  const expectedClaims = new Map<string, { aggregateId: string; commandId: string }>();
  for (const [aggregateId, events] of streams) {
    events.sort((a, b) => a.version - b.version);
    const versions = events.map((event) => event.version);
    if (versions.some((version, index) => version !== index + 1))
      problems.push(`stream ${aggregateId} has versions ${versions.join(',')}, not 1..${versions.length}`);
    // Fold the claims the stream must hold: its create's nights while it is not cancelled.
    let holding: { keys: string[]; commandId: string } | undefined;
    for (const event of events) {
      if (event.type === 'ReservationCreated') {
        const { roomId, dateStart, dateEnd } = event.data;
        holding = { keys: nightsOf(dateStart!, dateEnd!).map((night) => roomNightKey(roomId!, night)), commandId: event.commandId };
      } else if (event.type === 'ReservationCancelled') holding = undefined;
    }
    for (const key of holding?.keys ?? []) {
      if (expectedClaims.has(key))
        problems.push(`${key} is due to two confirmed reservations: ${expectedClaims.get(key)!.aggregateId} and ${aggregateId}`);
      expectedClaims.set(key, { aggregateId, commandId: holding!.commandId });
    }
  }
  for (const [key, expected] of expectedClaims) {
    const claim = claims.get(key);
    if (!claim) problems.push(`confirmed reservation ${expected.aggregateId} has no claim ${key} (an event without its claim)`);
    else if (claim.aggregateId !== expected.aggregateId)
      problems.push(`${key} is held by ${claim.aggregateId}, but ${expected.aggregateId} stored it`);
  }
  for (const [key, claim] of claims) {
    if (!expectedClaims.has(key))
      problems.push(`claim ${key} held by ${claim.aggregateId} has no confirmed reservation behind it (a claim without its event)`);
  }
  for (const [commandId, events] of eventsByCommand) {
    if (events.length > 1)
      problems.push(
        `command ${commandId} stored ${events.length} events: ${events.map((event) => `${event.aggregateId} v${event.version} ${event.type}`).join('; ')}`,
      );
  }
  for (const answer of answers.values()) {
    const stored = eventsByCommand.get(answer.commandId) ?? [];
    if (stored.length > 0)
      problems.push(
        `command ${answer.commandId} has a recorded ${answer.status} answer and a stored ${stored[0]!.type} at ${stored[0]!.aggregateId} v${stored[0]!.version}`,
      );
  }
  return { streams, eventsByCommand, claims, answers, eventCount, problems };
}

/** Audit the event-store table of a running local stack. */
export async function auditLocalStack(stack: LocalStack): Promise<StoreAudit> {
  const client = stack.dynamoDb.createClient();
  try {
    return await auditEventStore(client, stack.tables[0]!);
  } finally {
    client.destroy();
  }
}

/**
 * Past every deadline: no timeout schedule left, the bus idle, and a grace for real-time frames
 * already published (absence cannot be awaited, only given time).
 */
export async function settled(stack: LocalStack, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (stack.scheduler.list().length > 0) {
    if (Date.now() > until) throw new Error(`not settled after ${timeoutMs} ms: ${stack.scheduler.list().length} timeout schedule(s) left`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stack.bus.idle();
  await new Promise((resolve) => setTimeout(resolve, 400));
}
