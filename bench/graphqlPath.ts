/**
 * Benchmark 3b, the GraphQL path: a mutation doing one PutItem, over HTTP, on our stack (the
 * local server + APPSYNC_JS engine + our DynamoDB data source) against a raw PutItem of the same
 * item with `@aws-sdk/lib-dynamodb` (the limit), and against the AppSync simulator serving the
 * same field with a VTL resolver on its own AMAZON_DYNAMODB data source (what simulator users
 * have today). Same DynamoDB Local, same table, requests one at a time.
 *
 *   npm run bench -- graphqlPath
 *
 * Our side is a bench-only, CDK-free API model (one-field schema, one JS unit resolver), served by
 * the same classes the local stack uses (LocalGraphqlApi, LocalAppSyncServer).
 */
import { AmplifyAppSyncSimulator, AmplifyAppSyncSimulatorAuthenticationType, RESOLVER_KIND } from '@aws-amplify/amplify-appsync-simulator';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import {
  AppSyncDynamoDbDataSource,
  createDataSourceClient,
  DynamoDbLocal,
  DYNAMODB_LOCAL_CREDENTIALS,
  DYNAMODB_LOCAL_REGION,
} from '../local/index.ts';
import { LocalGraphqlApi } from '../local/index.ts';
import { LocalAppSyncServer } from '../local/index.ts';
import { ensureLocalCertificate } from '../local/index.ts';
import type { AppSyncApiModel } from '../local/index.ts';
import { fixed, latenciesMs, median, ratiosOf, ratioText, sideBySide, spread, summarize, type BenchResult } from './measure.ts';

const ROUNDS = 9;
const REQUESTS = 150;
const WARMUP = 200;
const TABLE = 'bench-items';
const API_KEY = 'da2-benchgraphqlpath';
const ACCOUNT = '123456789012';

const SCHEMA = `type Item @aws_api_key { id: ID! name: String! }
type Query { getItem(id: ID!): Item }
type Mutation { putItem(id: ID!, name: String!): Item }
schema { query: Query mutation: Mutation }`;

const JS_RESOLVER = `import * as ddb from '@aws-appsync/utils/dynamodb';
export function request(ctx) { return ddb.put({ key: { id: ctx.args.id }, item: { name: ctx.args.name } }); }
export function response(ctx) { return ctx.result; }`;

const VTL_REQUEST = `{
  "version": "2018-05-29",
  "operation": "PutItem",
  "key": { "id": $util.dynamodb.toDynamoDBJson($ctx.args.id) },
  "attributeValues": { "name": $util.dynamodb.toDynamoDBJson($ctx.args.name) }
}`;
const VTL_RESPONSE = '$util.toJson($ctx.result)';

const MUTATION = 'mutation Put($id: ID!, $name: String!) { putItem(id: $id, name: $name) { id name } }';

export async function run(): Promise<BenchResult> {
  const db = await DynamoDbLocal.start();
  const client = createDataSourceClient(db.endpoint);
  let server: LocalAppSyncServer | undefined;
  let simulator: AmplifyAppSyncSimulator | undefined;
  try {
    const admin = db.createClient();
    await admin.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    admin.destroy();

    const model: AppSyncApiModel = {
      logicalId: 'BenchApi',
      apiId: 'benchapi',
      name: 'bench',
      arn: `arn:aws:appsync:us-east-1:${ACCOUNT}:apis/benchapi`,
      schema: SCHEMA,
      defaultAuthentication: 'API_KEY',
      additionalAuthentications: [],
      hasApiKey: true,
      environment: {},
      dataSources: { Items: { name: 'Items', type: 'AMAZON_DYNAMODB', tableName: TABLE } },
      functions: {},
      resolvers: [
        { typeName: 'Mutation', fieldName: 'putItem', kind: 'UNIT', code: JS_RESOLVER, dataSourceName: 'Items', functionIds: [] },
        {
          typeName: 'Query',
          fieldName: 'getItem',
          kind: 'UNIT',
          code: JS_RESOLVER.replace(
            'ddb.put({ key: { id: ctx.args.id }, item: { name: ctx.args.name } })',
            'ddb.get({ key: { id: ctx.args.id } })',
          ),
          dataSourceName: 'Items',
          functionIds: [],
        },
      ],
    };
    const api = new LocalGraphqlApi(model, {
      apiKey: API_KEY,
      accountId: ACCOUNT,
      dataSources: { Items: new AppSyncDynamoDbDataSource({ client, tableName: TABLE }) },
    });
    const certificate = await ensureLocalCertificate('.local/tls');
    server = new LocalAppSyncServer({
      api,
      auth: { modes: ['API_KEY'], apiKey: API_KEY, accountId: ACCOUNT },
      port: 0,
      host: '127.0.0.1',
      tls: { key: certificate.key, cert: certificate.cert },
    });
    const ourUrl = `http://127.0.0.1:${await server.start()}/graphql`;

    simulator = new AmplifyAppSyncSimulator({ port: 0, wsPort: 0 });
    simulator.init({
      schema: { content: SCHEMA },
      appSync: {
        name: 'bench',
        apiKey: API_KEY,
        defaultAuthenticationType: { authenticationType: AmplifyAppSyncSimulatorAuthenticationType.API_KEY },
        additionalAuthenticationProviders: [],
      },
      dataSources: [
        {
          type: 'AMAZON_DYNAMODB',
          name: 'Items',
          config: { tableName: TABLE, endpoint: db.endpoint, region: DYNAMODB_LOCAL_REGION, credentials: DYNAMODB_LOCAL_CREDENTIALS },
        },
      ],
      resolvers: [
        {
          kind: RESOLVER_KIND.UNIT,
          typeName: 'Mutation',
          fieldName: 'putItem',
          dataSourceName: 'Items',
          requestMappingTemplate: VTL_REQUEST,
          responseMappingTemplate: VTL_RESPONSE,
        },
        {
          kind: RESOLVER_KIND.UNIT,
          typeName: 'Query',
          fieldName: 'getItem',
          dataSourceName: 'Items',
          requestMappingTemplate: '{"version":"2018-05-29","operation":"GetItem","key":{"id":$util.dynamodb.toDynamoDBJson($ctx.args.id)}}',
          responseMappingTemplate: VTL_RESPONSE,
        },
      ],
      mappingTemplates: [],
    } as never);
    await simulator.start();
    const simulatorUrl = `http://127.0.0.1:${new URL(simulator.url).port}/graphql`;

    const documents = DynamoDBDocumentClient.from(client);
    const mutation = (url: string) => async () => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
        body: JSON.stringify({ query: MUTATION, variables: { id: ulid(), name: 'bench item' } }),
      });
      const body = (await response.json()) as { data?: { putItem?: { name?: string } }; errors?: unknown };
      if (body.data?.putItem?.name !== 'bench item') throw new Error(`${url}: ${JSON.stringify(body)}`);
    };
    const raw = async () => {
      await documents.send(new PutCommand({ TableName: TABLE, Item: { id: ulid(), name: 'bench item' } }));
    };
    const sides = { ours: mutation(ourUrl), simulator: mutation(simulatorUrl), raw };
    for (const fn of Object.values(sides)) await latenciesMs(WARMUP, fn);
    const perRound = await sideBySide(ROUNDS, {
      ours: async () => median(await latenciesMs(REQUESTS, sides.ours)),
      simulator: async () => median(await latenciesMs(REQUESTS, sides.simulator)),
      raw: async () => median(await latenciesMs(REQUESTS, sides.raw)),
    });
    const oursOverRaw = summarize(ratiosOf(perRound.ours, perRound.raw));
    const simulatorOverRaw = summarize(ratiosOf(perRound.simulator, perRound.raw));
    const oursOverSimulator = summarize(ratiosOf(perRound.ours, perRound.simulator));
    const rows = [
      {
        side: 'ours: GraphQL mutation over HTTP, APPSYNC_JS resolver',
        'latency ms': spread(summarize(perRound.ours), 3),
        '/ raw PutItem': ratioText(oursOverRaw),
        '/ simulator': ratioText(oursOverSimulator),
      },
      {
        side: 'simulator: same mutation, VTL resolver',
        'latency ms': spread(summarize(perRound.simulator), 3),
        '/ raw PutItem': ratioText(simulatorOverRaw),
        '/ simulator': '1.00×',
      },
      {
        side: 'raw: PutItem with lib-dynamodb',
        'latency ms': spread(summarize(perRound.raw), 3),
        '/ raw PutItem': '1.00×',
        '/ simulator': '',
      },
    ];
    return {
      name: 'graphqlPath',
      title: "GraphQL path: a one-PutItem mutation over HTTP on our stack vs the simulator's VTL path vs a raw PutItem",
      tables: [
        {
          title: `Latency per request, one at a time: median (min–max) over ${ROUNDS} rounds of the median of ${REQUESTS} requests; ratios per round`,
          rows,
        },
      ],
      targets: [
        {
          target: 'HTTP mutation within 1.5× of a raw PutItem',
          met: oursOverRaw.median <= 1.5,
          measured: `${fixed(oursOverRaw.median)}× (simulator's VTL path: ${fixed(simulatorOverRaw.median)}× in this run)`,
        },
      ],
      notes: [
        "Clients: Node fetch (keep-alive) to each server on 127.0.0.1; the raw side uses the DynamoDB client our data source uses. The simulator's data source has its own SDK client.",
        'The simulator listens on all interfaces (its own choice, not configurable); requests go to 127.0.0.1.',
      ],
      data: { rounds: ROUNDS, requests: REQUESTS, perRoundMedianMs: perRound },
    };
  } finally {
    await simulator?.stop();
    await server?.stop();
    client.destroy();
    await db.stop();
  }
}
