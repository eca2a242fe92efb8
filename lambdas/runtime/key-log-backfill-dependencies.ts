import { KeyLogBackfill } from '../domain/key-log-backfill';
import { now } from './clock';
import { once } from './once';
import { backfillProgress, keyLogStore, platformIdPages, signingKeyStore } from './stores';

/** The marker of the platform key-log backfill; bump the revision to run the pass again over every platform. */
export const KEY_LOG_BACKFILL = { name: 'platform-key-logs', revision: 1 } as const;

/** The backfill of platform key logs (keys registered before the log existed): the table alone. */
export const keyLogBackfill = once(
  (): KeyLogBackfill =>
    new KeyLogBackfill({
      platforms: platformIdPages(),
      keys: signingKeyStore(),
      keyLog: keyLogStore(),
      progress: backfillProgress(KEY_LOG_BACKFILL.name, KEY_LOG_BACKFILL.revision),
      clock: now,
    }),
);
