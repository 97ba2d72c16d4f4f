/**
 * A DynamoDB stream record as EventBridge Pipes hands it on (eb-pipes-dynamodb.html, "Example event"):
 * `eventID`, `eventName`, `eventVersion`, `eventSource: "aws:dynamodb"`, `awsRegion`, `dynamodb`
 * (`Keys`, `NewImage`, `OldImage` in DynamoDB JSON, `SequenceNumber`, `SizeBytes`, `StreamViewType`,
 * `ApproximateCreationDateTime` in epoch seconds) and `eventSourceARN`. DynamoDB Local names its own
 * region and stream ARN; they are replaced by the stack's, so the event reads as on AWS.
 *
 * @example
 * pipeEventOf(record, { region: 'us-east-1', streamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/1970-01-01T00:00:00.000' });
 */
import type { StreamRecord } from '../dynamodb/streams.ts';

export interface DynamoDbStreamEvent {
  eventID: string;
  eventName: string;
  eventVersion: string;
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: Record<string, unknown>;
  eventSourceARN: string;
  userIdentity?: unknown;
}

export function pipeEventOf(record: StreamRecord, source: { region: string; streamArn: string }): DynamoDbStreamEvent {
  const change = record.dynamodb ?? {};
  const dynamodb: Record<string, unknown> = {};
  if (change.ApproximateCreationDateTime)
    dynamodb.ApproximateCreationDateTime = Math.floor(new Date(change.ApproximateCreationDateTime).getTime() / 1000);
  if (change.Keys) dynamodb.Keys = toJson(change.Keys);
  if (change.NewImage) dynamodb.NewImage = toJson(change.NewImage);
  if (change.OldImage) dynamodb.OldImage = toJson(change.OldImage);
  dynamodb.SequenceNumber = change.SequenceNumber;
  dynamodb.SizeBytes = change.SizeBytes;
  dynamodb.StreamViewType = change.StreamViewType;
  return {
    eventID: String(record.eventID),
    eventName: String(record.eventName),
    eventVersion: String(record.eventVersion ?? '1.1'),
    eventSource: 'aws:dynamodb',
    awsRegion: source.region,
    dynamodb,
    eventSourceARN: source.streamArn,
    ...(record.userIdentity ? { userIdentity: record.userIdentity } : {}),
  };
}

/** DynamoDB JSON as it travels in an event: binary values as base64 text. */
function toJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== '$unknown')
        .map(([key, item]) => [key, toJson(item)]),
    );
  return value;
}
