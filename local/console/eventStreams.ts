/**
 * The event streams of the served app's tables, found by shape rather than by name, since `npm start`
 * serves any CDK app: a table keyed by a string partition key and a number sort key holds streams when
 * some of its items sit at a whole sort key of 1 or more and carry a string `type`. Each partition
 * holding such items is a stream (its id the partition key's value), those items its events in sort-key
 * order. Other items of the table (this app's unique-constraint claims at 0, snapshots at v + 0.5,
 * command answers) are not events and are only counted. Castore's DynamoDB adapter (aggregateId,
 * version, type) and this app's event store (streamId, version, type) both fit.
 *
 * Reads are DescribeTable, Scan and Query on DynamoDB Local, bounded (SCAN_LIMIT items per table):
 * enough for a person to look at, never a full export.
 *
 * @example
 * const streams = new EventStreams(client, () => ['EventStore']);
 * const tables = await streams.list();               // [{ tableName, streams: [{ streamId, events, … }] }]
 * const events = await streams.read('EventStore', 'Reservation#01J…');
 */
import {
  DescribeTableCommand,
  QueryCommand,
  ResourceNotFoundException,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

export const SCAN_LIMIT = 5_000;
/** The streams listed per table, most recently written first. */
export const STREAMS_LISTED = 200;

export interface StreamKeys {
  partitionKey: string;
  sortKey: string;
}

export interface StreamSummary {
  streamId: string;
  events: number;
  lastVersion: number;
  /** The event types in order, as a person reads the stream's story at a glance. */
  types: string[];
  /** The last event's `occurredAt` (or `time`/`timestamp`), when its items carry one. */
  lastAt: string | undefined;
}

export interface StreamTable extends StreamKeys {
  tableName: string;
  streams: StreamSummary[];
  /** Streams beyond STREAMS_LISTED, not listed. */
  moreStreams: number;
  /** Items of the table that are not events (claims, snapshots, answers). */
  otherItems: number;
  /** True when the scan stopped at SCAN_LIMIT items. */
  truncated: boolean;
}

export type Item = Record<string, unknown>;

export class EventStreams {
  private readonly keys = new Map<string, StreamKeys | null>();

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableNames: () => string[],
  ) {}

  /** Every table that holds streams, with a summary of each stream. */
  async list(): Promise<StreamTable[]> {
    const tables: StreamTable[] = [];
    for (const tableName of this.tableNames()) {
      const scanned = await this.scan(tableName);
      if (!scanned) continue;
      const { keys, items, truncated } = scanned;
      const byStream = new Map<string, Item[]>();
      let otherItems = 0;
      for (const item of items) {
        if (!isEvent(item, keys)) {
          otherItems += 1;
          continue;
        }
        const streamId = String(item[keys.partitionKey]);
        byStream.set(streamId, [...(byStream.get(streamId) ?? []), item]);
      }
      if (byStream.size === 0) continue;
      const streams = [...byStream.entries()].map(([streamId, events]) => summary(streamId, events, keys));
      streams.sort((a, b) => (b.lastAt ?? '').localeCompare(a.lastAt ?? '') || a.streamId.localeCompare(b.streamId));
      tables.push({
        tableName,
        ...keys,
        streams: streams.slice(0, STREAMS_LISTED),
        moreStreams: Math.max(0, streams.length - STREAMS_LISTED),
        otherItems,
        truncated,
      });
    }
    return tables;
  }

  /** One stream's events in order; undefined when the table holds no streams. */
  async read(tableName: string, streamId: string): Promise<{ keys: StreamKeys; events: Item[] } | undefined> {
    const keys = await this.keysOf(tableName);
    if (!keys) return undefined;
    const events: Item[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#pk = :id',
          ExpressionAttributeNames: { '#pk': keys.partitionKey },
          ExpressionAttributeValues: { ':id': { S: streamId } },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const plain = unmarshall(item);
        if (isEvent(plain, keys)) events.push(plain);
      }
      start = page.LastEvaluatedKey;
    } while (start && events.length < SCAN_LIMIT);
    return { keys, events };
  }

  /** Every item of every stream table (events and the items beside them), for the search by id. */
  async everyItem(): Promise<{ tableName: string; keys: StreamKeys; items: Item[] }[]> {
    const all = [];
    for (const tableName of this.tableNames()) {
      const scanned = await this.scan(tableName);
      if (scanned && scanned.items.some((item) => isEvent(item, scanned.keys)))
        all.push({ tableName, keys: scanned.keys, items: scanned.items });
    }
    return all;
  }

  private async scan(tableName: string): Promise<{ keys: StreamKeys; items: Item[]; truncated: boolean } | undefined> {
    const keys = await this.keysOf(tableName);
    if (!keys) return undefined;
    const items: Item[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, Limit: SCAN_LIMIT - items.length }),
      );
      items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
      start = page.LastEvaluatedKey;
    } while (start && items.length < SCAN_LIMIT);
    return { keys, items, truncated: start !== undefined };
  }

  /** The table's keys when they are (string, number), else null: asked once per table, as the key schema cannot change. */
  private async keysOf(tableName: string): Promise<StreamKeys | null> {
    const known = this.keys.get(tableName);
    if (known !== undefined) return known;
    let keys: StreamKeys | null = null;
    try {
      const { Table } = await this.client.send(new DescribeTableCommand({ TableName: tableName }));
      const typeOf = (name: string | undefined) => Table?.AttributeDefinitions?.find((a) => a.AttributeName === name)?.AttributeType;
      const hash = Table?.KeySchema?.find((key) => key.KeyType === 'HASH')?.AttributeName;
      const range = Table?.KeySchema?.find((key) => key.KeyType === 'RANGE')?.AttributeName;
      if (hash && range && typeOf(hash) === 'S' && typeOf(range) === 'N') keys = { partitionKey: hash, sortKey: range };
    } catch (error) {
      // A table of the template not created (yet): nothing to show, and asked again next time.
      if (error instanceof ResourceNotFoundException) return null;
      throw error;
    }
    this.keys.set(tableName, keys);
    return keys;
  }
}

/** An event: at a whole sort key of 1 or more, with a string `type`. */
export function isEvent(item: Item, keys: StreamKeys): boolean {
  const version = item[keys.sortKey];
  return typeof version === 'number' && Number.isInteger(version) && version >= 1 && typeof item.type === 'string';
}

/** When an event happened, by the names event envelopes use (CloudEvents' `time` among them). */
export function timeOf(item: Item): string | undefined {
  for (const name of ['occurredAt', 'time', 'timestamp']) if (typeof item[name] === 'string') return item[name];
  return undefined;
}

function summary(streamId: string, events: Item[], keys: StreamKeys): StreamSummary {
  events.sort((a, b) => Number(a[keys.sortKey]) - Number(b[keys.sortKey]));
  const last = events.at(-1)!;
  return {
    streamId,
    events: events.length,
    lastVersion: Number(last[keys.sortKey]),
    types: events.map((event) => String(event.type)),
    lastAt: timeOf(last),
  };
}
