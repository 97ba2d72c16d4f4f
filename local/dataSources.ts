/**
 * The engine's data sources for one AppSync API, built from the template's
 * data-source resources: AMAZON_DYNAMODB against DynamoDB Local,
 * AMAZON_EVENTBRIDGE into the local bus, HTTP (plain endpoints for real,
 * the EventBridge Scheduler API against the local scheduler), AWS_LAMBDA
 * (the template's Node.js functions, local/lambda), NONE. Other
 * kinds are refused at start, by name, so a template the runtime cannot
 * serve fails loudly.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AppSyncDynamoDbDataSource } from './dynamodb/AppSyncDynamoDbDataSource.ts';
import { noneDataSource, type DataSource, type DataSources } from './engine/index.ts';
import { EventBridgeError, type LocalEventBus } from './eventbridge/index.ts';
import { appSyncLambdaDataSource, type LocalLambda } from './lambda/index.ts';
import type { LocalScheduler, AppSyncHttpRequest } from './scheduler/LocalScheduler.ts';
import { handleAppSyncStepFunctionsCall, type LocalStepFunctions } from './stepfunctions/index.ts';
import type { AppSyncApiModel, DataSourceModel } from './template/cloudAssembly.ts';

export interface DataSourceDependencies {
  /** The client every AMAZON_DYNAMODB data source talks through; its owner (the stack) destroys it. */
  dynamoDbClient: DynamoDBClient;
  bus: LocalEventBus;
  scheduler: LocalScheduler;
  /** Serves HTTP data sources signed for `states` (SendTaskSuccess and the rest of the Step Functions API). */
  stepFunctions?: LocalStepFunctions;
  /** Runs the functions AWS_LAMBDA data sources invoke. */
  lambda?: LocalLambda;
}

/** AWS APIs an HTTP data source may sign for, and what serves them locally. */
const EMULATED_AWS_APIS = ['scheduler', 'states'];

export function dataSourcesFor(api: AppSyncApiModel, dependencies: DataSourceDependencies): DataSources {
  const sources: Record<string, DataSource> = {};
  for (const source of Object.values(api.dataSources)) {
    switch (source.type) {
      case 'AMAZON_DYNAMODB':
        sources[source.name] = new AppSyncDynamoDbDataSource({ client: dependencies.dynamoDbClient, tableName: source.tableName });
        break;
      case 'AMAZON_EVENTBRIDGE':
        sources[source.name] = eventBridgeDataSource(dependencies.bus, source.eventBusArn!);
        break;
      case 'NONE':
        sources[source.name] = noneDataSource;
        break;
      case 'HTTP':
        sources[source.name] = httpDataSource(source, dependencies);
        break;
      case 'AWS_LAMBDA':
        if (!dependencies.lambda) throw new Error(`Data source ${source.name} invokes a Lambda function, and no functions run here.`);
        try {
          sources[source.name] = appSyncLambdaDataSource(dependencies.lambda, source.lambdaFunctionArn ?? '', api);
        } catch (error) {
          throw new Error(`Data source ${source.name}: ${(error as Error).message}`);
        }
        break;
      default:
        throw new Error(
          `Data source ${source.name} is of type ${source.type}, which the local runtime does not serve (it serves AMAZON_DYNAMODB, AMAZON_EVENTBRIDGE, AWS_LAMBDA, HTTP and NONE).`,
        );
    }
  }
  return sources;
}

interface AppSyncPutEventsRequest {
  operation?: string;
  events?: { source: string; detailType: string; detail: unknown; resources?: string[]; time?: string }[];
}

/**
 * AppSync's EventBridge data source: `{ operation: 'PutEvents', events }` → the bus's PutEvents,
 * answered with EventBridge's response (`Entries`, `FailedEntryCount`) as AppSync passes it on.
 */
export function eventBridgeDataSource(bus: LocalEventBus, eventBusArn: string): DataSource {
  return {
    invoke(request) {
      const { operation, events } = (request ?? {}) as AppSyncPutEventsRequest;
      if (operation !== 'PutEvents' || !Array.isArray(events) || events.length === 0) {
        return Promise.resolve({
          error: {
            type: 'EventBridge:ValidationException',
            message: 'An EventBridge request needs operation "PutEvents" and at least one event.',
          },
        });
      }
      try {
        const response = bus.putEvents({
          Entries: events.map((event) => ({
            Source: event.source,
            DetailType: event.detailType,
            Detail: typeof event.detail === 'string' ? event.detail : JSON.stringify(event.detail),
            Resources: event.resources,
            Time: event.time,
            EventBusName: eventBusArn,
          })),
        });
        return Promise.resolve({ result: response });
      } catch (error) {
        const code = error instanceof EventBridgeError ? error.code : 'InternalException';
        return Promise.resolve({ error: { type: `EventBridge:${code}`, message: (error as Error).message } });
      }
    },
  };
}

/**
 * AppSync's HTTP data source: `{ method, resourcePath, params: { query, headers, body } }` →
 * `{ statusCode, headers, body }`. A call signed for an AWS API goes to that API's local
 * emulation; any other endpoint is called for real.
 */
function httpDataSource(source: DataSourceModel, dependencies: DataSourceDependencies): DataSource {
  const endpoint = source.httpEndpoint ?? '';
  if (source.httpSigningService !== undefined) {
    if (source.httpSigningService === 'scheduler') {
      return { invoke: (request) => Promise.resolve({ result: dependencies.scheduler.handle(request as AppSyncHttpRequest) }) };
    }
    const stepFunctions = dependencies.stepFunctions;
    if (source.httpSigningService === 'states' && stepFunctions) {
      return {
        invoke: async (request) => ({ result: await handleAppSyncStepFunctionsCall(stepFunctions, request as AppSyncHttpRequest) }),
      };
    }
    throw new Error(
      `HTTP data source ${source.name} calls the AWS API "${source.httpSigningService}" at ${endpoint}; the local runtime emulates only ${EMULATED_AWS_APIS.join(', ')}.`,
    );
  }
  return {
    async invoke(request) {
      const { method = 'GET', resourcePath = '/', params = {} } = request as AppSyncHttpRequest;
      const url = new URL(resourcePath, endpoint);
      for (const [key, value] of Object.entries(params.query ?? {})) url.searchParams.set(key, String(value));
      try {
        const response = await fetch(url, {
          method,
          headers: params.headers,
          body: params.body === undefined ? undefined : typeof params.body === 'string' ? params.body : JSON.stringify(params.body),
          // AWS documents no cut of its own for an HTTP data source, only the request's 30 s execution time
          // (local/server/executionTimeout.ts); the same bound here, so a provider answering in 25 s is heard.
          signal: AbortSignal.timeout(30_000),
        });
        const headers: Record<string, string> = {};
        response.headers.forEach((value, name) => (headers[name] = value));
        return { result: { statusCode: response.status, headers, body: await response.text() } };
      } catch (error) {
        return { error: { type: 'HTTP:ConnectionError', message: `Could not reach ${url.origin}: ${(error as Error).message}` } };
      }
    },
  };
}
