/**
 * The payment aggregate on AWS. Its decider is functions/payment/; the generic
 * resolvers, its store rule and dead-letter queue come from Aggregate. Its
 * own: the payment provider, an outside HTTP service reached through an
 * AppSync HTTP data source, asked by every command before it is decided.
 * Its endpoint and key are stack parameters, so no secret is in the template:
 *
 *   npx cdk deploy --parameters PaymentProviderUrl=https://api.provider.example \
 *                  --parameters PaymentProviderApiKey=sk_live_…
 *
 * The key reaches the resolvers as the API's environment variable
 * PAYMENT_PROVIDER_API_KEY (readable by whoever may read the API's
 * configuration; keep that IAM permission narrow).
 */
import { CfnParameter, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { PAYMENT_STREAM } from '../functions/payment/stream';
import { Aggregate, type AggregateProps } from './Aggregate';

export class PaymentAggregate extends Aggregate {
  constructor(scope: Construct, id: string, props: AggregateProps) {
    super(scope, id, { ...props, folder: 'payment', stream: PAYMENT_STREAM });
    const stack = Stack.of(this);
    const providerUrl = new CfnParameter(stack, 'PaymentProviderUrl', {
      type: 'String',
      description: 'Base URL of the payment provider (https://…); its protocol is docs/paymentProvider.md.',
      allowedPattern: '^https?://[^\\s]+$',
    });
    const providerKey = new CfnParameter(stack, 'PaymentProviderApiKey', {
      type: 'String',
      noEcho: true,
      minLength: 1,
      description: 'The API key sent to the payment provider as a Bearer token.',
    });
    const provider = props.api.addHttpDataSource('PaymentProvider', providerUrl.valueAsString, {
      description: 'The payment provider: authorize, capture, void, refund',
    });
    props.api.addEnvironmentVariable('PAYMENT_PROVIDER_API_KEY', providerKey.valueAsString);

    const callProvider = this.step('callProvider', provider);
    this.command('Mutation.authorizePayment', [callProvider]);
    this.command('Mutation.capturePayment', [callProvider]);
    this.command('Mutation.voidPayment', [callProvider]);
    this.command('Mutation.refundPayment', [callProvider]);
  }
}
