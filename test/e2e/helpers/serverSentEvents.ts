/**
 * Reads a Server-Sent Events stream over fetch, the way a browser's EventSource
 * would, until the caller has seen enough.
 *
 * @example
 * const events = await readEvents(`${url}/reservations/${id}/events`, (seen) => seen.at(-1)?.data.terminal === true);
 */
export interface ServerSentEvent<T = Record<string, unknown>> {
  id: string | undefined;
  event: string;
  data: T;
}

export async function readEvents<T = Record<string, unknown>>(
  url: string,
  enough: (seen: ServerSentEvent<T>[]) => boolean,
  timeoutMs = 15_000,
): Promise<ServerSentEvent<T>[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(`${url}: not enough events within ${timeoutMs} ms`)), timeoutMs);
  const seen: ServerSentEvent<T>[] = [];
  try {
    const response = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: abort.signal });
    if (response.status !== 200 || !response.headers.get('content-type')?.startsWith('text/event-stream')) {
      throw new Error(`${url} answered ${response.status} ${response.headers.get('content-type') ?? ''}: ${await response.text()}`);
    }
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body!) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const parsed = parseBlock<T>(block);
        if (!parsed) continue;
        seen.push(parsed);
        if (enough(seen)) return seen;
      }
    }
    throw new Error(`${url}: the stream ended after ${JSON.stringify(seen.map((event) => event.data))}`);
  } catch (error) {
    if (abort.signal.aborted)
      throw new Error(`${(abort.signal.reason as Error).message}; saw ${JSON.stringify(seen.map((event) => event.data))}`);
    throw error;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

function parseBlock<T>(block: string): ServerSentEvent<T> | undefined {
  let id: string | undefined;
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return undefined;
  return { id, event, data: JSON.parse(data.join('\n')) as T };
}
