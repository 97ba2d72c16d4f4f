/**
 * A Lambda function as an EventBridge rule target: EventBridge invokes it asynchronously
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html), so the rule's RetryPolicy covers only
 * handing the event to Lambda (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html),
 * while the function's own errors are retried by Lambda
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html). Real bus, real functions,
 * Lambda's delays scaled by 0.001.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalEventBus, type DeliveryLog } from '../../../local/eventbridge/index.ts';
import { LocalLambda } from '../../../local/lambda/LocalLambda.ts';
import { lambdaRuleTargetInvoker } from '../../../local/lambda/ruleTarget.ts';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:S-Fail';
const codeDirectory = mkdtempSync(path.join(tmpdir(), 'lambda-rule-target-'));
writeFileSync(path.join(codeDirectory, 'index.js'), "exports.handler = async () => { throw new TypeError('broken'); };");

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function busWithTargetOn(arn: string) {
  const logs: string[] = [];
  const deliveries: DeliveryLog[] = [];
  const lambda = new LocalLambda(
    [
      {
        logicalId: 'Fail',
        name: 'S-Fail',
        arn: ARN,
        runtime: 'nodejs20.x',
        handler: 'index.handler',
        codeDirectory,
        environment: {},
        timeoutSeconds: 3,
        memoryMB: 128,
      },
    ],
    { region: 'us-east-1', accountId: '123456789012', onLog: (line) => logs.push(line), async: { delayScale: 0.001 } },
  );
  const bus = new LocalEventBus({
    invokers: { lambda: lambdaRuleTargetInvoker(() => lambda) },
    retry: { baseDelayMs: 5, jitter: false },
    onDelivery: (log) => deliveries.push(log),
  });
  bus.putRule({ Name: 'r', EventPattern: { source: ['app'] } });
  bus.putTargets({ Rule: 'r', Targets: [{ Id: 'fn', Arn: arn, RetryPolicy: { MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 60 } }] });
  cleanups.push(
    () => lambda.stop(),
    () => bus.close(),
  );
  bus.putEvents({ Entries: [{ Source: 'app', DetailType: 'Happened', Detail: '{}' }] });
  return { lambda, bus, logs, deliveries };
}

describe('a Lambda rule target', () => {
  it('is delivered at the first attempt although the function fails: Lambda, not the rule, retries it (1 + 2 runs)', async () => {
    const { lambda, bus, logs, deliveries } = busWithTargetOn(ARN);
    await bus.idle();
    await lambda.asyncIdle();
    expect(deliveries.map(({ attempt, outcome }) => ({ attempt, outcome }))).toEqual([{ attempt: 1, outcome: 'delivered' }]);
    expect(bus.failedDeliveries()).toEqual([]);
    expect(logs.filter((line) => line.startsWith('lambda S-Fail: START'))).toHaveLength(3);
  });

  it('naming a function that does not exist fails the hand-over: retried by the rule’s policy, then kept as a failed delivery', async () => {
    const { bus } = busWithTargetOn('arn:aws:lambda:us-east-1:123456789012:function:S-Missing');
    await bus.idle();
    expect(bus.failedDeliveries()).toEqual([
      expect.objectContaining({
        errorCode: 'Lambda.ResourceNotFoundException',
        attempts: 2,
        exhaustedRetryCondition: 'MaximumRetryAttempts',
      }),
    ]);
  });
});
