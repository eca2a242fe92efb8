import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { openResumeStore, type ResumeStore } from '../../web/src/upload/resume-store';
import type { UploadApi, UploadTarget } from '../../web/src/upload/upload-api';
import { type EngineFile, UploadEngine } from '../../web/src/upload/upload-engine';
import { PutAborted, StorageRefused } from '../../web/src/upload/xhr-put';

/**
 * The engine against an in-memory stand-in for the storage and the portal's upload calls (the browser's XHR is
 * not in Node; the real round trip is the browser test's). What it proves is the engine's own logic: which parts
 * it sends after a pause, that finished parts are never re-sent, that a refused URL is replaced.
 */
const later = () => new Date(Date.now() + 3600_000).toISOString();

/** The engine's part hasher in Node (the app's hashes in a Worker, which Node has not got). */
const hashPart = async (part: Blob) =>
  createHash('sha256')
    .update(new Uint8Array(await part.arrayBuffer()))
    .digest('hex');

function fakePortal(partCount: number) {
  const stored = new Map<number, { etag: string; size: number; sha256: string }>();
  const sent: number[] = [];
  let refuseNext403 = false;
  const urlsAsked: number[][] = [];
  let completed: { partNumber: number; etag: string; sha256?: string }[] | undefined;
  // A completion that reached storage but not the record; the portal records it when asked for the parts.
  let completedInStorage = false;
  const target = (parts: { partNumber: number; sha256: string }[]): UploadTarget => ({
    index: 0,
    method: 'multipart',
    partSize: 10,
    partCount,
    checksumAlgorithm: 'SHA256',
    parts: parts.map(({ partNumber: n, sha256 }) => ({
      partNumber: n,
      url: `https://s3.test/part?partNumber=${n}&v=${urlsAsked.length}`,
      headers: { 'x-amz-checksum-sha256': Buffer.from(sha256, 'hex').toString('base64') },
    })),
    expiresAt: later(),
  });
  const api: UploadApi = {
    openSubmission: async () => {
      throw new Error('unused');
    },
    // The portal's view of the file: complete once the completion is recorded.
    getSubmission: async () =>
      ({ files: [{ index: 0, ...(completed || completedInStorage ? { completedAt: later() } : {}) }] }) as never,
    uploadUrls: async (_n, _s, _i, parts) => {
      urlsAsked.push((parts ?? []).map((p) => p.partNumber));
      return target(parts ?? []);
    },
    listParts: async () => (completedInStorage ? [] : [...stored].map(([partNumber, p]) => ({ partNumber, ...p }))),
    completeFile: async (_n, _s, _i, parts) => {
      completed = parts;
      return {} as never;
    },
  };
  const put = async (
    url: string,
    body: Blob,
    headers: Record<string, string>,
    onProgress: (n: number) => void,
    signal: AbortSignal,
  ) => {
    const partNumber = Number(new URL(url).searchParams.get('partNumber'));
    // As S3: the part must carry the SHA-256 its URL bound, and its bytes must hash to it.
    const sha256 = await hashPart(body);
    if (headers['x-amz-checksum-sha256'] !== Buffer.from(sha256, 'hex').toString('base64')) {
      throw new StorageRefused(400, 'The storage refused the upload (400 BadDigest)');
    }
    if (refuseNext403) {
      refuseNext403 = false;
      throw new StorageRefused(403, 'The storage refused the upload (403 AccessDenied)');
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (signal.aborted) throw new PutAborted();
    onProgress(body.size);
    sent.push(partNumber);
    stored.set(partNumber, { etag: `"etag-${partNumber}"`, size: body.size, sha256 });
    return { etag: `"etag-${partNumber}"` };
  };
  return {
    api,
    put,
    sent,
    urlsAsked,
    stored,
    completed: () => completed,
    refuseOnce: () => {
      refuseNext403 = true;
    },
    completeInStorageOnly: () => {
      completedInStorage = true;
    },
  };
}

async function seed(store: ResumeStore, size: number) {
  await store.put({
    noticeId: 'ntc_1',
    submissionId: 'sub_1',
    updatedAt: 0,
    files: [{ index: 0, name: 'big.bin', size, lastModified: 1, sha256: 'ab', parts: [], done: false }],
  });
}

const bigFile = (size: number, partCount: number): EngineFile => ({
  index: 0,
  // Bytes that differ from part to part, so a part sent with another part's checksum would be refused.
  file: new Blob([Uint8Array.from({ length: size }, (_, i) => i % 251)]),
  name: 'big.bin',
  size,
  upload: { kind: 'multipart', partSize: 10, partCount },
  done: false,
  parts: [],
});

describe('the upload engine', () => {
  it('after a pause sends only the parts not yet stored, then completes with every ETag in order', async () => {
    // Prepare: 8 parts of 10 bytes (the last 5), two in flight at once.
    const portal = fakePortal(8);
    const store = openResumeStore(`engine-${Math.random()}`);
    await seed(store, 75);
    const snapshots: string[] = [];
    const engine = new UploadEngine({
      api: portal.api,
      store,
      noticeId: 'ntc_1',
      submissionId: 'sub_1',
      files: [bigFile(75, 8)],
      parallel: 2,
      put: portal.put,
      hashPart,
      waitForSession: async () => {},
      onChange: (s) => snapshots.push(s.state),
    });

    // Act: pause once three parts are stored, then resume.
    const run = engine.start();
    while (portal.stored.size < 3) await new Promise((resolve) => setTimeout(resolve, 1));
    await engine.pause();
    await run;
    const storedAtPause = [...portal.stored.keys()];
    const sentBefore = portal.sent.length;
    expect(engine.snapshot().state).toBe('paused');
    await engine.start();

    // Assess: no part sent twice; the resumed run sent exactly the missing ones; the completion lists all 8.
    const resent = portal.sent.slice(sentBefore);
    expect(resent.filter((n) => storedAtPause.includes(n))).toEqual([]);
    expect(new Set(portal.sent).size).toBe(portal.sent.length);
    expect(portal.completed()?.map((p) => p.partNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(portal.completed()?.[7]?.etag).toBe('"etag-8"');
    // Every part named with its SHA-256, whether it was sent before the pause or after it.
    expect(portal.completed()?.map((p) => p.sha256)).toEqual(
      [...portal.stored.keys()].sort().map((n) => portal.stored.get(n)?.sha256),
    );
    expect(portal.completed()?.every((p) => /^[0-9a-f]{64}$/.test(p.sha256 ?? ''))).toBe(true);
    const snap = engine.snapshot();
    expect(snap.state).toBe('done');
    expect(snap.sentBytes).toBe(75);
    expect(snap.files[0]?.parts?.alreadyStored).toBe(storedAtPause.length);
    const saved = await store.get('ntc_1');
    expect(saved?.files[0]?.done).toBe(true);
    expect(saved?.files[0]?.parts).toHaveLength(8);
  });

  it('on resume takes a file whose completion reached storage but not the record as stored, sending nothing', async () => {
    // Prepare: every part stored and completed in storage, then the tab closed before the portal recorded it.
    const portal = fakePortal(3);
    const store = openResumeStore(`engine-${Math.random()}`);
    await seed(store, 25);
    const options = {
      api: portal.api,
      store,
      noticeId: 'ntc_1',
      submissionId: 'sub_1',
      put: portal.put,
      hashPart,
      waitForSession: async () => {},
      onChange: () => {},
    };
    const first = new UploadEngine({ ...options, files: [bigFile(25, 3)] });
    const run = first.start();
    while (portal.stored.size < 3) await new Promise((resolve) => setTimeout(resolve, 1));
    await run;
    const sentBefore = portal.sent.length;
    portal.completeInStorageOnly();

    // Act: a new page resumes the file (no URLs from the opening left).
    const resumed = new UploadEngine({ ...options, files: [bigFile(25, 3)] });
    await resumed.start();

    // Assess
    expect(portal.sent.slice(sentBefore)).toEqual([]);
    expect(resumed.snapshot().state).toBe('done');
    expect((await store.get('ntc_1'))?.files[0]?.done).toBe(true);
  });

  it('replaces a URL the storage refuses with a fresh one and carries on', async () => {
    const portal = fakePortal(2);
    const store = openResumeStore(`engine-${Math.random()}`);
    await seed(store, 20);
    portal.refuseOnce();
    const engine = new UploadEngine({
      api: portal.api,
      store,
      noticeId: 'ntc_1',
      submissionId: 'sub_1',
      files: [bigFile(20, 2)],
      parallel: 1,
      retryBaseMs: 1,
      put: portal.put,
      hashPart,
      waitForSession: async () => {},
      onChange: () => {},
    });

    await engine.start();

    expect(engine.snapshot().state).toBe('done');
    // The first batch, then a fresh URL for the refused part 1.
    expect(portal.urlsAsked[0]).toEqual([1, 2]);
    expect(portal.urlsAsked[1]?.[0]).toBe(1);
  });

  it('forgets the resume state on cancel', async () => {
    const portal = fakePortal(4);
    const store = openResumeStore(`engine-${Math.random()}`);
    await seed(store, 40);
    const engine = new UploadEngine({
      api: portal.api,
      store,
      noticeId: 'ntc_1',
      submissionId: 'sub_1',
      files: [bigFile(40, 4)],
      put: portal.put,
      hashPart,
      waitForSession: async () => {},
      onChange: () => {},
    });
    const run = engine.start();
    await engine.cancel();
    await run;

    expect(engine.snapshot().state).toBe('cancelled');
    expect(await store.get('ntc_1')).toBeUndefined();
    expect(portal.completed()).toBeUndefined();
  });
});
