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

/** Context `delivery=Guest:direct,Room:direct`: aggregates served with another delivery than their stack file's. */
function deliveryOverrides(context: string | undefined): Record<string, Delivery> {
  const overrides: Record<string, Delivery> = {};
  for (const entry of (context ?? '').split(',').filter((text) => text.trim() !== '')) {
    const [streamType, delivery] = entry.split(':').map((text) => text.trim());
    if (!streamType || (delivery !== 'bus' && delivery !== 'direct')) {
      throw new Error(`Context delivery="${context}": write StreamType:bus or StreamType:direct, comma-separated (e.g. Guest:direct).`);
    }
    overrides[streamType] = delivery;
  }
  return overrides;
}

/** Context `storedEventSubscribers=Guest:none`: direct aggregates whose on<X>Saved no rule feeds (infra/Aggregate.ts). */
function storedEventSubscribersOverrides(context: string | undefined): Record<string, StoredEventSubscribers> {
  const overrides: Record<string, StoredEventSubscribers> = {};
  for (const entry of (context ?? '').split(',').filter((text) => text.trim() !== '')) {
    const [streamType, who] = entry.split(':').map((text) => text.trim());
    if (!streamType || (who !== 'publish' && who !== 'none')) {
      throw new Error(
        `Context storedEventSubscribers="${context}": write StreamType:none or StreamType:publish, comma-separated (e.g. Guest:none, with delivery=Guest:direct).`,
      );
    }
    overrides[streamType] = who;
  }
  return overrides;
}

const app = new App();
const stack = new EventSourcingCoreStack(app, app.node.tryGetContext('stackName') ?? 'EventSourcingCore', {
  removalPolicy: app.node.tryGetContext('destroyTableWithStack') === 'true' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
  commandTimeout: Duration.seconds(Number(app.node.tryGetContext('commandTimeoutSeconds') ?? 10)),
  delivery: deliveryOverrides(app.node.tryGetContext('delivery') as string | undefined),
  storedEventSubscribers: storedEventSubscribersOverrides(app.node.tryGetContext('storedEventSubscribers') as string | undefined),
});
suppressReviewedFindings(stack);
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
