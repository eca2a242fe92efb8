import { describeAccessMatrix } from './support/access/access-matrix';

/**
 * The access-control proof, the short run in `npm test`: a fixed sixth of the matrix's cases (about 1,000 of
 * 6,100), every route among them, each kind of caller and bad token somewhere (support/access/access-matrix.ts,
 * `sampleOf`); tests/integration/access-matrix.long.test.ts (`npm run test:long`) runs every case.
 */
describeAccessMatrix({ sample: 6 });
