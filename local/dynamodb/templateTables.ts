/**
 * The template's tables on DynamoDB Local: `AWS::DynamoDB::Table` and `GlobalTable` resources created
 * as CloudFormation would (keys, indexes, TTL, streams); tables already there (a persisted database)
 * are kept, and get the stream the template now asks for.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  ListTablesCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  type LocalSecondaryIndex,
  type Projection,
  type StreamViewType,
} from '@aws-sdk/client-dynamodb';

/** The part of a CloudFormation resource this module reads. */
export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

interface CfnIndex {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection?: Projection;
}

/**
 * Creates a table in DynamoDB Local for every `AWS::DynamoDB::Table` and `AWS::DynamoDB::GlobalTable`
 * of a template: keys, attribute definitions, GSIs, LSIs and TTL. Billing, streams, replicas and
 * encryption are ignored. A table that already exists (a persisted database) is kept as it is.
 *
 * Returns logical id → table name, so a loader can resolve `{ Ref: logicalId }`. The name is the
 * resource's `TableName` when it is a plain string, else the logical id (padded to DynamoDB's
 * minimum of 3 characters).
 *
 * @example
 * const tables = await createTablesFromTemplate(client, template.Resources);
 * tables.EventStoreTable9A84AAAA; // 'EventStoreTable9A84AAAA'
 */
export async function createTablesFromTemplate(
  client: DynamoDBClient,
  resources: Readonly<Record<string, TemplateResource>>,
): Promise<Record<string, string>> {
  const tableNames: Record<string, string> = {};
  const existing = new Set<string>();
  let startTableName: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: startTableName }));
    for (const name of page.TableNames ?? []) {
      existing.add(name);
    }
    startTableName = page.LastEvaluatedTableName;
  } while (startTableName);

  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::DynamoDB::Table' && resource.Type !== 'AWS::DynamoDB::GlobalTable') {
      continue;
    }
    const properties = resource.Properties ?? {};
    const tableName = typeof properties.TableName === 'string' ? properties.TableName : logicalId.padEnd(3, '_');
    tableNames[logicalId] = tableName;
    if (existing.has(tableName)) {
      await enableStreamIfMissing(client, tableName, properties);
      continue;
    }
    await client.send(new CreateTableCommand(createTableInput(tableName, properties)));
    const ttl = properties.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
    if (ttl?.Enabled && ttl.AttributeName) {
      await client.send(
        new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: ttl.AttributeName, Enabled: true } }),
      );
    }
  }
  return tableNames;
}

/** A kept (persisted) table that the template now gives a stream gets it, as a stack update would. */
async function enableStreamIfMissing(client: DynamoDBClient, tableName: string, properties: Record<string, unknown>): Promise<void> {
  const wanted = streamSpecificationOf(properties).StreamSpecification;
  if (!wanted) return;
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (Table?.StreamSpecification?.StreamEnabled) return;
  await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: wanted }));
}

function createTableInput(tableName: string, properties: Record<string, unknown>): CreateTableCommandInput {
  const globalIndexes = (properties.GlobalSecondaryIndexes as CfnIndex[] | undefined) ?? [];
  const localIndexes = (properties.LocalSecondaryIndexes as CfnIndex[] | undefined) ?? [];
  const toIndex = (index: CfnIndex): GlobalSecondaryIndex & LocalSecondaryIndex => ({
    IndexName: index.IndexName,
    KeySchema: index.KeySchema.map(({ AttributeName, KeyType }) => ({ AttributeName, KeyType })),
    Projection: index.Projection ?? { ProjectionType: 'ALL' },
  });
  return {
    TableName: tableName,
    AttributeDefinitions: (properties.AttributeDefinitions as AttributeDefinition[]).map(({ AttributeName, AttributeType }) => ({
      AttributeName,
      AttributeType,
    })),
    KeySchema: (properties.KeySchema as KeySchemaElement[]).map(({ AttributeName, KeyType }) => ({ AttributeName, KeyType })),
    // On demand everywhere: provisioned capacity means nothing locally.
    BillingMode: 'PAY_PER_REQUEST',
    ...(globalIndexes.length > 0 ? { GlobalSecondaryIndexes: globalIndexes.map(toIndex) } : {}),
    ...(localIndexes.length > 0 ? { LocalSecondaryIndexes: localIndexes.map(toIndex) } : {}),
    ...streamSpecificationOf(properties),
  };
}

/** The table's stream (DynamoDB Local serves DynamoDB Streams): `StreamSpecification.StreamViewType`, as on AWS. */
function streamSpecificationOf(properties: Record<string, unknown>): Pick<CreateTableCommandInput, 'StreamSpecification'> {
  const viewType = (properties.StreamSpecification as { StreamViewType?: StreamViewType } | undefined)?.StreamViewType;
  return viewType ? { StreamSpecification: { StreamEnabled: true, StreamViewType: viewType } } : {};
}
