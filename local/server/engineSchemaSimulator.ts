/**
 * The AppSync simulator's schema builder used only for what it does well: the schema (AppSync
 * scalars, auth directives, @aws_subscribe publishing). Every field with a resolver runs in this
 * project's APPSYNC_JS engine instead of the simulator's VTL.
 *
 * Why the builder alone (lib/schema, the function the simulator's own `init` calls) and not the
 * simulator class: the class's module loads every data loader it has, among them OpenSearch's, which
 * loads @aws-amplify/amplify-cli-core: 2.2 s of the runtime's 7 s of module loading at `npm start`,
 * for nothing this runtime runs. The builder asks its context for four things, given here: the
 * resolver of a configured field, the API's default auth mode, a pubsub to publish mutation results
 * to, and an async iterator for graphql-js's own subscribe (never used: the real-time server serves
 * subscriptions through `onPublish`).
 */
import { generateResolvers } from '@aws-amplify/amplify-appsync-simulator/lib/schema/index.js';
import { Source, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import type { AppSyncApiModel } from '../template/cloudAssembly.ts';
import { publishedSelection } from './mutationSelection.ts';

/** Runs one field of a request in the engine; `context` is the execution context graphql-js was given. */
export type EngineFieldResolver = (
  typeName: string,
  fieldName: string,
  source: unknown,
  args: Record<string, unknown>,
  context: never,
  info: GraphQLResolveInfo,
) => Promise<unknown>;

/** A published mutation result, handed to the subscribers of one subscription field. */
export type PublishListener = (payload: Record<string, unknown>) => void;

interface FieldResolver {
  resolve(source: unknown, args: Record<string, unknown>, context: never, info: GraphQLResolveInfo): Promise<unknown>;
}

/**
 * The API's schema, built by the simulator with each resolver field answered by `resolveInEngine`,
 * and the subscription side of @aws_subscribe.
 *
 * @example
 * const schema = new EngineSchema(model, (typeName, fieldName, source, args, context, info) => engine.resolve(...));
 * const stop = schema.onPublish('onReservationSaved', (payload) => send(payload));
 */
export class EngineSchema {
  readonly schema: GraphQLSchema;
  /** Per subscription field, who hears the results of the mutations @aws_subscribe binds to it. */
  private readonly listeners = new Map<string, Set<PublishListener>>();
  /** The request info of each mutation result, by the result object the builder then publishes: what its caller selected. */
  private readonly selections = new WeakMap<object, GraphQLResolveInfo>();

  constructor(model: AppSyncApiModel, resolveInEngine: EngineFieldResolver) {
    // Subscriptions get the builder's default resolvers (they echo the published result); every other field with a
    // resolver in the template is answered by the engine.
    const engineFields = model.resolvers.filter((resolver) => resolver.typeName !== 'Subscription');
    const engineResolvers = new Map<string, FieldResolver>(
      engineFields.map(({ typeName, fieldName }) => [
        `${typeName}:${fieldName}`,
        {
          resolve: async (source, args, context, info) => {
            const result = await resolveInEngine(typeName, fieldName, source, args, context, info);
            if (typeName === 'Mutation' && result !== null && typeof result === 'object') this.selections.set(result, info);
            return result;
          },
        },
      ]),
    );
    const context = {
      getResolver: (typeName: string, fieldName: string) => engineResolvers.get(`${typeName}:${fieldName}`),
      appSyncConfig: { defaultAuthenticationType: { authenticationType: model.defaultAuthentication } },
      pubsub: {
        publish: (subscriptionField: string, result: Record<string, unknown>) => {
          // AppSync publishes the fields the mutation selected, not the whole result.
          const info = result !== null && typeof result === 'object' ? this.selections.get(result) : undefined;
          const payload = (info ? publishedSelection(result, info) : result) as Record<string, unknown>;
          // A copy, as an EventEmitter calls the listeners of the moment an event is emitted.
          for (const each of [...(this.listeners.get(subscriptionField) ?? [])]) each(payload);
          return Promise.resolve();
        },
      },
      asyncIterator: (field: string) => {
        throw new Error(`Subscription.${field} is served by the real-time endpoint, not by graphql-js's subscribe.`);
      },
    };
    const fields = engineFields.map(({ typeName, fieldName }) => ({ typeName, fieldName }));
    this.schema = generateResolvers(new Source(model.schema), fields as never, context as never);
  }

  /** Calls `listener` with the raw result of every mutation bound to `subscriptionField` by @aws_subscribe. */
  onPublish(subscriptionField: string, listener: PublishListener): () => void {
    const listeners = this.listeners.get(subscriptionField) ?? new Set<PublishListener>();
    this.listeners.set(subscriptionField, listeners);
    const entry: PublishListener = (payload) => listener(payload);
    listeners.add(entry);
    return () => {
      listeners.delete(entry);
    };
  }
}
