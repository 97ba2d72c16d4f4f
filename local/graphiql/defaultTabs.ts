/**
 * GraphiQL's opening tabs, derived from the served schema so any app served shows its own
 * operations: a subscription, the mutations that answer on it, and the queries of the same thing.
 *
 * - The subscription: the one the app's launcher names (`graphiqlSubscription`), else the first
 *   subscription field with an ID argument, else the first one.
 * - Its subject is the field's name without `on` and its last word (`onReservationSaved` →
 *   `Reservation`). Mutations and queries the page's mode (API key) may call whose names hold the
 *   subject follow: each mutation in a tab, the queries with an `id` argument together in one.
 *   An app whose names share no subject gets its first callable mutation and query.
 * - Variables: `id` arguments and input fields take the page's id ({@link ID_PLACEHOLDER}, which
 *   the page replaces), other required fields an example of their type; dates are a stay 30 days ahead.
 */
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/** Stands for the page's id in the tabs' variables; the page puts its id in its place. */
export const ID_PLACEHOLDER = '<page id>';

export interface GraphiqlTab {
  query: string;
  variables: Record<string, unknown>;
}

export interface DefaultTabsOptions {
  /** Whether the page (API key) may call a root field. */
  callable(typeName: string, fieldName: string): boolean;
  /** The subscription to open on (a launcher's choice for its app); else the schema's first with an ID argument. */
  subscription?: string;
  /** The day dates count from, as YYYY-MM-DD; default today. */
  today?: string;
}

/**
 * @example
 * const tabs = defaultTabsFor(api.schema, { callable: (type, field) => api.isAllowed(type, field, apiKeyAuth), subscription: 'onReservationSaved' });
 * // [{ query: 'subscription OnReservationSaved($id: ID!) { … }', variables: { id: '<page id>' } }, …]
 */
export function defaultTabsFor(schema: GraphQLSchema, options: DefaultTabsOptions): GraphiqlTab[] {
  const callableFields = (type: GraphQLObjectType | null | undefined) =>
    Object.values(type?.getFields() ?? {}).filter((field) => options.callable(type!.name, field.name));
  const subscriptions = callableFields(schema.getSubscriptionType());
  const subscription =
    subscriptions.find((field) => field.name === options.subscription) ??
    subscriptions.find((field) => field.args.some(isIdArgument)) ??
    subscriptions[0];
  const subject = subscription ? subjectOf(subscription.name) : '';
  const mutations = callableFields(schema.getMutationType());
  const queries = callableFields(schema.getQueryType());
  const related = <T extends GraphQLField<unknown, unknown>>(fields: T[]) =>
    subject ? fields.filter((field) => field.name.includes(subject)) : [];
  const commands = related(mutations).length > 0 ? related(mutations) : mutations.slice(0, 1);
  const byId = related(queries).filter((field) => field.args.some(isIdArgument));
  const reads = byId.length > 0 ? byId : queries.slice(0, 1);
  const dates = exampleDates(options.today ?? new Date().toISOString().slice(0, 10));
  const tabs: GraphiqlTab[] = [];
  if (subscription) {
    const tab = operationTab('subscription', [subscription], dates);
    tab.query = `# 1. Run this subscription (▶): it waits for what is published on this id.
# 2. Open the link "send a command from a second window" above, run a mutation there,
#    and watch what it publishes arrive here.
${tab.query}`;
    tabs.push(tab);
  }
  for (const [index, command] of commands.entries()) {
    const tab = operationTab('mutation', [command], dates);
    if (index === 0 && subscription) tab.query = `# Its outcome arrives on ${subscription.name}, in the first tab.\n${tab.query}`;
    tabs.push(tab);
  }
  if (reads.length > 0) tabs.push(operationTab('query', reads, dates));
  return tabs;
}

function isIdArgument(argument: GraphQLArgument): boolean {
  return argument.name === 'id' && getNamedType(argument.type).name === 'ID';
}

/** `onReservationSaved` → `Reservation`: the name without `on` and without its last word. */
function subjectOf(fieldName: string): string {
  const words = fieldName.replace(/^on(?=[A-Z])/, '').match(/[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])/g) ?? [];
  return words.length > 1 ? words.slice(0, -1).join('') : (words[0] ?? '');
}

function operationTab(
  kind: 'subscription' | 'mutation' | 'query',
  fields: GraphQLField<unknown, unknown>[],
  dates: () => string,
): GraphiqlTab {
  const variables: Record<string, unknown> = {};
  const declared = new Map<string, string>();
  const selections = fields.map((field) => {
    const args = field.args.filter((argument) => isNonNullType(argument.type) || argument.name === 'id');
    for (const argument of args) {
      declared.set(argument.name, String(argument.type));
      variables[argument.name] ??= exampleValue(argument.name, argument.type, dates);
    }
    const call = args.length > 0 ? `(${args.map((argument) => `${argument.name}: $${argument.name}`).join(', ')})` : '';
    return `  ${field.name}${call}${selectionOf(field)}`;
  });
  const name = fields[0]!.name.charAt(0).toUpperCase() + fields[0]!.name.slice(1);
  const variableList = declared.size > 0 ? `(${[...declared].map(([variable, type]) => `$${variable}: ${type}`).join(', ')})` : '';
  return { query: `${kind} ${name}${variableList} {\n${selections.join('\n')}\n}`, variables };
}

/** Scalar and enum fields, and those of object fields one level down (AppSync's depth limits stay far). */
function selectionOf(field: GraphQLField<unknown, unknown>, depth = 0): string {
  const type = getNamedType(field.type);
  if (!isObjectType(type)) return '';
  const parts = Object.values(type.getFields())
    .filter((child) => child.args.every((argument) => !isNonNullType(argument.type)))
    .flatMap((child) => {
      const named = getNamedType(child.type);
      if (isScalarType(named) || isEnumType(named)) return [child.name];
      return depth === 0 && isObjectType(named) ? [`${child.name}${selectionOf(child, depth + 1)}`] : [];
    });
  return parts.length > 0 ? ` { ${parts.join(' ')} }` : '';
}

function exampleValue(name: string, type: GraphQLInputType, dates: () => string): unknown {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return [exampleValue(name, inner.ofType, dates)];
  if (isInputObjectType(inner)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(inner.getFields())) {
      if (isNonNullType(field.type) || field.name === 'id') value[field.name] = exampleValue(field.name, field.type, dates);
    }
    return value;
  }
  if (isEnumType(inner)) return inner.getValues()[0]?.value;
  switch (inner.name) {
    case 'ID':
      return name === 'id' ? ID_PLACEHOLDER : `${name.replace(/Id$/, '')}-1`;
    case 'AWSDate':
      return dates();
    case 'AWSDateTime':
      return `${dates()}T12:00:00Z`;
    case 'AWSEmail':
      return 'someone@example.com';
    case 'Int':
    case 'Float':
      return 1;
    case 'Boolean':
      return true;
    default:
      return name;
  }
}

/** Dates for a stay: 30 days ahead, then 3 days later for each further date field. */
function exampleDates(today: string): () => string {
  let offset = 30;
  return () => {
    const date = new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
    offset += 3;
    return date;
  };
}
