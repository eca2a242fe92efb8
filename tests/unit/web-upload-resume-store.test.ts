import 'fake-indexeddb/auto';
import { openResumeStore, type ResumeState } from '../../web/src/upload/resume-store';

const state = (): ResumeState => ({
  noticeId: 'ntc_1',
  submissionId: 'sub_1',
  updatedAt: 0,
  files: [
    { index: 0, name: 'small.pdf', size: 10, lastModified: 1, sha256: 'aa', parts: [], done: false },
    { index: 1, name: 'big.bin', size: 80, lastModified: 2, sha256: 'bb', parts: [], done: false },
  ],
});

describe("the browser's upload resume store", () => {
  it('keeps finished parts and files across a reopen (a closed tab)', async () => {
    // Prepare
    const name = `resume-${Math.random()}`;
    const store = openResumeStore(name);
    await store.put(state());

    // Act: parts recorded in parallel, out of order, then the single-PUT file done.
    await Promise.all([
      store.recordPart('ntc_1', 1, { partNumber: 3, etag: '"c"' }),
      store.recordPart('ntc_1', 1, { partNumber: 1, etag: '"a"' }),
      store.recordPart('ntc_1', 1, { partNumber: 2, etag: '"b"' }),
    ]);
    await store.markDone('ntc_1', 0);
    const reopened = await openResumeStore(name).get('ntc_1');

    // Assess: nothing lost to the parallel writes, parts in order.
    expect(reopened?.submissionId).toBe('sub_1');
    expect(reopened?.files[0]?.done).toBe(true);
    expect(reopened?.files[1]?.parts.map((p) => p.partNumber)).toEqual([1, 2, 3]);
    expect(reopened?.files[1]?.done).toBe(false);
  });

  it('forgets a cancelled upload, and knows nothing of other notices', async () => {
    const store = openResumeStore(`resume-${Math.random()}`);
    await store.put(state());
    expect(await store.get('ntc_2')).toBeUndefined();

    await store.delete('ntc_1');

    expect(await store.get('ntc_1')).toBeUndefined();
    // Recording a part for a forgotten upload does not bring it back.
    await store.recordPart('ntc_1', 1, { partNumber: 1, etag: '"a"' });
    expect(await store.get('ntc_1')).toBeUndefined();
  });
});
