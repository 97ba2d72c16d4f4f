/**
 * The CDK app: `npx cdk deploy` deploys it to AWS, `npm start` runs the same
 * synthesized template locally. `cdk.json` runs this file with tsx.
 */
import { App, Aspects, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { EventSourcingCoreStack } from './EventSourcingCoreStack';
import { suppressReviewedFindings } from './nagSuppressions';

const app = new App();
const stack = new EventSourcingCoreStack(app, app.node.tryGetContext('stackName') ?? 'EventSourcingCore', {
  removalPolicy: app.node.tryGetContext('destroyTableWithStack') === 'true' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
  commandTimeout: Duration.seconds(Number(app.node.tryGetContext('commandTimeoutSeconds') ?? 10)),
});
suppressReviewedFindings(stack);
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
