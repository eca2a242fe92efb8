import { describeNode24Parity } from './node24-parity';

/**
 * Lambda parity on Node.js 24, the long run (`npm run test:long`): every synthesized bundle started and invoked on
 * the Lambda's Node version (tests/infra/lambda-node24-parity.test.ts, in `npm test`, does a fixed sample).
 */
describeNode24Parity({ sample: false });
