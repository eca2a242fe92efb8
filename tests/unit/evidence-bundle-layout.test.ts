import { canonicalJson } from '../../lambdas/domain/canonical-json';
import type { HolidayCalendar } from '../../lambdas/domain/deadline-engine';
import {
  type BundleInput,
  bundleEntries,
  bundleManifest,
  holidayDates,
  holidayYears,
} from '../../lambdas/domain/evidence-bundle-layout';
import type { Notice } from '../../lambdas/domain/notice';
import type { NoticeEvent } from '../../lambdas/domain/notice-event';
import type { Submission } from '../../lambdas/domain/submission';

const notice = {
  id: 'ntc_01J0000000000000000000000A',
  platformId: 'x-corp',
  status: 'submitted',
  timeZone: 'Australia/Sydney',
  jurisdiction: { country: 'AU', state: 'NSW' },
  deadlineRule: { kind: 'calendar-days', days: 28 },
  createdAt: '2026-12-01T00:00:00Z',
  givenAt: '2026-12-02T00:00:00Z',
  dueAt: '2026-12-30T06:59:59Z',
} as unknown as Notice;

const event = (seq: number, kind: string, data: Record<string, unknown> = {}) =>
  ({ noticeId: notice.id, seq, kind, at: '2026-12-02T00:00:00Z', data }) as unknown as NoticeEvent;

const manifest = {
  noticeId: notice.id,
  submissionId: 'sub_01J0000000000000000000000B',
  files: [{ name: 'response.pdf', size: 3, sha256: 'a'.repeat(64) }],
  signedAt: '2026-12-03T00:00:00Z',
  signer: { name: 'Xavier Counsel', title: 'General Counsel' },
  answers: [],
};
const submission = {
  submissionId: 'sub_01J0000000000000000000000B',
  noticeId: notice.id,
  openedAt: '2026-12-03T00:00:00Z',
  status: 'filed',
  files: [
    {
      index: 0,
      name: 'response.pdf',
      key: 'notices/n/submissions/s/0',
      size: 3,
      sha256: 'a'.repeat(64),
      hashedSize: 3,
    },
    { index: 1, name: 'never-hashed.pdf', key: 'notices/n/submissions/s/1', size: 9 },
  ],
  finalize: { manifest, signature: 'eyJhbGciOiJFZERTQSJ9..c2ln', manifestSha256: 'b'.repeat(64), kid: 'k' },
  receipt: { number: 'R-1', filedAt: '2026-12-03T00:00:01Z', onTime: true, jws: 'eyJ9.eyJ9.c2ln' },
} as unknown as Submission;

const christmas: HolidayCalendar = {
  description: 'public holidays in test land, per date-holidays 0.0.0',
  holidayOn: (date) => (date.endsWith('-12-25') ? 'Christmas Day' : undefined),
};

const input = (overrides: Partial<BundleInput> = {}): BundleInput => ({
  notice,
  events: [event(2, 'issued', { dueAt: notice.dueAt, signedNotice: 'h.p.s' }), event(1, 'created')],
  submissions: [submission],
  files: 'included',
  regulatorKeys: { keys: [{ kid: 'r1' }], log: [] },
  platformKeyLog: [],
  checkpoints: [],
  proofs: [],
  holidays: christmas,
  ...overrides,
});

describe('the evidence bundle layout', () => {
  it('lists the entries of plan §4 in order, writing the key log, checkpoints and proofs even when empty', () => {
    const paths = bundleEntries(input()).map((e) => e.path);
    const dir = `submissions/${submission.submissionId}`;
    expect(paths).toEqual([
      'notice/notice.json',
      'notice/events.json',
      'notice/signed-notice.jws',
      `${dir}/submission.json`,
      `${dir}/manifest.json`,
      `${dir}/signature.jws`,
      `${dir}/receipt.jws`,
      `${dir}/files/response.pdf`,
      'keys/regulator-keys.json',
      'keys/platform-keys.json',
      'checkpoints/checkpoints.json',
      'checkpoints/proofs.json',
      'deadline/rule.json',
      'deadline/holidays.json',
    ]);
  });

  it('writes an empty platform key log and empty checkpoint lists rather than leaving them out', () => {
    // Prepare: a platform with no registered key, a notice exported before the first checkpoint
    const entries = bundleEntries(input({ submissions: [], platformKeyLog: [], checkpoints: [], proofs: [] }));
    // Act
    const json = (path: string) => {
      const entry = entries.find((e) => e.path === path);
      if (entry?.source !== 'bytes') throw new Error(`no bytes at ${path}`);
      return JSON.parse(Buffer.from(entry.bytes).toString('utf8'));
    };
    // Assess: the verifier requires these three entries (docs/evidence.md §4)
    expect(json('keys/platform-keys.json')).toEqual({ platformId: 'x-corp', log: [] });
    expect(json('checkpoints/checkpoints.json')).toEqual([]);
    expect(json('checkpoints/proofs.json')).toEqual([]);
  });

  it('includes the key log, checkpoints and proofs when their ports yield them', () => {
    const checkpoint = { seq: 3, hash: 'c'.repeat(64), payload: checkpointPayload(3), jws: 'x.y.z' };
    const proof = {
      checkpointSeq: 3,
      chain: `notice:${notice.id}`,
      seq: 2,
      head: 'd',
      leafIndex: 0,
      treeSize: 1,
      path: [],
    };
    const log = [{ chain: 'platform-keys:x-corp', seq: 1 }] as never;
    const entries = bundleEntries(input({ platformKeyLog: log, checkpoints: [checkpoint], proofs: [proof] }));
    const paths = entries.map((e) => e.path);
    expect(paths.slice(paths.indexOf('keys/regulator-keys.json'), -2)).toEqual([
      'keys/regulator-keys.json',
      'keys/platform-keys.json',
      'checkpoints/checkpoints.json',
      'checkpoints/proofs.json',
    ]);
    const keys = entries.find((e) => e.path === 'keys/platform-keys.json');
    expect(keys?.source === 'bytes' && JSON.parse(Buffer.from(keys.bytes).toString())).toEqual({
      platformId: 'x-corp',
      log,
    });
  });

  it('writes the submission manifest as the canonical JSON bytes that were signed, and events in seq order', () => {
    const entries = bundleEntries(input());
    const bytes = (path: string) => {
      const entry = entries.find((e) => e.path === path);
      if (entry?.source !== 'bytes') throw new Error(`no bytes at ${path}`);
      return Buffer.from(entry.bytes).toString('utf8');
    };
    expect(bytes(`submissions/${submission.submissionId}/manifest.json`)).toBe(canonicalJson(manifest));
    expect(bytes(`submissions/${submission.submissionId}/signature.jws`)).toBe('eyJhbGciOiJFZERTQSJ9..c2ln');
    expect(bytes('notice/signed-notice.jws')).toBe('h.p.s');
    expect(JSON.parse(bytes('notice/events.json')).map((e: NoticeEvent) => e.seq)).toEqual([1, 2]);
  });

  it('streams only files the portal hashed, and none when only hashes are asked for', () => {
    const files = bundleEntries(input()).filter((e) => e.source === 'object');
    expect(files).toEqual([
      {
        path: `submissions/${submission.submissionId}/files/response.pdf`,
        source: 'object',
        key: 'notices/n/submissions/s/0',
        size: 3,
        versionId: undefined,
      },
    ]);
    expect(bundleEntries(input({ files: 'hashes-only' })).some((e) => e.source === 'object')).toBe(false);
  });

  it('covers holidays from the year given to the year after the latest due time any event set', () => {
    expect(holidayYears(notice, [event(2, 'issued', { dueAt: notice.dueAt })])).toEqual([2026, 2027]);
    const extended = event(5, 'extension-granted', { dueAt: '2028-01-10T00:00:00Z' });
    expect(holidayYears(notice, [extended])).toEqual([2026, 2029]);
    expect(holidayDates(christmas, 2026, 2027)).toEqual({
      '2026-12-25': 'Christmas Day',
      '2027-12-25': 'Christmas Day',
    });
    const entry = bundleEntries(input()).find((e) => e.path === 'deadline/holidays.json');
    expect(entry?.source === 'bytes' && JSON.parse(Buffer.from(entry.bytes).toString())).toEqual({
      description: christmas.description,
      dates: { '2026-12-25': 'Christmas Day', '2027-12-25': 'Christmas Day' },
    });
  });

  it('makes the manifest from what was written, naming the latest checkpoint', () => {
    const written = [{ path: 'notice/notice.json', size: 10, sha256: 'e'.repeat(64) }];
    const meta = {
      noticeId: notice.id,
      platformId: 'x-corp',
      createdAt: '2026-12-04T00:00:00Z',
      files: 'included' as const,
    };
    expect(JSON.parse(Buffer.from(bundleManifest({ ...meta, checkpoints: [] }, written)).toString())).toEqual({
      format: 'notice-portal-evidence-bundle',
      version: 1,
      ...meta,
      checkpoint: null,
      entries: written,
    });
    const checkpoints = [1, 2].map((seq) => ({
      seq,
      hash: String(seq).repeat(64),
      payload: checkpointPayload(seq),
      jws: 'j',
    }));
    expect(JSON.parse(Buffer.from(bundleManifest({ ...meta, checkpoints }, written)).toString()).checkpoint).toEqual({
      seq: 2,
      hash: '2'.repeat(64),
    });
  });
});

/** A checkpoint payload of the published shape (the layout copies it; nothing here checks its signature). */
function checkpointPayload(seq: number) {
  return {
    typ: 'notice-portal-checkpoint' as const,
    seq,
    previous: '0'.repeat(64),
    issuedAt: '2026-01-01T00:00:00.000Z',
    treeSize: 1,
    root: 'a'.repeat(64),
  };
}
