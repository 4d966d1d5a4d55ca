/**
 * A pass-through HTTP proxy in front of the local gateway that records each request, so tests
 * can count how many requests a page's reviews took and how many reviews each carried.
 */
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  readonly method: string;
  readonly path: string;
  /** Reviews in a POST /sentiment body ({"texts"} or {"text"}); 0 otherwise. */
  readonly reviews: number;
  readonly apiKey: string | undefined;
}

export interface CountingProxy {
  readonly url: string;
  readonly requests: Recorded[];
  close(): Promise<void>;
}

function reviewsIn(body: string): number {
  try {
    const json = JSON.parse(body) as { texts?: unknown; text?: unknown };
    if (Array.isArray(json.texts)) return json.texts.length;
    return typeof json.text === 'string' ? 1 : 0;
  } catch {
    return 0;
  }
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const targetUrl = new URL(target);
  const requests: Recorded[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const apiKey = req.headers['x-api-key'];
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        reviews: req.method === 'POST' ? reviewsIn(body.toString('utf8')) : 0,
        apiKey: typeof apiKey === 'string' ? apiKey : undefined,
      });
      const forward = httpRequest(
        {
          host: targetUrl.hostname,
          port: targetUrl.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: targetUrl.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
