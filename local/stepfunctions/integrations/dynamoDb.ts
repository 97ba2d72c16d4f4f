/**
 * DynamoDB tasks against DynamoDB Local, through the SDK v3 client:
 * - the optimized integration `arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem`
 *   (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html), errors named `DynamoDB.<Exception>`;
 * - the SDK integration `arn:aws:states:::aws-sdk:dynamodb:<action>` for any DynamoDB action, errors named
 *   `DynamoDb.<Exception>` as SDK integrations name them ("Using AWS SDK service integrations").
 * Parameters are the API's request, the result is the API's response (without the SDK's `$metadata`).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import { StatesError } from '../errors.ts';
import type { TaskCall, TaskIntegration } from './types.ts';

const OPTIMIZED = new Set(['getItem', 'putItem', 'updateItem', 'deleteItem']);

type CommandClass = new (input: unknown) => Parameters<DynamoDBClient['send']>[0];

function commandFor(action: string): CommandClass | undefined {
  const name = `${action[0]!.toUpperCase()}${action.slice(1)}Command`;
  const command = (dynamodb as unknown as Record<string, unknown>)[name];
  return typeof command === 'function' ? (command as CommandClass) : undefined;
}

/** A client per endpoint, closed by `close()`. */
export class DynamoDbTasks {
  private readonly client: DynamoDBClient;

  constructor(endpoint: string, region = 'us-east-1') {
    this.client = new DynamoDBClient({ endpoint, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  }

  /** `dynamodb:*`: the four optimized actions. */
  readonly optimized: TaskIntegration = (call) => {
    if (!OPTIMIZED.has(call.resource.action)) {
      return Promise.reject(
        new StatesError(
          'States.Runtime',
          `dynamodb:${call.resource.action} is not an optimized DynamoDB integration (getItem, putItem, updateItem, deleteItem); use arn:aws:states:::aws-sdk:dynamodb:${call.resource.action}.`,
        ),
      );
    }
    return this.send(call, 'DynamoDB', 'AmazonDynamoDBv2');
  };

  /** `aws-sdk:dynamodb:*`: any DynamoDB action. */
  readonly sdk: TaskIntegration = (call) => this.send(call, 'DynamoDb', 'DynamoDb');

  private async send(call: TaskCall, prefix: string, serviceName: string): Promise<unknown> {
    const Command = commandFor(call.resource.action);
    if (!Command) throw new StatesError('States.Runtime', `DynamoDB has no action ${call.resource.action} (${call.resource.arn}).`);
    try {
      const { $metadata: _metadata, ...response } = (await this.client.send(new Command(call.parameters ?? {}), {
        abortSignal: call.signal,
      })) as { $metadata: unknown } & Record<string, unknown>;
      return response;
    } catch (error) {
      const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
      if (call.signal.aborted) throw error;
      const code = e.name && e.name !== 'Error' ? e.name : 'AmazonDynamoDBException';
      const status = e.$metadata?.httpStatusCode ?? 400;
      const requestId = e.$metadata?.requestId ?? 'local';
      const cause =
        prefix === 'DynamoDB'
          ? `${e.message} (Service: ${serviceName}; Status Code: ${status}; Error Code: ${code}; Request ID: ${requestId}; Proxy: null)`
          : `${e.message} (Service: ${serviceName}, Status Code: ${status}, Request ID: ${requestId})`;
      throw new StatesError(`${prefix}.${code}`, cause);
    }
  }

  close(): void {
    this.client.destroy();
  }
}
