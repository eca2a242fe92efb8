import { describeAccessMatrix } from './support/access/access-matrix';

/**
 * The access-control proof, the long run (`npm run test:long`): every route × every kind of caller × own or
 * another platform's resource × every way of presenting a token (tests/integration/access-matrix.test.ts, in
 * `npm test`, runs a fixed sixth of these cases).
 */
describeAccessMatrix();
