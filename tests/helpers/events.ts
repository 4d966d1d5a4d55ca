/**
 * API Gateway events for tests, from JSON samples (as Powertools' tests load theirs
 * from packages/parser/tests/events/): tests/fixtures/events/apigw-rest-post-sentiment.json is a
 * REST API (v1 payload) Lambda proxy event for `POST /sentiment` on the `prod` stage of a regional
 * API, in the shape AWS documents ("Input format of a Lambda function for proxy integration"),
 * with documentation values for ids and addresses (account 123456789012, client 203.0.113.7).
 * Each call gets a fresh copy with the test's changes applied.
 */
import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEvent } from 'aws-lambda';

const SAMPLE = new URL('../fixtures/events/apigw-rest-post-sentiment.json', import.meta.url);
const sample = JSON.parse(readFileSync(SAMPLE, 'utf8')) as APIGatewayProxyEvent;

type RequestContext = APIGatewayProxyEvent['requestContext'];

/** Top-level fields replace the sample's; `requestContext` fields are merged into its own. */
export type EventOverrides = Omit<Partial<APIGatewayProxyEvent>, 'requestContext'> & {
  readonly requestContext?: Partial<RequestContext>;
};

/**
 * The sample `POST /sentiment` event (JSON body `{"text":"A wonderful film."}`, Content-Type
 * application/json, Origin https://reelsense.example), varied as a real event would be: given
 * `headers` alone, `multiValueHeaders` follows them; given `httpMethod`, `requestContext.httpMethod`
 * does too.
 */
export function apiGatewayEvent(overrides: EventOverrides = {}): APIGatewayProxyEvent {
  const base = structuredClone(sample);
  const { requestContext, ...top } = overrides;
  const event: APIGatewayProxyEvent = { ...base, ...top, requestContext: base.requestContext };
  if (top.headers !== undefined && top.multiValueHeaders === undefined) {
    event.multiValueHeaders = Object.fromEntries(
      Object.entries(top.headers).flatMap(([name, value]) => (value === undefined ? [] : [[name, [value]]])),
    );
  }
  event.requestContext = {
    ...base.requestContext,
    ...(top.httpMethod === undefined ? {} : { httpMethod: top.httpMethod }),
    ...requestContext,
  };
  return event;
}
