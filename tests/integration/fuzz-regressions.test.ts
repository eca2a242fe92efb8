import { request as httpRequest } from 'node:http';
import { changes, type StoreReader, storeReader } from '../support/fuzz/store-snapshot';
import { noticeWithExtension } from './support/access/resources';
import { type Harness, startHarness } from './support/portal-harness';

/**
 * Defects the route fuzzer (tests/integration/fuzz-routes.test.ts) found, each pinned by name so it cannot come
 * back unnoticed if the fuzzer's generators change.
 */
let h: Harness;
let store: StoreReader;
let noticeId: string;
beforeAll(async () => {
  h = await startHarness();
  store = storeReader(h.portal);
  ({ noticeId } = await noticeWithExtension(h, 'x-corp', 'fuzz-regressions'));
});
afterAll(async () => {
  store?.destroy();
  await h?.stop();
});

/** A GET with the path exactly as given: fetch() would normalise or refuse the bad encodings under test. */
function rawGet(path: string, token: string): Promise<{ status: number; body: any }> {
  const { hostname, port } = new URL(h.portal.url);
  return new Promise((resolve, reject) => {
    httpRequest({ hostname, port, path, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('regressions found by the route fuzzer', () => {
  it.each(['%C0%AF', '%zz', '%E0%A4%A', '%ED%A0%80'])(
    'answers a path parameter that is not valid percent-encoded UTF-8 (%s) with a 400 naming it, not a 500',
    async (segment) => {
      const token = await h.portal.identity.tokenFor('officer');

      const response = await rawGet(`/notices/${noticeId}/submissions/${segment}/files/0/download`, token);

      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({
        code: 'validation-failed',
        issues: [{ path: 'path.submissionId', message: expect.any(String) }],
      });
    },
  );

  it.each(['杓𘫱', 'text/plain\u0007', 'application/pdf\r\nx-amz-acl: public-read', 'pdf'])(
    'refuses a file whose content type is not a media type (%j) with a 400, and stores nothing',
    async (contentType) => {
      const before = await store.snapshot();

      const response = await h.as('x-corp-legal').post(`/notices/${noticeId}/submissions`, {
        files: [{ name: 'report.pdf', size: 64 * 1024 * 1024, sha256: 'a'.repeat(64), contentType }],
      });

      expect(response.status).toBe(400);
      expect(response.body.error.issues).toEqual([
        { path: 'files.0.contentType', message: 'must be a media type such as application/pdf' },
      ]);
      expect(changes(before, await store.snapshot())).toEqual([]);
    },
  );
});
