/**
 * What an evidence-bundle verification reports: one entry per check (ids stable, docs/evidence.md; tests, the CLI
 * and docs/evidence.md name them), each saying what it covered and, in plain words, what failed.
 *
 * A check is `pass` when it ran on something and nothing failed, `fail` when anything failed, `not-applicable`
 * when the bundle has nothing it applies to (a notice issued before signing existed has no signed notice), and
 * `not-checked` when it could not run because something it depends on failed (named in its notes). A bundle is
 * valid only when no check failed.
 */
export const BUNDLE_CHECKS = [
  { id: 'bundle-manifest', label: 'manifest.json lists every entry, and the bundle has every entry it must' },
  { id: 'entry-hash', label: "every entry's size and SHA-256 match manifest.json" },
  { id: 'event-chain', label: "the notice's events form an unbroken hash chain from event 1" },
  { id: 'notice-signature', label: 'the signed notice is an ES256 signature by a regulator key' },
  { id: 'notice-content', label: 'the signed notice states exactly the content, given-at and due time in the events' },
  { id: 'typ', label: 'every signature is of the kind it is used as (header and payload typ)' },
  { id: 'regulator-key-validity', label: "each regulator signature's key was in force when it signed" },
  { id: 'checkpoint-signature', label: 'each checkpoint is signed by a regulator key and hashes to its stated hash' },
  { id: 'checkpoint-chain', label: 'checkpoints link to their predecessors; named checkpoints are these' },
  { id: 'checkpoint-inclusion', label: 'each inclusion proof leads to its checkpoint root, and its head is the chain' },
  { id: 'trusted-checkpoint', label: 'the checkpoint you hold pins the checkpoints in the bundle' },
  { id: 'receipt-signature', label: 'each receipt is an ES256 signature by a regulator key stating receipt claims' },
  { id: 'receipt-notice', label: 'each receipt and manifest belong to this notice, submission and filing event' },
  { id: 'platform-signature', label: "each manifest carries the platform's valid detached signature" },
  { id: 'platform-key-validity', label: "the platform's key was registered and unrevoked when it signed" },
  { id: 'file-hash', label: "each included file matches its manifest's size and SHA-256" },
  { id: 'due-time', label: 'the due time recomputed from the rule and holidays is the one issued' },
  { id: 'on-time', label: 'each filing is on time exactly when filed-at ≤ the due time then in force' },
  { id: 'acknowledgement', label: "a countersigned acknowledgement is the platform's signature over this notice" },
] as const;

export type BundleCheckId = (typeof BUNDLE_CHECKS)[number]['id'];
export type CheckStatus = 'pass' | 'fail' | 'not-applicable' | 'not-checked';

export interface CheckReport {
  id: BundleCheckId;
  label: string;
  status: CheckStatus;
  /** What the check looked at ("events 1–14", "receipt of sub_…"). */
  covered: string[];
  /** What failed, one sentence each. */
  problems: string[];
  /** Why it did not apply or could not run, and anything a reader should know (e.g. events not yet checkpointed). */
  notes: string[];
}

export interface KeySummary {
  kid: string;
  validFrom?: string;
  validUntil?: string;
}

export interface BundleVerificationReport {
  valid: boolean;
  noticeId?: string;
  platformId?: string;
  /** The ids of the failed checks, in check order. */
  failed: BundleCheckId[];
  checks: CheckReport[];
  /**
   * Where the regulator keys came from: `bundle` means the bundle vouches for itself — compare these thumbprints
   * with the regulator's published keys — and `trusted` means the keys the verifier was given.
   */
  regulatorKeys: { source: 'bundle' | 'trusted'; keys: KeySummary[] };
}

type LogEntry = Pick<CheckReport, 'covered' | 'problems' | 'notes'> & { ran: boolean; blocked: boolean };
const emptyEntry = (): LogEntry => ({ covered: [], problems: [], notes: [], ran: false, blocked: false });

/** Collects results while the verifier runs; `report()` turns them into one entry per check. */
export class CheckLog {
  private readonly entries = new Map<BundleCheckId, LogEntry>();

  private entry(id: BundleCheckId) {
    let e = this.entries.get(id);
    if (!e) {
      e = emptyEntry();
      this.entries.set(id, e);
    }
    return e;
  }

  /** The check ran on `what` (and passed, unless a problem is also recorded). */
  covered(id: BundleCheckId, what: string): void {
    const e = this.entry(id);
    e.ran = true;
    e.covered.push(what);
  }

  fail(id: BundleCheckId, problem: string): void {
    const e = this.entry(id);
    e.ran = true;
    e.problems.push(problem);
  }

  /** Something a reader should know; with no coverage and no problem the check is not applicable. */
  note(id: BundleCheckId, note: string): void {
    this.entry(id).notes.push(note);
  }

  /** The check could not run on something because `cause` failed. */
  blocked(id: BundleCheckId, cause: string): void {
    const e = this.entry(id);
    e.notes.push(`not checked: ${cause}`);
    e.blocked = true;
  }

  failedAny(id: BundleCheckId): boolean {
    return (this.entries.get(id)?.problems.length ?? 0) > 0;
  }

  report(extra: Omit<BundleVerificationReport, 'valid' | 'failed' | 'checks'>): BundleVerificationReport {
    const checks: CheckReport[] = BUNDLE_CHECKS.map(({ id, label }) => {
      const e = this.entries.get(id) ?? emptyEntry();
      const status: CheckStatus =
        e.problems.length > 0 ? 'fail' : e.blocked ? 'not-checked' : e.ran ? 'pass' : 'not-applicable';
      return { id, label, status, covered: e.covered, problems: e.problems, notes: e.notes };
    });
    const failed = checks.filter((c) => c.status === 'fail').map((c) => c.id);
    return { valid: failed.length === 0, failed, checks, ...extra };
  }
}
