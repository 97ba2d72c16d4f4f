/**
 * `npm start`: this app on the local runtime. Serves the payment provider's
 * stand-in (on port 20003, or a free one) and runs the local runtime's CLI
 * (local/cli.ts) with the stack's parameters pointing at it. With `--cdk-out`
 * another app is served, and nothing of this one is added.
 */
import module from 'node:module';
import { PaymentProviderStandIn } from './paymentProvider.ts';
import { GRAPHIQL_SUBSCRIPTION, LOCAL_PROVIDER_KEY, providerParameters } from './coreParameters.ts';

const PROVIDER_PORT = 20003;

const args = process.argv.slice(2);
if (!args.includes('--cdk-out')) {
  const provider = await PaymentProviderStandIn.start({ apiKey: LOCAL_PROVIDER_KEY, port: PROVIDER_PORT }).catch(() =>
    // Another run holds the port: any free one will do, the stack is told which.
    PaymentProviderStandIn.start({ apiKey: LOCAL_PROVIDER_KEY }),
  );
  const given = Object.entries(providerParameters(provider)).map(([name, value]) => `${name}=${value}`);
  // First, so a --parameters the user gives overrides them.
  process.argv.splice(2, 0, '--graphiql-subscription', GRAPHIQL_SUBSCRIPTION, '--parameters', ...given);
  console.log(`Payment provider stand-in at ${provider.url} (dev/paymentProvider.ts; tokens in shared/CONTRACT.md)`);
}
// Node 22.1+ keeps V8's compiled code of the modules loaded from here on (in os.tmpdir()), checked
// against each file's content: the runtime's loading takes about 15% less CPU on later starts (Node 24,
// measured). Node 20 has no such cache. The synthesis, the app's own process, is left as it is.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
await import('../local/cli.ts');
