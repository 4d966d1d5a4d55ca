/**
 * The request checks every server shares, and all that servers import of them: the body limit
 * and the one limited reader (./body.ts), content type to checked reviews (./validate.ts), and the
 * words an envelope's own sentences use (./words.ts).
 */
export { ClientGoneError, readLimitedBody, type ReadOptions } from './body.ts';
export {
  bodyKind,
  readRequest,
  type Body,
  type BodyKind,
  type Envelope,
  type Enveloped,
  type ReviewRequest,
} from './validate.ts';
export { kindOf, quote } from './words.ts';
