import { randomBytes } from 'node:crypto';

/** Values that name nothing yet: a per-run sequence for fresh names, random Crockford base-32 for ids. */

let sequence = 0;
export const next = () => `${Date.now().toString(36)}-${++sequence}`;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const crockford = (n: number) => Array.from(randomBytes(n), (b) => CROCKFORD[b % 32]).join('');
