/**
 * The CDK app: `npx cdk deploy` deploys it to AWS, `npm start` runs the same
 * synthesized template locally. `cdk.json` runs this file with tsx.
 */
import { App, Aspects, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EventSourcingCoreStack } from './EventSourcingCoreStack';
import { suppressReviewedFindings } from './nagSuppressions';
import type { Delivery } from '../functions/eventStore/pipelines';

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

const app = new App();
const stack = new EventSourcingCoreStack(app, app.node.tryGetContext('stackName') ?? 'EventSourcingCore', {
  removalPolicy: app.node.tryGetContext('destroyTableWithStack') === 'true' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
  commandTimeout: Duration.seconds(Number(app.node.tryGetContext('commandTimeoutSeconds') ?? 10)),
  delivery: deliveryOverrides(app.node.tryGetContext('delivery') as string | undefined),
});
suppressReviewedFindings(stack);
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
