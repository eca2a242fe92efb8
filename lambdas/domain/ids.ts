import { createHash, randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(bytes: Uint8Array, length: number): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** A ULID: 48-bit millisecond time then 80 random bits, so ids sort roughly by creation. */
export function newUlid(now: Date = new Date()): string {
  let time = now.getTime();
  let timePart = '';
  for (let i = 0; i < 10; i++) {
    timePart = CROCKFORD[time % 32] + timePart;
    time = Math.floor(time / 32);
  }
  return timePart + base32(randomBytes(10), 16);
}

export function newNoticeId(now?: Date): string {
  return `ntc_${newUlid(now)}`;
}

/**
 * The id a create request with an Idempotency-Key gets: derived from the caller and the key, so a retry lands on
 * the same item and the conditional write recognises it.
 */
export function noticeIdForIdempotencyKey(subject: string, key: string): string {
  const digest = createHash('sha256').update(`notice\n${subject}\n${key}`).digest();
  return `ntc_${base32(digest, 26)}`;
}

export function newBundleId(now?: Date): string {
  return `bdl_${newUlid(now)}`;
}

/** The evidence bundle a request with an Idempotency-Key gets: a retry for the same notice finds the same bundle. */
export function bundleIdForIdempotencyKey(noticeId: string, subject: string, key: string): string {
  const digest = createHash('sha256').update(`evidence-bundle\n${noticeId}\n${subject}\n${key}`).digest();
  return `bdl_${base32(digest, 26)}`;
}
