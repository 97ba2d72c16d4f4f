/**
 * Reads a table's DynamoDB stream from DynamoDB Local the way a stream consumer reads it on AWS
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html "Reading and
 * processing a stream"): DescribeStream for the shards, GetShardIterator at the starting position,
 * then GetRecords with each NextShardIterator; a child shard only after its parent is read to its end.
 * A reader never skips: each record is returned once, in the shard's order, and the caller decides
 * when to ask for the next ones (so a batch being retried holds back everything after it).
 *
 * @example
 * const reader = await DynamoDbStreamReader.forTable(db.endpoint, 'Orders', 'TRIM_HORIZON');
 * const records = await reader.read(100); // [] when nothing new was written
 * reader.close();
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  TrimmedDataAccessException,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import { DYNAMODB_LOCAL_CREDENTIALS, DYNAMODB_LOCAL_REGION } from './DynamoDbLocal.ts';

export type { StreamRecord };
export type StartingPosition = 'TRIM_HORIZON' | 'LATEST';

/** A record and the shard it was read from. */
export interface ShardRecord {
  shardId: string;
  record: StreamRecord;
}

interface ShardState {
  parentShardId: string | undefined;
  iterator: string | undefined;
  /** The last sequence number returned, to resume after an expired iterator. */
  lastSequenceNumber: string | undefined;
  /** Read to its end (GetRecords gave no NextShardIterator): its children may be read. */
  ended: boolean;
}

export class DynamoDbStreamReader {
  private readonly shards = new Map<string, ShardState>();
  private described = false;

  private constructor(
    private readonly client: DynamoDBStreamsClient,
    /** The stream's ARN as DynamoDB Local names it. */
    readonly streamArn: string,
    private readonly startingPosition: StartingPosition,
  ) {}

  /** A reader of `tableName`'s stream; refused, naming the table, when the table has no stream. */
  static async forTable(endpoint: string, tableName: string, startingPosition: StartingPosition): Promise<DynamoDbStreamReader> {
    const tables = new DynamoDBClient({ endpoint, region: DYNAMODB_LOCAL_REGION, credentials: DYNAMODB_LOCAL_CREDENTIALS });
    let streamArn: string | undefined;
    try {
      streamArn = (await tables.send(new DescribeTableCommand({ TableName: tableName }))).Table?.LatestStreamArn;
    } finally {
      tables.destroy();
    }
    if (!streamArn) {
      throw new Error(
        `Table ${tableName} has no stream: give it a StreamSpecification (CDK: stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES).`,
      );
    }
    const client = new DynamoDBStreamsClient({
      endpoint,
      region: DYNAMODB_LOCAL_REGION,
      credentials: DYNAMODB_LOCAL_CREDENTIALS,
      maxAttempts: 2,
    });
    const reader = new DynamoDbStreamReader(client, streamArn, startingPosition);
    // Iterators are taken now: LATEST means "what is written from now on", as when a consumer starts.
    await reader.discoverShards();
    return reader;
  }

  /** Up to `limit` records not read before, in order; [] when the stream holds nothing new. Never waits. */
  async read(limit: number): Promise<ShardRecord[]> {
    await this.discoverShards();
    for (const [shardId, shard] of this.shards) {
      if (shard.ended || !this.isReadable(shard)) continue;
      const records = await this.readShard(shardId, shard, limit);
      if (records.length > 0) return records;
    }
    return [];
  }

  close(): void {
    this.client.destroy();
  }

  /** New shards of the stream: the ones present at start begin at the starting position, later ones at their start. */
  private async discoverShards(): Promise<void> {
    const found: { ShardId?: string; ParentShardId?: string }[] = [];
    let exclusiveStartShardId: string | undefined;
    do {
      const page = await this.client.send(
        new DescribeStreamCommand({ StreamArn: this.streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
      );
      found.push(...(page.StreamDescription?.Shards ?? []));
      exclusiveStartShardId = page.StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    for (const shard of found) {
      if (!shard.ShardId || this.shards.has(shard.ShardId)) continue;
      const state: ShardState = {
        parentShardId: shard.ParentShardId,
        iterator: await this.iterator(shard.ShardId, 'TRIM_HORIZON'),
        lastSequenceNumber: undefined,
        ended: false,
      };
      this.shards.set(shard.ShardId, state);
      // LATEST, taken as "after the last record there is now": the shard is read to its end once, its
      // records skipped. (A LATEST iterator of DynamoDB Local breaks once another table is created.)
      if (!this.described && this.startingPosition === 'LATEST') await this.skipToEnd(shard.ShardId, state);
    }
    this.described = true;
  }

  private async skipToEnd(shardId: string, shard: ShardState): Promise<void> {
    for (
      let read = await this.readShard(shardId, shard, 1000);
      read.length > 0 && !shard.ended;
      read = await this.readShard(shardId, shard, 1000)
    );
  }

  /** A shard is read once its parent (if this stream still lists it) has been read to its end. */
  private isReadable(shard: ShardState): boolean {
    const parent = shard.parentShardId ? this.shards.get(shard.parentShardId) : undefined;
    return !parent || parent.ended;
  }

  private async readShard(shardId: string, shard: ShardState, limit: number): Promise<ShardRecord[]> {
    if (!shard.iterator) {
      shard.ended = true;
      return [];
    }
    let page;
    try {
      page = await this.client.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: limit }));
    } catch (error) {
      if (!(error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException)) throw error;
      // Iterators expire after 15 minutes, and DynamoDB Local invalidates the iterator of an empty shard
      // when another table is created: resume right after the last record read, or at the shard's start.
      shard.iterator = shard.lastSequenceNumber
        ? await this.iterator(shardId, 'AFTER_SEQUENCE_NUMBER', shard.lastSequenceNumber)
        : await this.iterator(shardId, 'TRIM_HORIZON');
      return [];
    }
    shard.iterator = page.NextShardIterator;
    if (!page.NextShardIterator) shard.ended = true;
    const records = page.Records ?? [];
    const last = records.at(-1)?.dynamodb?.SequenceNumber;
    if (last) shard.lastSequenceNumber = last;
    return records.map((record) => ({ shardId, record }));
  }

  private async iterator(shardId: string, type: ShardIteratorType, sequenceNumber?: string): Promise<string | undefined> {
    const answer = await this.client.send(
      new GetShardIteratorCommand({ StreamArn: this.streamArn, ShardId: shardId, ShardIteratorType: type, SequenceNumber: sequenceNumber }),
    );
    return answer.ShardIterator;
  }
}
