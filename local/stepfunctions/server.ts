/**
 * The local Step Functions endpoint: an HTTP server speaking the API's JSON 1.0 protocol, so AWS SDKs
 * (`@aws-sdk/client-sfn` with `endpoint`) and the AWS CLI (`--endpoint-url`) work against it. With
 * credentials, each request's SigV4 signature (service `states`) is verified as AWS verifies it.
 *
 * @example
 * const server = await StepFunctionsServer.start(sfn, { port: 0, credentials, region: 'us-east-1' });
 * const client = new SFNClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: stack.credentialsFor(roleArn) });
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySigV4 } from '../auth/sigv4.ts';
import type { LocalCredentials } from '../auth/localCredentials.ts';
import { handleStepFunctionsRequest } from './api.ts';
import type { LocalStepFunctions } from './LocalStepFunctions.ts';

export interface StepFunctionsServerOptions {
  port?: number;
  host?: string;
  /** Verify SigV4 against these; without, any signature is accepted. */
  credentials?: LocalCredentials;
  region?: string;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export class StepFunctionsServer {
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(sfn: LocalStepFunctions, options: StepFunctionsServerOptions = {}): Promise<StepFunctionsServer> {
    const server = createServer((request, response) => {
      void (async () => {
        const body = await readBody(request);
        const send = (statusCode: number, headers: Record<string, string>, text: string) => {
          response.writeHead(statusCode, { ...headers, 'content-length': Buffer.byteLength(text) });
          response.end(text);
        };
        if (options.credentials) {
          const url = new URL(request.url ?? '/', 'http://localhost');
          const verified = await verifySigV4(
            {
              method: request.method ?? 'POST',
              path: url.pathname,
              query: Object.fromEntries(url.searchParams),
              headers: request.headers,
              body,
            },
            { credentials: options.credentials, region: options.region ?? sfn.region, service: 'states' },
          );
          if (!verified.ok) {
            send(
              verified.status,
              { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': verified.errorType },
              JSON.stringify({ __type: verified.errorType, message: verified.message }),
            );
            return;
          }
        }
        const answer = await handleStepFunctionsRequest(sfn, request.headers['x-amz-target'] as string | undefined, body);
        send(answer.statusCode, answer.headers, answer.body);
      })().catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify({ __type: 'InternalServerError', message: (error as Error).message }));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    return new StepFunctionsServer(server, (server.address() as AddressInfo).port);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
