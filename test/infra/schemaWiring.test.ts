/** Synth refuses resolvers and schema that disagree, naming each mismatch. */
import { describe, expect, it } from 'vitest';
import { appSyncSchemaDefinition, assertResolversMatchSchema, buildAppSyncSchema, fieldsNeedingResolvers, resolverFiles } from '../../infra/schema';

const ALL_FIELDS = ['Mutation.cancelReservation', 'Mutation.createReservation', 'Mutation.saveReservationEvent', 'Query.getReservation', 'Query.getReservationHistory'];

describe('resolver wiring at synth', () => {
  it('needs a resolver for every query and mutation, none for subscriptions bound by @aws_subscribe', () => {
    expect(fieldsNeedingResolvers(buildAppSyncSchema())).toEqual(ALL_FIELDS);
  });

  it('finds one resolver file per field, and the subscription filter', () => {
    expect(resolverFiles()).toEqual([...ALL_FIELDS, 'Subscription.onReservationSaved']);
  });

  it('accepts the project as it is', () => {
    expect(() => assertResolversMatchSchema(buildAppSyncSchema(), [...ALL_FIELDS, 'Subscription.onReservationSaved'])).not.toThrow();
  });

  it('refuses a subscription resolver file that no construct attaches', () => {
    expect(() => assertResolversMatchSchema(buildAppSyncSchema(), ALL_FIELDS)).toThrow('resolvers/Subscription.onReservationSaved.ts is not attached to the API by any construct');
  });

  it('refuses a field whose resolver no construct attaches', () => {
    const attached = [...ALL_FIELDS, 'Subscription.onReservationSaved'].filter((field) => field !== 'Query.getReservation');
    expect(() => assertResolversMatchSchema(buildAppSyncSchema(), attached)).toThrow('Query.getReservation is not attached to the API by any construct');
  });

  it('refuses a resolver file that names a field the schema lacks', () => {
    const withoutHistory = appSyncSchemaDefinition().replace(/\s*"The stored events[^"]*"\s*getReservationHistory[^\n]*/, '');
    expect(() => assertResolversMatchSchema(buildAppSyncSchema(withoutHistory), [...ALL_FIELDS, 'Subscription.onReservationSaved'])).toThrow(
      'resolvers/Query.getReservationHistory.ts names a field the schema lacks',
    );
  });

  it('adds Cognito user pools next to every API-key field when a user pool is switched on', () => {
    const definition = appSyncSchemaDefinition({ cognitoUserPools: true });
    expect(definition).toContain('@aws_api_key @aws_cognito_user_pools');
    expect(definition).not.toMatch(/saveReservationEvent\([^)]*\): ReservationSaved! @aws_iam @aws_cognito/);
  });
});
