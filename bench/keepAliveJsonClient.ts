/**
 * A JSON-over-HTTP client on `node:http` with one keep-alive socket: the same client type the AWS SDK's
 * DynamoDB client uses (its node-http-handler on a keep-alive `http.Agent`), so a GraphQL side and a raw
 * DynamoDB side of a benchmark pay the same client costs. Why not `fetch`: Node's fetch (undici, web
 * streams) costs 0.4–1.4 ms per request in the same process on this machine where `node:http` costs 0.09 ms
 * (a server answering a fixed body, measured side by side), which would be counted against the server.
 *
 * @example
 * const client = new KeepAliveJsonClient();
 * const body = await client.post('http://127.0.0.1:4000/graphql', { 'x-api-key': key }, { query });
 * client.close();
 */
import http from 'node:http';

export class KeepAliveJsonClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  /** POST `body` as JSON; resolves with the parsed JSON answer, whatever the status. */
  post(url: string, headers: Record<string, string>, body: unknown): Promise<unknown> {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = http.request(
        url,
        {
          method: 'POST',
          agent: this.agent,
          headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
            } catch (error) {
              reject(error instanceof Error ? error : new Error(String(error)));
            }
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
