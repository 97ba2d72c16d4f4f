/**
 * PutEvents' request and response shapes, its validation and the event envelope EventBridge builds.
 * Per-entry problems fail that entry only (ErrorCode/ErrorMessage in its place in the response);
 * a request AWS refuses as a whole (no entries, more than 10, over 256 KB) throws a ValidationException.
 */
import { randomUUID } from 'node:crypto';
import { EventBridgeError } from './errors.ts';

export interface PutEventsRequestEntry {
  Source?: string;
  DetailType?: string;
  /** A JSON object, as text. */
  Detail?: string;
  /** Name or ARN; the default bus when absent. */
  EventBusName?: string;
  /** Date, ISO 8601 text, or epoch seconds (the API's wire form); now when absent. */
  Time?: Date | string | number;
  Resources?: string[];
  TraceHeader?: string;
}

export interface PutEventsRequest {
  Entries: PutEventsRequestEntry[];
  EndpointId?: string;
}

export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

export interface PutEventsResponse {
  FailedEntryCount: number;
  Entries: PutEventsResultEntry[];
}

/** The event as rules and targets see it. */
export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export const MAX_ENTRIES = 10;
/** 256 KB: the limit on a PutEvents request's total entry size. */
export const MAX_REQUEST_SIZE = 256 * 1024;

const utf8Length = (text: string | undefined): number => (text === undefined ? 0 : Buffer.byteLength(text, 'utf8'));

/**
 * An entry's size as AWS counts it ("Calculating PutEvents event entry size"): 14 bytes when Time is
 * set, plus the UTF-8 bytes of Source, DetailType, Detail and each resource.
 */
export function entrySize(entry: PutEventsRequestEntry): number {
  let size = entry.Time === undefined ? 0 : 14;
  size += utf8Length(entry.Source) + utf8Length(entry.DetailType) + utf8Length(entry.Detail);
  for (const resource of Array.isArray(entry.Resources) ? entry.Resources : []) size += utf8Length(String(resource));
  return size;
}

/** Throws when AWS would refuse the whole request. */
export function validatePutEventsRequest(request: PutEventsRequest): void {
  const entries = request?.Entries;
  if (!Array.isArray(entries) || entries.length < 1) {
    throw new EventBridgeError(
      'ValidationException',
      "1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  }
  if (entries.length > MAX_ENTRIES) {
    throw new EventBridgeError(
      'ValidationException',
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ENTRIES}`,
    );
  }
  const total = entries.reduce((sum, entry) => sum + entrySize(entry), 0);
  if (total > MAX_REQUEST_SIZE)
    throw new EventBridgeError(
      'ValidationException',
      'Total size of the entries in the request is over the limit.',
      `${total} bytes > ${MAX_REQUEST_SIZE}`,
    );
}

/** The bus name an entry's `EventBusName` (a name or an ARN) designates. */
export function busNameOf(nameOrArn: string | undefined): string {
  if (nameOrArn === undefined || nameOrArn === '') return 'default';
  const marker = ':event-bus/';
  const at = nameOrArn.indexOf(marker);
  return nameOrArn.startsWith('arn:') && at >= 0 ? nameOrArn.slice(at + marker.length) : nameOrArn;
}

/** EventBridge's event time: ISO 8601 to the second, UTC. */
export function formatEventTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function timeOf(time: PutEventsRequestEntry['Time'], now: Date): Date | undefined {
  if (time === undefined) return now;
  const date = time instanceof Date ? time : typeof time === 'number' ? new Date(time * 1000) : new Date(time);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const failure = (ErrorCode: string, ErrorMessage: string): { ErrorCode: string; ErrorMessage: string } => ({ ErrorCode, ErrorMessage });

/**
 * The envelope for a valid entry, or the failure AWS reports in its place.
 * `busExists` tells whether the named bus exists.
 */
export function envelopeOf(
  entry: PutEventsRequestEntry,
  scope: { account: string; region: string; now: Date; busExists: (name: string) => boolean },
): { event: EventEnvelope; busName: string } | { ErrorCode: string; ErrorMessage: string } {
  if (typeof entry?.Source !== 'string' || entry.Source === '')
    return failure('InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.');
  // Custom events may not claim an AWS service as their source.
  if (entry.Source.startsWith('aws.')) return failure('NotAuthorizedForSourceException', 'Not authorized for the source.');
  if (typeof entry.DetailType !== 'string' || entry.DetailType === '') {
    return failure('InvalidArgument', 'Parameter DetailType is not valid. Reason: DetailType is a required argument.');
  }
  if (typeof entry.Detail !== 'string' || entry.Detail === '')
    return failure('InvalidArgument', 'Parameter Detail is not valid. Reason: Detail is a required argument.');
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch {
    return failure('MalformedDetail', 'Detail is malformed.');
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return failure('MalformedDetail', 'Detail is malformed.');
  if (entry.Resources !== undefined && (!Array.isArray(entry.Resources) || entry.Resources.some((r) => typeof r !== 'string'))) {
    return failure('InvalidArgument', 'Parameter Resources is not valid. Reason: Resources must be a list of strings.');
  }
  const time = timeOf(entry.Time, scope.now);
  if (!time) return failure('InvalidArgument', 'Parameter Time is not valid.');
  const busName = busNameOf(entry.EventBusName);
  if (!scope.busExists(busName)) return failure('ResourceNotFoundException', `Event bus ${busName} does not exist.`);
  return {
    busName,
    event: {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: scope.account,
      time: formatEventTime(time),
      region: scope.region,
      resources: entry.Resources ?? [],
      detail: detail as Record<string, unknown>,
    },
  };
}
