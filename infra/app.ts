/**
 * The CDK app: `npx cdk deploy` deploys it to AWS, `npm start` runs the same
 * synthesized template locally. `cdk.json` runs this file with tsx.
 */
import { App, Aspects, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EventSourcingCoreStack } from './EventSourcingCoreStack';
import { suppressReviewedFindings } from './nagSuppressions';
import type { Delivery } from '../functions/eventStore/pipelines';
import type { StoredEventSubscribers } from './Aggregate';

/**
 * A per-aggregate context value, `name=Guest:direct,Room:direct`: stream type → one of `allowed`.
 * Used for `delivery` (aggregates served with another delivery than their stack file's) and
 * `storedEventSubscribers` (direct aggregates whose on<X>Saved no rule feeds, infra/Aggregate.ts).
 */
function perAggregateContext<T extends string>(app: App, name: string, allowed: readonly T[], example: string): Record<string, T> {
  const context = app.node.tryGetContext(name) as string | undefined;
  const overrides: Record<string, T> = {};
  for (const entry of (context ?? '').split(',').filter((text) => text.trim() !== '')) {
    const [streamType, value] = entry.split(':').map((text) => text.trim());
    if (!streamType || !allowed.includes(value as T)) {
      const choices = allowed.map((choice) => `StreamType:${choice}`).join(' or ');
      throw new Error(`Context ${name}="${context}": write ${choices}, comma-separated (e.g. ${example}).`);
    }
    overrides[streamType] = value as T;
  }
  return overrides;
}

const app = new App();
const stack = new EventSourcingCoreStack(app, app.node.tryGetContext('stackName') ?? 'EventSourcingCore', {
  removalPolicy: app.node.tryGetContext('destroyTableWithStack') === 'true' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
  commandTimeout: Duration.seconds(Number(app.node.tryGetContext('commandTimeoutSeconds') ?? 10)),
  delivery: perAggregateContext<Delivery>(app, 'delivery', ['bus', 'direct'], 'Guest:direct'),
  storedEventSubscribers: perAggregateContext<StoredEventSubscribers>(
    app,
    'storedEventSubscribers',
    ['none', 'publish'],
    'Guest:none, with delivery=Guest:direct',
  ),
});
suppressReviewedFindings(stack);
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
