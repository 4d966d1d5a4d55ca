/**
 * The local stack in this process, for tests: scripts/local-stack.ts's startStackInProcess (the
 * real endpoint server, Lambda handler, AWS SDK client and gateway on free ports), under the
 * names the tests use.
 */
export {
  startStackInProcess as startLocalStack,
  type InProcessStack as LocalStack,
} from '../../scripts/local-stack.ts';
