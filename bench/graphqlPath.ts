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
 *
 * The GraphQL sides are called with a `node:http` keep-alive client, the client type the raw side's SDK
 * uses (keepAliveJsonClient.ts); our side is also measured with Node's `fetch`, as before. Two more rows
 * split our side's cost: the same mutation shape on a NONE data source (HTTP + server + engine, no
 * DynamoDB) and that mutation executed in process (`LocalGraphqlApi.execute`: the server's work without HTTP).
 */
import { AmplifyAppSyncSimulator, AmplifyAppSyncSimulatorAuthenticationType, RESOLVER_KIND } from '@aws-amplify/amplify-appsync-simulator';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import {
  noneDataSource,
  AppSyncDynamoDbDataSource,
  createDataSourceClient,
  DynamoDbLocal,
  DYNAMODB_LOCAL_CREDENTIALS,
  DYNAMODB_LOCAL_REGION,
} from '../local/index.ts';
import { LocalGraphqlApi } from '../local/index.ts';
import { LocalAppSyncServer } from '../local/index.ts';
import { ensureLocalCertificate } from '../local/index.ts';
import type { AppSyncApiModel, DataSource } from '../local/index.ts';
import { KeepAliveJsonClient } from './keepAliveJsonClient.ts';
import { fixed, latenciesMs, median, ratiosOf, ratioText, sideBySide, spread, summarize, type BenchResult } from './measure.ts';

const ROUNDS = 9;
const REQUESTS = 150;
const WARMUP = 200;
const TABLE = 'bench-items';
const API_KEY = 'da2-benchgraphqlpath';
const ACCOUNT = '123456789012';

const SCHEMA = `type Item @aws_api_key { id: ID! name: String! }
type Query { getItem(id: ID!): Item }
type Mutation { putItem(id: ID!, name: String!): Item echoItem(id: ID!, name: String!): Item }
schema { query: Query mutation: Mutation }`;

const JS_RESOLVER = `import * as ddb from '@aws-appsync/utils/dynamodb';
export function request(ctx) { return ddb.put({ key: { id: ctx.args.id }, item: { name: ctx.args.name } }); }
export function response(ctx) { return ctx.result; }`;

/** The same mutation shape answered by a NONE data source: everything of our side but DynamoDB. */
const ECHO_RESOLVER = `export function request(ctx) { return { payload: { id: ctx.args.id, name: ctx.args.name } }; }
export function response(ctx) { return ctx.result; }`;

const VTL_REQUEST = `{
  "version": "2018-05-29",
  "operation": "PutItem",
  "key": { "id": $util.dynamodb.toDynamoDBJson($ctx.args.id) },
  "attributeValues": { "name": $util.dynamodb.toDynamoDBJson($ctx.args.name) }
}`;
const VTL_RESPONSE = '$util.toJson($ctx.result)';

const MUTATION = 'mutation Put($id: ID!, $name: String!) { putItem(id: $id, name: $name) { id name } }';
const ECHO_MUTATION = 'mutation Echo($id: ID!, $name: String!) { echoItem(id: $id, name: $name) { id name } }';

/** `dataSource` with the duration of each call pushed to `durations` (ms). */
function timed(dataSource: AppSyncDynamoDbDataSource, durations: number[]): DataSource {
  return {
    invoke: async (request, call) => {
      const started = performance.now();
      const response = await dataSource.invoke(request, call);
      durations.push(performance.now() - started);
      return response;
    },
  };
}

export async function run(): Promise<BenchResult> {
  const db = await DynamoDbLocal.start();
  const client = createDataSourceClient(db.endpoint);
  const http = new KeepAliveJsonClient();
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

    // The data source's call timed where it runs, inside our request: the DynamoDB leg of our side.
    const dynamoDbLegs: number[] = [];
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
      dataSources: { Items: { name: 'Items', type: 'AMAZON_DYNAMODB', tableName: TABLE }, None: { name: 'None', type: 'NONE' } },
      functions: {},
      resolvers: [
        { typeName: 'Mutation', fieldName: 'putItem', kind: 'UNIT', code: JS_RESOLVER, dataSourceName: 'Items', functionIds: [] },
        { typeName: 'Mutation', fieldName: 'echoItem', kind: 'UNIT', code: ECHO_RESOLVER, dataSourceName: 'None', functionIds: [] },
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
      dataSources: { Items: timed(new AppSyncDynamoDbDataSource({ client, tableName: TABLE }), dynamoDbLegs), None: noneDataSource },
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
    const headers = { 'x-api-key': API_KEY };
    const expectItem = (url: string, field: 'putItem' | 'echoItem', body: unknown) => {
      const item = (body as { data?: Record<string, { name?: string } | null> }).data?.[field];
      if (item?.name !== 'bench item') throw new Error(`${url}: ${JSON.stringify(body)}`);
    };
    const mutation = (url: string) => async () => {
      expectItem(url, 'putItem', await http.post(url, headers, { query: MUTATION, variables: { id: ulid(), name: 'bench item' } }));
    };
    const mutationByFetch = (url: string) => async () => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: MUTATION, variables: { id: ulid(), name: 'bench item' } }),
      });
      expectItem(url, 'putItem', await response.json());
    };
    const echo = async () => {
      expectItem(
        ourUrl,
        'echoItem',
        await http.post(ourUrl, headers, { query: ECHO_MUTATION, variables: { id: ulid(), name: 'bench item' } }),
      );
    };
    const apiKeyCaller = { mode: 'API_KEY' as const, identity: null };
    const echoInProcess = async () => {
      const request = { query: ECHO_MUTATION, variables: { id: ulid(), name: 'bench item' } };
      const read = await api.readBody(JSON.stringify(request));
      if (read.kind !== 'json') throw new Error(`echo in process: ${read.kind}`);
      const answer = await api.execute(read.body as never, apiKeyCaller, { headers, sourceIp: '127.0.0.1', domainName: null });
      expectItem('execute', 'echoItem', JSON.parse(JSON.stringify(answer)));
    };
    const raw = async () => {
      await documents.send(new PutCommand({ TableName: TABLE, Item: { id: ulid(), name: 'bench item' } }));
    };
    const sides = {
      ours: mutation(ourUrl),
      oursByFetch: mutationByFetch(ourUrl),
      simulator: mutation(simulatorUrl),
      raw,
      echo,
      echoInProcess,
    };
    for (const fn of Object.values(sides)) await latenciesMs(WARMUP, fn);
    const legPerRound: number[] = [];
    const perRound = await sideBySide(ROUNDS, {
      ours: async () => {
        dynamoDbLegs.length = 0;
        const latency = median(await latenciesMs(REQUESTS, sides.ours));
        legPerRound.push(median(dynamoDbLegs));
        return latency;
      },
      oursByFetch: async () => median(await latenciesMs(REQUESTS, sides.oursByFetch)),
      simulator: async () => median(await latenciesMs(REQUESTS, sides.simulator)),
      raw: async () => median(await latenciesMs(REQUESTS, sides.raw)),
      echo: async () => median(await latenciesMs(REQUESTS, sides.echo)),
      echoInProcess: async () => median(await latenciesMs(REQUESTS, sides.echoInProcess)),
    });
    const overRaw = (side: keyof typeof perRound) => summarize(ratiosOf(perRound[side], perRound.raw));
    const oursOverRaw = overRaw('ours');
    const simulatorOverRaw = overRaw('simulator');
    const oursOverSimulator = summarize(ratiosOf(perRound.ours, perRound.simulator));
    const row = (side: string, key: keyof typeof perRound, simulatorRatio = '') => ({
      side,
      'latency ms': spread(summarize(perRound[key]), 3),
      '/ raw PutItem': key === 'raw' ? '1.00×' : ratioText(overRaw(key)),
      '/ simulator': simulatorRatio,
    });
    const rows = [
      row('ours: GraphQL mutation over HTTP, APPSYNC_JS resolver (node:http client)', 'ours', ratioText(oursOverSimulator)),
      row('ours, same mutation with a fetch client', 'oursByFetch'),
      row('simulator: same mutation, VTL resolver (node:http client)', 'simulator', '1.00×'),
      row('raw: PutItem with lib-dynamodb', 'raw'),
      row('part of ours: same mutation on a NONE data source (HTTP + server + engine)', 'echo'),
      row('part of ours: that mutation in process (server + engine, no HTTP)', 'echoInProcess'),
      {
        side: "part of ours: the data source's PutItem, timed inside our request",
        'latency ms': spread(summarize(legPerRound), 3),
        '/ raw PutItem': ratioText(summarize(ratiosOf(legPerRound, perRound.raw))),
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
          measured: `${fixed(oursOverRaw.median)}× with the raw side's client type (fetch client: ${fixed(overRaw('oursByFetch').median)}×; simulator's VTL path: ${fixed(simulatorOverRaw.median)}× in this run)`,
        },
      ],
      notes: [
        "Clients: node:http with a keep-alive agent to each server on 127.0.0.1, in the bench's process (the SDK's own client type: the raw side uses the DynamoDB client our data source uses); the fetch row uses Node's fetch (undici). The simulator's data source has its own SDK client.",
        "The three last rows are parts of our side, not other products: the NONE row is our side without DynamoDB, the NONE row minus the in-process row is the HTTP hop (client and server), and the last row is our side's DynamoDB call (the same client and request as the raw side's) as it runs inside a request.",
        'The simulator listens on all interfaces (its own choice, not configurable); requests go to 127.0.0.1.',
      ],
      data: { rounds: ROUNDS, requests: REQUESTS, perRoundMedianMs: { ...perRound, dynamoDbLegInsideOurs: legPerRound } },
    };
  } finally {
    await simulator?.stop();
    await server?.stop();
    http.close();
    client.destroy();
    await db.stop();
  }
}
