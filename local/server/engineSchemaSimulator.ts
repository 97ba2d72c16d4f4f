/**
 * The AppSync simulator used only for what it does well: building the schema (AppSync scalars, auth
 * directives, @aws_subscribe publishing). Every field with a resolver runs in this project's
 * APPSYNC_JS engine instead of the simulator's VTL.
 *
 * Why a subclass: the simulator's schema looks each field's resolver up at call time through its
 * public `getResolver(typeName, fieldName)`, and offers no other way to plug a resolver in (its
 * resolver map is private). Overriding that public method is the one seam; nothing here reads or
 * writes the simulator's private fields.
 */
import { AmplifyAppSyncSimulator, AmplifyAppSyncSimulatorAuthenticationType, RESOLVER_KIND } from '@aws-amplify/amplify-appsync-simulator';
import type { GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import type { AppSyncApiModel, AuthenticationType } from '../template/cloudAssembly.ts';

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

class EngineBackedSimulator extends AmplifyAppSyncSimulator {
  private readonly engineResolvers = new Map<string, FieldResolver>();

  constructor(private readonly resolveInEngine: EngineFieldResolver) {
    super();
  }

  /** The engine's resolver for each field the simulator holds a placeholder for; the simulator's own answer otherwise. */
  override getResolver(typeName: string, fieldName: string): unknown {
    const key = `${typeName}:${fieldName}`;
    let resolver = this.engineResolvers.get(key);
    if (resolver === undefined) {
      const placeholder: unknown = super.getResolver(typeName, fieldName);
      if (placeholder === undefined) return placeholder;
      resolver = { resolve: (source, args, context, info) => this.resolveInEngine(typeName, fieldName, source, args, context, info) };
      this.engineResolvers.set(key, resolver);
    }
    return resolver;
  }
}

/**
 * The API's schema, built by the simulator with each resolver field answered by `resolveInEngine`,
 * and the subscription side of @aws_subscribe.
 *
 * @example
 * const schema = new EngineSchema(model, apiKey, (typeName, fieldName, source, args, context, info) => engine.resolve(...));
 * const stop = schema.onPublish('onReservationSaved', (payload) => send(payload));
 */
export class EngineSchema {
  readonly schema: GraphQLSchema;
  private readonly simulator: EngineBackedSimulator;
  /** One simulator subscription per field, fanned out here: hundreds of real-time subscribers are normal on AppSync. */
  private readonly listeners = new Map<string, Set<PublishListener>>();

  constructor(model: AppSyncApiModel, apiKey: string, resolveInEngine: EngineFieldResolver) {
    this.simulator = new EngineBackedSimulator(resolveInEngine);
    this.simulator.init({
      schema: { content: model.schema },
      appSync: {
        name: model.name,
        apiKey,
        defaultAuthenticationType: authProvider(model.defaultAuthentication),
        additionalAuthenticationProviders: model.additionalAuthentications.map(authProvider),
      } as never,
      dataSources: [{ type: 'NONE', name: '__engine' }],
      // Placeholders: the simulator needs a VTL resolver per field to build the schema;
      // getResolver answers with the engine's in their place.
      resolvers: model.resolvers
        .filter((resolver) => resolver.typeName !== 'Subscription')
        .map((resolver) => ({
          kind: RESOLVER_KIND.UNIT,
          typeName: resolver.typeName,
          fieldName: resolver.fieldName,
          dataSourceName: '__engine',
          requestMappingTemplate: '{}',
          responseMappingTemplate: '{}',
        })) as never,
      mappingTemplates: [],
    } as never);
    this.schema = this.simulator.schema;
  }

  /** Calls `listener` with the raw result of every mutation bound to `subscriptionField` by @aws_subscribe. */
  onPublish(subscriptionField: string, listener: PublishListener): () => void {
    let listeners = this.listeners.get(subscriptionField);
    if (listeners === undefined) {
      const fieldListeners = new Set<PublishListener>();
      listeners = fieldListeners;
      this.listeners.set(subscriptionField, fieldListeners);
      void this.simulator.pubsub.subscribe(subscriptionField, (payload: Record<string, unknown>) => {
        // A copy, as an EventEmitter calls the listeners of the moment an event is emitted.
        for (const each of [...fieldListeners]) each(payload);
      });
    }
    const entry: PublishListener = (payload) => listener(payload);
    listeners.add(entry);
    return () => {
      listeners.delete(entry);
    };
  }
}

function authProvider(mode: AuthenticationType) {
  return { authenticationType: mode as AmplifyAppSyncSimulatorAuthenticationType, cognitoUserPoolConfig: {}, openIDConnectConfig: {} };
}
