import { canonicalJson } from './canonical-json';
import type { HolidayCalendar } from './deadline-engine';
import type { DirectoryEvent } from './directory-chain';
import { noticeChain, platformKeysChain, REGULATOR_KEYS_CHAIN } from './directory-chain';
import type { BundleFileMode } from './evidence-bundle';
import type { CheckpointRecord, InclusionProof, RegulatorKeys } from './evidence-sources';
import type { Notice } from './notice';
import type { NoticeEvent } from './notice-event';
import type { Submission } from './submission';

/**
 * The evidence bundle's layout (docs/evidence.md), as data: from the records, the ordered ZIP entries — JSON
 * documents as bytes, submitted files as references to stored objects to be streamed — and the top-level
 * manifest, written last from the size and SHA-256 of each entry as it was actually written. Pure: the ZIP writer
 * (evidence-bundle-builder.ts) does the I/O, and the verifier reads the same paths.
 */

export const BUNDLE_FORMAT = 'notice-portal-evidence-bundle';
export const BUNDLE_VERSION = 1;
export const MANIFEST_PATH = 'manifest.json';

/** One ZIP entry other than the manifest: bytes in hand, or a stored object streamed in. */
export type BundleEntry =
  | { path: string; source: 'bytes'; bytes: Uint8Array }
  | { path: string; source: 'object'; key: string; versionId?: string; size: number };

/** An entry as written: its size and the SHA-256 (hex) of its bytes, computed while they streamed. */
export interface WrittenEntry {
  path: string;
  size: number;
  sha256: string;
}

export interface BundleInput {
  notice: Notice;
  /** Every event of the notice, seq order, as stored. */
  events: NoticeEvent[];
  submissions: Submission[];
  files: BundleFileMode;
  regulatorKeys: RegulatorKeys;
  platformKeyLog: DirectoryEvent[];
  checkpoints: CheckpointRecord[];
  proofs: InclusionProof[];
  /** The holiday calendar of the notice's jurisdiction (the one the deadline engine used). */
  holidays: HolidayCalendar;
}

/** The chains a bundle's checkpoints and proofs are about. */
export function bundleChains(notice: Pick<Notice, 'id' | 'platformId'>): string[] {
  return [noticeChain(notice.id), platformKeysChain(notice.platformId), REGULATOR_KEYS_CHAIN];
}

/**
 * Every entry but the manifest, in the order of plan §4. Only the signed notice may be absent (a notice issued
 * before notices were signed). The key log, checkpoints and proofs are written even when empty (a platform that has
 * registered no key yet, a notice exported before the first checkpoint): the verifier (docs/evidence.md §4) requires
 * them, and an empty list is what the portal holds, so leaving them out made such bundles fail `bundle-manifest`.
 */
export function bundleEntries(input: BundleInput): BundleEntry[] {
  const { notice, events } = input;
  const entries: BundleEntry[] = [
    jsonEntry('notice/notice.json', notice),
    jsonEntry(
      'notice/events.json',
      [...events].sort((a, b) => a.seq - b.seq),
    ),
  ];
  const signedNotice = signedNoticeOf(events);
  if (signedNotice) entries.push(textEntry('notice/signed-notice.jws', signedNotice));

  // Oldest first: the order they were opened in, which is the order a reader follows the response.
  const submissions = [...input.submissions].sort(
    (a, b) => a.openedAt.localeCompare(b.openedAt) || a.submissionId.localeCompare(b.submissionId),
  );
  for (const submission of submissions) entries.push(...submissionEntries(submission, input.files));

  entries.push(jsonEntry('keys/regulator-keys.json', input.regulatorKeys));
  entries.push(jsonEntry('keys/platform-keys.json', { platformId: notice.platformId, log: input.platformKeyLog }));
  entries.push(jsonEntry('checkpoints/checkpoints.json', input.checkpoints));
  entries.push(jsonEntry('checkpoints/proofs.json', input.proofs));

  entries.push(
    jsonEntry('deadline/rule.json', {
      timeZone: notice.timeZone,
      jurisdiction: notice.jurisdiction,
      ...(notice.deadlineRule && { deadlineRule: notice.deadlineRule }),
      ...(notice.requestedDueAt && { requestedDueAt: notice.requestedDueAt }),
      givenAt: notice.givenAt,
    }),
  );
  const [from, to] = holidayYears(notice, events);
  entries.push(
    jsonEntry('deadline/holidays.json', {
      description: input.holidays.description,
      dates: holidayDates(input.holidays, from, to),
    }),
  );
  return entries;
}

function submissionEntries(submission: Submission, files: BundleFileMode): BundleEntry[] {
  const dir = `submissions/${submission.submissionId}`;
  const entries: BundleEntry[] = [jsonEntry(`${dir}/submission.json`, submission)];
  if (submission.finalize) {
    // The bytes the platform signed: the canonical JSON of the manifest (submission.ts verifyManifestSignature).
    entries.push({
      path: `${dir}/manifest.json`,
      source: 'bytes',
      bytes: Buffer.from(canonicalJson(submission.finalize.manifest), 'utf8'),
    });
    entries.push(textEntry(`${dir}/signature.jws`, submission.finalize.signature));
  }
  if (submission.receipt) entries.push(textEntry(`${dir}/receipt.jws`, submission.receipt.jws));
  if (files === 'included') {
    // Only bytes the portal hashed itself: those are the ones its receipt can vouch for.
    for (const file of submission.files) {
      if (!file.sha256) continue;
      entries.push({
        path: `${dir}/files/${file.name}`,
        source: 'object',
        key: file.key,
        versionId: file.hashedVersionId,
        size: file.hashedSize ?? file.size,
      });
    }
  }
  return entries;
}

/** The `issued` event's notice-as-given JWS; undefined for notices issued before notices were signed. */
export function signedNoticeOf(events: readonly NoticeEvent[]): string | undefined {
  const issued = events.find((e) => e.kind === 'issued');
  const value = (issued?.data as Record<string, unknown> | undefined)?.signedNotice;
  return typeof value === 'string' ? value : undefined;
}

/**
 * The years the holiday calendar must cover: from the year the notice was given to the year after the latest due
 * time any event set (issue, extension, further information), so a verifier can recompute every due time and
 * roll-forward past a year end.
 */
export function holidayYears(notice: Notice, events: readonly NoticeEvent[]): [from: number, to: number] {
  const start = notice.givenAt ?? notice.createdAt;
  const instants = [start, notice.dueAt, notice.requestedDueAt, ...events.flatMap((e) => dueInstantsIn(e.data))];
  const years = instants.filter((i): i is string => typeof i === 'string').map((i) => new Date(i).getUTCFullYear());
  return [new Date(start).getUTCFullYear(), Math.max(...years) + 1];
}

function dueInstantsIn(data: unknown): unknown[] {
  if (!data || typeof data !== 'object') return [];
  const record = data as Record<string, unknown>;
  return [record.dueAt, record.requestedDueAt];
}

/** Every holiday of `calendar` in the years `from`..`to` (inclusive), as explicit local dates. */
export function holidayDates(calendar: HolidayCalendar, from: number, to: number): Record<string, string> {
  const dates: Record<string, string> = {};
  for (let day = Date.UTC(from, 0, 1); day < Date.UTC(to + 1, 0, 1); day += 86_400_000) {
    const date = new Date(day).toISOString().slice(0, 10);
    const name = calendar.holidayOn(date);
    if (name !== undefined) dates[date] = name;
  }
  return dates;
}

/** The top-level manifest's bytes: what the bundle is, and every other entry's size and hash, in ZIP order. */
export function bundleManifest(
  meta: {
    noticeId: string;
    platformId: string;
    createdAt: string;
    files: BundleFileMode;
    checkpoints: readonly CheckpointRecord[];
  },
  written: readonly WrittenEntry[],
): Uint8Array {
  const latest = meta.checkpoints.at(-1);
  return jsonBytes({
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    noticeId: meta.noticeId,
    platformId: meta.platformId,
    createdAt: meta.createdAt,
    files: meta.files,
    checkpoint: latest ? { seq: latest.seq, hash: latest.hash } : null,
    entries: written.map(({ path, size, sha256 }) => ({ path, size, sha256 })),
  });
}

/** JSON documents are indented for people reading the bundle; the manifest's hashes are over these exact bytes. */
function jsonBytes(value: unknown): Uint8Array {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

function jsonEntry(path: string, value: unknown): BundleEntry {
  return { path, source: 'bytes', bytes: jsonBytes(value) };
}

/** A JWS is ASCII; written without a trailing newline so the entry's bytes are exactly the token. */
function textEntry(path: string, text: string): BundleEntry {
  return { path, source: 'bytes', bytes: Buffer.from(text, 'utf8') };
}
