/**
 * Task integrations against real parts: DynamoDB tasks against DynamoDB Local (optimized and aws-sdk, with
 * AWS's error names), events:putEvents into the local bus whose rule starts another state machine as the
 * rule's role, http:invoke against a local HTTP server, and the Lambda port refusing by name.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalEventBus } from '../../../local/index.ts';
import { LocalStepFunctions } from '../../../local/index.ts';
import { stepFunctionsIntegrations, stepFunctionsTargetInvoker } from '../../../local/index.ts';
import type { IamRoleModel } from '../../../local/index.ts';
import { useDynamoDbLocal } from '../../helpers/dynamoDbLocal.ts';

const TABLE = 'Orders';
const local = useDynamoDbLocal({
  resources: {
    OrdersTable: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        TableName: TABLE,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      },
    },
  },
});

const ROLE_ARN = 'arn:aws:iam::123456789012:role/rule-role';
const CHILD_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:child';
const roles: Record<string, IamRoleModel> = {
  [ROLE_ARN]: {
    logicalId: 'RuleRole',
    arn: ROLE_ARN,
    name: 'rule-role',
    statements: [{ Effect: 'Allow', Action: 'states:StartExecution', Resource: CHILD_ARN }],
  },
};

let sfn: LocalStepFunctions;
let bus: LocalEventBus;
let closeTasks: () => void;
let http: Server;
let httpUrl: string;

beforeAll(async () => {
  bus = new LocalEventBus({
    account: '123456789012',
    region: 'us-east-1',
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    invokers: { stepFunctions: (call) => stepFunctionsTargetInvoker(sfn, roles)(call) },
  });
  sfn = new LocalStepFunctions();
  const tasks = stepFunctionsIntegrations({ bus, dynamoDbEndpoint: local.db.endpoint, region: 'us-east-1' });
  closeTasks = tasks.close;
  sfn.useIntegrations(tasks.integrations);
  http = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/rooms') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ room: url.searchParams.get('id'), method: request.method }));
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('no such page');
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  httpUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await sfn.close();
  bus.close();
  closeTasks();
  await new Promise((resolve) => http.close(resolve));
});

async function run(
  name: string,
  definition: object,
  input: unknown = {},
): Promise<{ status: string; output?: unknown; error?: string; cause?: string }> {
  const { stateMachineArn } = sfn.createStateMachine({ name, definition });
  const { executionArn } = sfn.startExecution({ stateMachineArn, input: JSON.stringify(input) });
  await sfn.waitFor(executionArn);
  const described = sfn.describeExecution({ executionArn }) as { status: string; output?: string; error?: string; cause?: string };
  return {
    status: described.status,
    output: described.output === undefined ? undefined : JSON.parse(described.output),
    error: described.error,
    cause: described.cause,
  };
}

describe('DynamoDB tasks against DynamoDB Local', () => {
  it('puts, reads, updates and deletes an item with the optimized integration (connect-ddb.html)', async () => {
    const definition = {
      StartAt: 'Put',
      States: {
        Put: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:putItem',
          Parameters: {
            TableName: TABLE,
            Item: { pk: { 'S.$': '$.id' }, count: { N: '1' } },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
          ResultPath: null,
          Next: 'Get',
        },
        Get: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:getItem',
          Parameters: { TableName: TABLE, Key: { pk: { 'S.$': '$.id' } } },
          ResultSelector: { 'count.$': '$.Item.count.N' },
          ResultPath: '$.read',
          Next: 'Update',
        },
        Update: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:updateItem',
          Parameters: {
            TableName: TABLE,
            Key: { pk: { 'S.$': '$.id' } },
            UpdateExpression: 'ADD #c :one',
            ExpressionAttributeNames: { '#c': 'count' },
            ExpressionAttributeValues: { ':one': { N: '1' } },
            ReturnValues: 'UPDATED_NEW',
          },
          ResultPath: '$.updated',
          End: true,
        },
      },
    };
    const result = await run('ddb-optimized', definition, { id: 'order-1' });
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      output: { id: 'order-1', read: { count: '1' }, updated: { Attributes: { count: { N: '2' } } } },
    });
    const stored = await local.client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'order-1' } } }));
    expect(stored.Item).toEqual({ pk: { S: 'order-1' }, count: { N: '2' } });
  });

  it('fails a conditional put with DynamoDB.ConditionalCheckFailedException, which a Catch can handle', async () => {
    const definition = {
      StartAt: 'Put',
      States: {
        Put: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:putItem',
          Parameters: { TableName: TABLE, Item: { pk: { S: 'order-1' } }, ConditionExpression: 'attribute_not_exists(pk)' },
          Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], Next: 'AlreadyThere' }],
          End: true,
        },
        AlreadyThere: { Type: 'Pass', End: true },
      },
    };
    const result = await run('ddb-conflict', definition);
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ Error: 'DynamoDB.ConditionalCheckFailedException' });
    expect((result.output as { Cause: string }).Cause).toMatch(
      /^The conditional request failed \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: .+; Proxy: null\)$/,
    );
  });

  it('runs any DynamoDB action as an aws-sdk integration, with DynamoDb.<Exception> error names (JSONata)', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Put',
      States: {
        Put: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:dynamodb:putItem',
          Arguments: { TableName: TABLE, Item: { pk: { S: '{% $states.input.id %}' }, note: { S: 'sdk' } } },
          Output: '{% $states.input %}',
          Next: 'Query',
        },
        Query: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:dynamodb:query',
          Arguments: {
            TableName: TABLE,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': { S: '{% $states.input.id %}' } },
          },
          Output: '{% {"count": $states.result.Count, "note": $states.result.Items[0].note.S} %}',
          Next: 'Again',
        },
        Again: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:dynamodb:putItem',
          Arguments: { TableName: TABLE, Item: { pk: { S: 'order-2' } }, ConditionExpression: 'attribute_not_exists(pk)' },
          Catch: [
            {
              ErrorEquals: ['DynamoDb.ConditionalCheckFailedException'],
              Output: '{% {"caught": $states.errorOutput.Error, "before": $states.input} %}',
              Next: 'Done',
            },
          ],
          End: true,
        },
        Done: { Type: 'Succeed' },
      },
    };
    const result = await run('ddb-sdk', definition, { id: 'order-2' });
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      output: { caught: 'DynamoDb.ConditionalCheckFailedException', before: { count: 1, note: 'sdk' } },
    });
  });

  it('refuses an optimized action that does not exist with a message naming the aws-sdk form', async () => {
    const result = await run('ddb-scan', {
      StartAt: 'Scan',
      States: { Scan: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:scan', Parameters: { TableName: TABLE }, End: true } },
    });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(result.cause).toContain('arn:aws:states:::aws-sdk:dynamodb:scan');
  });
});

describe('events:putEvents into the local bus', () => {
  it('puts the entry on the bus, whose rule starts another state machine as its role with the transformed input; Resources carry the execution ARN (connect-eventbridge.html)', async () => {
    sfn.createStateMachine({ name: 'child', definition: { StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } } });
    bus.createEventBus({ Name: 'orders' });
    bus.putRule({ Name: 'to-child', EventBusName: 'orders', EventPattern: { source: ['app.parent'] } });
    bus.putTargets({
      Rule: 'to-child',
      EventBusName: 'orders',
      Targets: [
        {
          Id: 'child',
          Arn: CHILD_ARN,
          RoleArn: ROLE_ARN,
          InputTransformer: {
            InputPathsMap: { id: '$.detail.id', resources: '$.resources' },
            InputTemplate: '{"id": <id>, "resources": <resources>}',
          },
        },
      ],
    });
    const parent = {
      StartAt: 'Publish',
      States: {
        Publish: {
          Type: 'Task',
          Resource: 'arn:aws:states:::events:putEvents',
          Parameters: { Entries: [{ EventBusName: 'orders', Source: 'app.parent', DetailType: 'Placed', Detail: { 'id.$': '$.id' } }] },
          End: true,
        },
      },
    };
    const result = await run('parent', parent, { id: 'p-1' });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ FailedEntryCount: 0, Entries: [{ EventId: expect.any(String) }] });
    await bus.idle();
    await sfn.idle();
    const [child] = sfn.listExecutions({ stateMachineArn: CHILD_ARN }).executions;
    const childInput = JSON.parse(String(sfn.describeExecution({ executionArn: String(child!.executionArn) }).input)) as {
      id: string;
      resources: string[];
    };
    expect(childInput.id).toBe('p-1');
    expect(childInput.resources).toEqual([
      expect.stringContaining(':execution:parent:'),
      'arn:aws:states:us-east-1:123456789012:stateMachine:parent',
    ]);
  });

  it('fails the task with EventBridge.FailedEntry when an entry is refused (unknown bus)', async () => {
    const result = await run('lost', {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Task',
          Resource: 'arn:aws:states:::events:putEvents',
          Parameters: { Entries: [{ EventBusName: 'nowhere', Source: 'a', DetailType: 'b', Detail: {} }] },
          End: true,
        },
      },
    });
    expect(result).toMatchObject({ status: 'FAILED', error: 'EventBridge.FailedEntry' });
    expect(JSON.parse(result.cause!)).toMatchObject({ FailedEntryCount: 1 });
  });

  it('does not start a state machine when the rule’s role may not states:StartExecution on it: the delivery fails, naming the role', async () => {
    sfn.createStateMachine({ name: 'guarded', definition: { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } } });
    bus.putRule({ Name: 'to-guarded', EventBusName: 'orders', EventPattern: { source: ['app.guarded'] } });
    bus.putTargets({
      Rule: 'to-guarded',
      EventBusName: 'orders',
      Targets: [
        {
          Id: 'g',
          Arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:guarded',
          RoleArn: ROLE_ARN,
          RetryPolicy: { MaximumRetryAttempts: 0 },
        },
      ],
    });
    bus.putEvents({ Entries: [{ EventBusName: 'orders', Source: 'app.guarded', DetailType: 'x', Detail: '{}' }] });
    await bus.idle();
    expect(sfn.listExecutions({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:guarded' }).executions).toHaveLength(
      0,
    );
    expect(bus.failedDeliveries().at(-1)).toMatchObject({
      ruleName: 'to-guarded',
      errorMessage: `AccessDenied: role ${ROLE_ARN} may not states:StartExecution on arn:aws:states:us-east-1:123456789012:stateMachine:guarded`,
    });
  });
});

describe('http:invoke and the Lambda port', () => {
  it('calls the endpoint for real and answers StatusCode, Headers and the parsed ResponseBody (call-https-apis.html)', async () => {
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::http:invoke',
          Arguments: {
            ApiEndpoint: `${httpUrl}/rooms`,
            Method: 'GET',
            QueryParameters: { id: '{% $states.input.room %}' },
            Authentication: { ConnectionArn: 'arn:aws:events:us-east-1:123456789012:connection/local/x' },
          },
          Output: '{% {"status": $states.result.StatusCode, "body": $states.result.ResponseBody} %}',
          End: true,
        },
      },
    };
    expect(await run('http-ok', definition, { room: '101' })).toMatchObject({
      status: 'SUCCEEDED',
      output: { status: 200, body: { room: '101', method: 'GET' } },
    });
  });

  it('fails with States.Http.StatusCode.404 for a 404 answer', async () => {
    const definition = {
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::http:invoke',
          Parameters: { ApiEndpoint: `${httpUrl}/missing`, Method: 'POST', RequestBody: { a: 1 } },
          End: true,
        },
      },
    };
    const result = await run('http-404', definition);
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Http.StatusCode.404' });
    expect(JSON.parse(result.cause!)).toMatchObject({ StatusCode: 404, ResponseBody: 'no such page' });
  });

  it('refuses a lambda:invoke task, naming the function, until Lambda functions run locally', async () => {
    const definition = {
      StartAt: 'Fn',
      States: {
        Fn: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:charge', Payload: {} },
          End: true,
        },
      },
    };
    const result = await run('lambda', definition);
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(result.cause).toContain('invokes the Lambda function arn:aws:lambda:us-east-1:123456789012:function:charge');
  });
});
