/**
 * The page's API client is the one the extension uses too: backend/public-api-client.ts, next to
 * the contract it checks answers against. Re-exported here so the page's imports stay local.
 */
export * from '../../backend/public-api-client.ts';
