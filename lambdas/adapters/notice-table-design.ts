/**
 * The single table's key design, shared by the CDK construct that creates it on AWS and the local portal that
 * creates it on the embedded DynamoDB. Plain data, no SDK imports.
 *
 * Items (pk / sk):
 * - `NOTICE#<id>` / `NOTICE`        the notice's current state: a projection of its events.
 * - `NOTICE#<id>` / `EVENT#<seq>`   event `seq` (zero-padded). Writing event N+1 with attribute_not_exists is the
 *                                   commit point of every change: of two racing writers exactly one wins.
 * - `NOTICE#<id>` / `CLAIM#<rid>`   a reminder run's claim on reminder `rid` (sorts before EVENT#, so the newest-first
 *                                   read of a notice never meets it).
 * - `NOTICE#<id>` / `SUBMISSION#<sid>` a response being uploaded, verified or filed (dynamodb-submission-store.ts);
 *                                   while the portal owes it hashing or filing work it carries the sparse
 *                                   pending-projection keys `VERIFY` / `<since>#<notice>#<submission>`.
 * - `NOTICE#<id>` / `BUNDLE#<bid>`  an evidence bundle being built, ready or failed (dynamodb-evidence-bundle-store.ts);
 *                                   while building it carries the sparse pending-projection keys
 *                                   `BUNDLE` / `<leaseUntil>#<notice>#<bundle>`, so a build whose run died is found.
 * - `NOTICE#<id>` / `RESPONSE_DRAFT` the response the platform is preparing (dynamodb-response-draft-store.ts): one
 *                                   item, replaced whole by a Put conditional on its version; not an event.
 * - `EMAIL#<id>` / `DELIVERY`       the mail transport's witness that message `id` was accepted (ses-mailer.ts).
 * - `KEYCLAIM#<kid>` / `KEYCLAIM`   the one platform a public signing key belongs to, written (conditionally) before
 *                                   the platform's `PLATFORM#<p>` / `KEY#<kid>` record (dynamodb-submission-store.ts).
 * - `PLATFORM#<p>` / `KEYLOG#<seq>` event `seq` (10 digits) of the platform's key log, chain `platform-keys:<p>`
 *                                   (dynamodb-signing-key-store.ts); `REGKEYS` / `KEYLOG#<seq>` the regulator's.
 * - `BACKFILL#<name>` / `REVISION#<n>` a one-off backfill's progress (cursor, done): the derived list attributes
 *                                   (dynamodb-notice-store.ts), the platform key logs (dynamodb-backfill-progress.ts).
 * - `CHECKPOINT` / `CHECKPOINT#<n>` signed checkpoint `n` (10 digits), `proving` with its leaves until every proof
 *                                   is written, then `complete` (dynamodb-checkpoint-store.ts).
 * - `<chain's pk>` / `PROOF#<n>`    a chain's inclusion proof in checkpoint `n`, in the chain's own partition
 *                                   (`NOTICE#<id>`, `PLATFORM#<p>`, `REGKEYS`; sorts after `NOTICE`, outside the
 *                                   EVENT#…NOTICE range a notice is read from).
 *
 * Access patterns:
 * | pattern                                   | how                                                        |
 * |-------------------------------------------|------------------------------------------------------------|
 * | notice by id                              | GetItem pk=NOTICE#id, sk=NOTICE (+ Query events > version)  |
 * | a notice's events in order                | Query pk=NOTICE#id, sk begins_with EVENT#                   |
 * | a platform's notices by due               | Query by-platform: platformKey=P#<platform>                 |
 * |   … as the platform sees them (no drafts) |   … AND dueKey < '~~' (drafts sort last, from `~~`)         |
 * | a platform's notices with one status      | Query by-platform-status: platformStatusKey=P#<p>#<status>  |
 * | all notices with one status (regulators)  | Query by-status: statusKey=S#<status>                       |
 * | all notices (regulators)                  | Query all-by-due: allKey=ALL                                |
 * | upcoming / overdue deadlines (`open=true`)| Query open-by-due: openKey=OPEN, dueKey < instant (sparse)  |
 * | … due after / between instants            |   any list index: dueKey > `<after>#~` (AND < before)       |
 * | … of a type, with an extension requested  |   FilterExpression on `type` / `pendingExtensionCount > 0`  |
 * | counts for the dashboard                  |   the same Queries with Select COUNT (notice-list-plan.ts)  |
 * | events whose projection is not yet written| Query pending-projection (sparse), oldest first             |
 * | a notice's submissions                    | Query pk=NOTICE#id, sk begins_with SUBMISSION#              |
 * | the response being prepared for a notice  | GetItem pk=NOTICE#id, sk=RESPONSE_DRAFT                     |
 * | submissions owed hashing or filing work   | Query pending-projection: pendingProjection=VERIFY (sparse) |
 * | bundle builds whose lease ended          | Query pending-projection: pendingProjection=BUNDLE (sparse)|
 * | notices with a reminder due by an instant | Query reminders-due: reminderQueue=DUE, reminderKey <= t    |
 * | chain events not yet in a checkpoint      | Query checkpoint-pending: checkpointQueue=CP (sparse)       |
 * | key changes not yet in their key log      | Query pending-projection: pendingProjection=KEYLOG (sparse) |
 * | every platform id, a page at a time       | Query pk=PLATFORMS, sk > PLATFORM#<after> (Limit)           |
 * | the latest checkpoint / checkpoint n      | Query pk=CHECKPOINT newest first, Limit 1 / GetItem         |
 * | a chain's inclusion proofs                | Query pk=<chain's pk>, sk begins_with PROOF#                |
 *
 * Every list index sorts on `dueKey` = `<dueAt ISO>#<id>` (or `~<createdAt>#<id>` while nothing is due, and
 * `~~<createdAt>#<id>` for a draft, so a platform's Query stops before any draft without a filter), so
 * "due before" is a key condition and lists come soonest-due first. Notices are low-volume (thousands a year), so
 * the ALL and OPEN partitions stay far below DynamoDB's per-partition limits.
 */
export interface IndexDesign {
  indexName: string;
  partitionKey: string;
  sortKey: string;
  /**
   * Project only these attributes besides the keys (`INCLUDE`); every other index projects `ALL`, so lists are
   * served from the index alone.
   */
  nonKeyAttributes?: readonly string[];
}

export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;

export const INDEXES = {
  byPlatform: { indexName: 'by-platform', partitionKey: 'platformKey', sortKey: 'dueKey' },
  byPlatformStatus: { indexName: 'by-platform-status', partitionKey: 'platformStatusKey', sortKey: 'dueKey' },
  byStatus: { indexName: 'by-status', partitionKey: 'statusKey', sortKey: 'dueKey' },
  allByDue: { indexName: 'all-by-due', partitionKey: 'allKey', sortKey: 'dueKey' },
  openByDue: { indexName: 'open-by-due', partitionKey: 'openKey', sortKey: 'dueKey' },
  pendingProjection: { indexName: 'pending-projection', partitionKey: 'pendingProjection', sortKey: 'pendingSince' },
  /** Sparse: only notices with an outstanding reminder, keyed by when it fires — a run reads only what is due. */
  remindersDue: { indexName: 'reminders-due', partitionKey: 'reminderQueue', sortKey: 'reminderKey' },
  /**
   * Sparse: chain events (notice events, key logs) not yet covered by a signed checkpoint, keyed
   * `<at>#<chain>#<seq 10>` (checkpoint-marker.ts). The checkpoint run needs only the chain, the sequence (both in
   * the key) and the event's hash, so the index carries just `hash`: a run reads a few hundred bytes per event,
   * however large the event.
   */
  checkpointPending: {
    indexName: 'checkpoint-pending',
    partitionKey: 'checkpointQueue',
    sortKey: 'checkpointKey',
    nonKeyAttributes: ['hash'],
  },
} as const satisfies Record<string, IndexDesign>;

/**
 * The pending-projection index's partition for submissions owed hashing or filing work (events waiting for their
 * projection use `PENDING`). Sharing the sparse index keeps one "unfinished work" index, and no new index to build
 * on existing tables.
 */
export const PENDING_VERIFICATION = 'VERIFY';

/** The pending-projection index's partition for evidence bundles still building, keyed by when their lease ends. */
export const PENDING_BUNDLE_BUILD = 'BUNDLE';

export const ALL_INDEXES: readonly IndexDesign[] = Object.values(INDEXES);
