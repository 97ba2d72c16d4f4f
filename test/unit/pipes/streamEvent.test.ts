/** A DynamoDB stream record as Pipes hands it on (eb-pipes-dynamodb.html, "Example event"). */
import { describe, expect, it } from 'vitest';
import { pipeEventOf } from '../../../local/pipes/index.ts';

describe('a stream record read from DynamoDB Local', () => {
  it('carries the stack’s region and stream ARN, its time in epoch seconds and binaries as base64', () => {
    const record = {
      eventID: 'e1',
      eventName: 'MODIFY' as const,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'ddblocal',
      dynamodb: {
        ApproximateCreationDateTime: new Date('2024-05-01T10:20:00Z'),
        Keys: { id: { N: '101' } },
        NewImage: { id: { N: '101' }, blob: { B: new Uint8Array([1, 2, 3]) }, tags: { BS: [new Uint8Array([255])] } },
        OldImage: { id: { N: '101' } },
        SequenceNumber: '222',
        SizeBytes: 59,
        StreamViewType: 'NEW_AND_OLD_IMAGES' as const,
      },
    };
    expect(pipeEventOf(record, { region: 'us-west-2', streamArn: 'arn:aws:dynamodb:us-west-2:123456789012:table/T/stream/x' })).toEqual({
      eventID: 'e1',
      eventName: 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-west-2',
      eventSourceARN: 'arn:aws:dynamodb:us-west-2:123456789012:table/T/stream/x',
      dynamodb: {
        ApproximateCreationDateTime: 1714558800,
        Keys: { id: { N: '101' } },
        NewImage: { id: { N: '101' }, blob: { B: 'AQID' }, tags: { BS: ['/w=='] } },
        OldImage: { id: { N: '101' } },
        SequenceNumber: '222',
        SizeBytes: 59,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
  });
});
