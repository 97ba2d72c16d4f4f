/**
 * Watches an in-process local stack without touching its code: a middleware on the DynamoDB
 * client its data sources share (timing every call, optionally asking DynamoDB for
 * `ReturnConsumedCapacity: 'TOTAL'`), a wrapper around the bus's `putEvents`, and the stack's
 * `onRequest` hook. Used by commandToSubscription (where the time goes) and cost (what a
 * command consumes).
 *
 * @example
 * const probe = new StackProbe();
 * const stack = await LocalStack.start({ ..., onRequest: probe.onRequest });
 * probe.attach(stack, { consumedCapacity: true });
 */
import type { AttributeValue, ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import type { LocalStack } from '../local/index.ts';
import type { RequestLog } from '../local/index.ts';

export interface DynamoDbCall {
  operation: string;
  start: number;
  end: number;
  /** What DynamoDB (Local) reported, when asked. */
  consumed: ConsumedCapacity[];
  /** Units by AWS's documented rules, from the request and response items (see documentedUnits). */
  documented: { read: number; write: number };
  /** For TransactWriteItems: the kind of each item (Put, Update, Delete, ConditionCheck). */
  transactKinds: string[];
}

export interface ApiRequest {
  fields: string[];
  start: number;
  end: number;
}

export class StackProbe {
  dynamoDbCalls: DynamoDbCall[] = [];
  requests: ApiRequest[] = [];
  /** performance.now() of each PutEvents call, its entry count and each entry's source. */
  putEvents: { at: number; entries: number; sources: string[] }[] = [];

  readonly onRequest = (log: RequestLog): void => {
    const end = performance.now();
    this.requests.push({ fields: log.fields, start: end - log.durationMs, end });
  };

  attach(stack: LocalStack, options: { consumedCapacity?: boolean } = {}): void {
    // The client every AMAZON_DYNAMODB data source of the stack uses (the stack's own).
    const client = stack.dataSourceClient;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (options.consumedCapacity) (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
        const start = performance.now();
        const operation = String(context.commandName).replace(/Command$/, '');
        const transactItems = (args.input as { TransactItems?: Record<string, unknown>[] }).TransactItems ?? [];
        const call: DynamoDbCall = {
          operation,
          start,
          end: start,
          consumed: [],
          documented: { read: 0, write: 0 },
          transactKinds: transactItems.map((item) => Object.keys(item)[0] ?? ''),
        };
        try {
          const result = await next(args);
          const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
          call.consumed = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
          if (options.consumedCapacity)
            call.documented = documentedUnits(
              operation,
              args.input as Record<string, unknown>,
              result.output as unknown as Record<string, unknown>,
            );
          return result;
        } finally {
          call.end = performance.now();
          this.dynamoDbCalls.push(call);
        }
      },
      { step: 'initialize', name: 'benchStackProbe' },
    );
    const bus = stack.bus;
    const putEvents = bus.putEvents.bind(bus);
    bus.putEvents = (request) => {
      this.putEvents.push({
        at: performance.now(),
        entries: request.Entries.length,
        sources: request.Entries.map((entry) => entry.Source ?? ''),
      });
      return putEvents(request);
    };
  }

  reset(): void {
    this.dynamoDbCalls = [];
    this.requests = [];
    this.putEvents = [];
  }
}

type Item = Record<string, AttributeValue>;

/** DynamoDB's item size: attribute names plus values (strings in UTF-8, numbers about 1 byte per 2 digits + 1, maps and lists 3 bytes + their content). */
export function itemSize(item: Item | undefined): number {
  if (!item) return 0;
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueSize(value), 0);
}

function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\./g, '').length / 2) + 1;
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.M !== undefined) return 3 + itemSize(value.M);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, item) => sum + 1 + valueSize(item), 0);
  if (value.SS !== undefined) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, n) => sum + Math.ceil(n.length / 2) + 1, 0);
  return 0;
}

const KB = 1024;

/**
 * Read and write request units as AWS documents them (on-demand): a strongly consistent read is
 * 1 RRU per 4 KB (at least 1 per GetItem/Query, and per key of a BatchGetItem), a write 1 WRU per
 * 1 KB (at least 1), a transactional write 2 WRU per 1 KB per item. DynamoDB Local reports 0 for
 * reads that find nothing and does not double transactional writes, so the cost uses these.
 */
export function documentedUnits(
  operation: string,
  input: Record<string, unknown>,
  output: Record<string, unknown>,
): { read: number; write: number } {
  const consistentFactor = (consistent: unknown) => (consistent ? 1 : 0.5);
  switch (operation) {
    case 'GetItem':
      return { read: consistentFactor(input.ConsistentRead) * Math.max(1, Math.ceil(itemSize(output.Item as Item) / (4 * KB))), write: 0 };
    case 'Query':
    case 'Scan': {
      const bytes = ((output.Items ?? []) as Item[]).reduce((sum, item) => sum + itemSize(item), 0);
      return { read: consistentFactor(input.ConsistentRead) * Math.max(1, Math.ceil(bytes / (4 * KB))), write: 0 };
    }
    case 'BatchGetItem': {
      let read = 0;
      const found = (output.Responses ?? {}) as Record<string, Item[]>;
      for (const [table, request] of Object.entries(
        (input.RequestItems ?? {}) as Record<string, { Keys: Item[]; ConsistentRead?: boolean }>,
      )) {
        const items = found[table] ?? [];
        const foundUnits = items.reduce((sum, item) => sum + Math.ceil(itemSize(item) / (4 * KB)), 0);
        // Each requested key is at least one read, found or not.
        read += consistentFactor(request.ConsistentRead) * Math.max(request.Keys.length, foundUnits + (request.Keys.length - items.length));
      }
      return { read, write: 0 };
    }
    case 'PutItem':
      return { read: 0, write: Math.max(1, Math.ceil(itemSize(input.Item as Item) / KB)) };
    case 'UpdateItem':
    case 'DeleteItem':
      return { read: 0, write: 1 };
    case 'TransactWriteItems': {
      const items = (input.TransactItems ?? []) as { Put?: { Item: Item }; Update?: unknown; Delete?: unknown; ConditionCheck?: unknown }[];
      return { read: 0, write: items.reduce((sum, item) => sum + 2 * Math.max(1, Math.ceil(itemSize(item.Put?.Item) / KB)), 0) };
    }
    default:
      return { read: 0, write: 0 };
  }
}
