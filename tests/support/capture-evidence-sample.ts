import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK } from 'jose';
import { generateSigningKey, signManifest } from '../../cli/signing';
import type { Manifest } from '../../lambdas/domain/submission';
import { startPortal } from '../../local/portal';

/**
 * Recaptures tests/fixtures/evidence-sample.json from the real local portal, so the offline recomputation test
 * (tests/unit/evidence-recomputation.test.ts) checks evidence the current code writes:
 *
 *   npx tsx tests/support/capture-evidence-sample.ts
 *
 * It starts the portal (`startPortal`, as `npm start` does) on free ports with its data in a fresh temp folder,
 * signs in the seeded users through the development identity provider (`POST /dev-idp/token/<user>`) and, over
 * HTTP only: drafts a transparency notice to x-corp (with an Idempotency-Key), issues it, acknowledges it, asks for
 * an extension and grants it, then files a signed response — an Ed25519 key registered by the admin, the file
 * opened with its SHA-256, uploaded with the returned headers, and the manifest signed by the CLI's own signing code
 * (a detached JWS over its RFC 8785 canonical JSON). It writes the history, the manifest as sent, the signature,
 * the platform's public key and the receipt keys, then formats the file with Biome.
 */
const FIXTURE = join(__dirname, '..', 'fixtures', 'evidence-sample.json');
const BIOME = join(__dirname, '..', '..', 'node_modules', '.bin', 'biome');
const DAY_MS = 24 * 60 * 60 * 1000;

type Body = any;

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const dataDir = mkdtempSync(join(tmpdir(), 'notice-portal-capture-'));
  const portal = await startPortal({
    dataDir,
    port: 0,
    dynamodbPort: 0,
    s3Port: 0,
    logLevel: 'error',
    reminderIntervalMs: 0,
    checkpointIntervalMs: 0,
  });
  try {
    const tokens = new Map<string, string>();
    const tokenFor = async (user: string): Promise<string> => {
      let token = tokens.get(user);
      if (!token) {
        const res = await fetch(`${portal.url}/dev-idp/token/${encodeURIComponent(user)}`, { method: 'POST' });
        if (res.status !== 200) throw new Error(`no token for ${user}: ${res.status} ${await res.text()}`);
        token = await res.text();
        tokens.set(user, token);
      }
      return token;
    };
    const call = async (
      user: string | undefined,
      method: 'GET' | 'POST',
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ): Promise<{ status: number; body: Body }> => {
      const res = await fetch(`${portal.url}${path}`, {
        method,
        headers: {
          ...(user ? { authorization: `Bearer ${await tokenFor(user)}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
    const expectStatus = async (status: number, sent: Promise<{ status: number; body: Body }>, what: string) => {
      const res = await sent;
      if (res.status !== status) {
        throw new Error(`${what}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
      }
      return res.body;
    };

    // The notice: drafted (with an Idempotency-Key), issued, acknowledged, extended.
    const draft = await expectStatus(
      201,
      call('officer', 'POST', '/notices', transparencyDraft(), { 'idempotency-key': 'capture-draft-0001' }),
      'draft',
    );
    const noticeId: string = draft.id;
    const issued = await expectStatus(200, call('officer', 'POST', `/notices/${noticeId}/issue`), 'issue');
    await expectStatus(200, call('x-corp-legal', 'POST', `/notices/${noticeId}/acknowledge`), 'acknowledge');
    const requested = await expectStatus(
      201,
      call('x-corp-legal', 'POST', `/notices/${noticeId}/extensions`, {
        requestedDueAt: new Date(Date.parse(issued.dueAt) + 7 * DAY_MS).toISOString(),
        reason: 'Our classifier audit finishes a week after the due date.',
      }),
      'extension request',
    );
    const extensionId: string = requested.extensions.at(-1).id;
    await expectStatus(
      200,
      call('officer', 'POST', `/notices/${noticeId}/extensions/${extensionId}/grant`, {
        reason: 'The audit is needed to answer question 1.',
        legalBasis: 'Online Safety Act 2021 (Cth) s 57(2)',
      }),
      'extension grant',
    );

    // The platform's signing key, registered by the regulator admin (the CLI's keygen code).
    const key = await generateSigningKey('EdDSA');
    await expectStatus(
      201,
      call('admin', 'POST', '/platforms/x-corp/signing-keys', { jwk: key.publicJwk }),
      'signing key registration',
    );
    const signingKey = { alg: key.alg, kid: key.kid, publicJwk: key.publicJwk, key: await importJWK(key.privateJwk) };

    // The response: opened with each file's SHA-256, uploaded with the returned headers.
    const file = { name: 'cover-letter.txt', bytes: Buffer.from('Cover letter: our answers are in the manifest.\n') };
    const fileSha256 = createHash('sha256').update(file.bytes).digest('hex');
    const opened = await expectStatus(
      201,
      call('x-corp-legal', 'POST', `/notices/${noticeId}/submissions`, {
        files: [{ name: file.name, size: file.bytes.length, sha256: fileSha256, contentType: 'text/plain' }],
      }),
      'open submission',
    );
    const submissionId: string = opened.submission.submissionId;
    for (const upload of opened.uploads) {
      if (upload.method !== 'PUT') throw new Error(`expected a single PUT upload, got ${upload.method}`);
      const put = await fetch(upload.url, {
        method: 'PUT',
        body: file.bytes,
        headers: { 'content-type': 'text/plain', ...upload.headers },
      });
      if (put.status !== 200) throw new Error(`PUT refused: ${put.status} ${await put.text()}`);
    }

    // The manifest, signed as a detached JWS over its canonical JSON, and finalized.
    const manifest: Manifest = {
      noticeId,
      submissionId,
      files: [{ name: file.name, size: file.bytes.length, sha256: fileSha256 }],
      answers: [
        { question: '1', answer: 'Hash matching against known material, and classifiers for new material.' },
        { question: '2', cannotAnswer: { reason: 'The time to action a report is not recorded per report.' } },
      ],
      signer: { name: 'Xavier Counsel', title: 'General Counsel' },
      signedAt: new Date().toISOString(),
    };
    const signature = await signManifest(manifest, signingKey);
    const submissionPath = `/notices/${noticeId}/submissions/${submissionId}`;
    const finalized = await call('x-corp-legal', 'POST', `${submissionPath}/finalize`, { manifest, signature });
    if (finalized.status !== 200 && finalized.status !== 202) {
      throw new Error(`finalize: ${finalized.status} ${JSON.stringify(finalized.body)}`);
    }
    for (let i = 0; ; i++) {
      const submission = await expectStatus(200, call('x-corp-legal', 'GET', submissionPath), 'read submission');
      if (submission.receipt) break;
      if (i >= 150) throw new Error('the response was not filed within 15 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // The evidence, as a third party would fetch it.
    const history: Body[] = [];
    let cursor: string | undefined;
    do {
      const query = `?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await expectStatus(200, call('officer', 'GET', `/notices/${noticeId}/history${query}`), 'history');
      history.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const receiptKeys = await expectStatus(
      200,
      call(undefined, 'GET', '/.well-known/receipt-keys.json'),
      'receipt keys',
    );

    const capturedOn = new Date().toISOString().slice(0, 10);
    const sample = {
      '//':
        `Captured by tests/support/capture-evidence-sample.ts (npx tsx tests/support/capture-evidence-sample.ts) on ` +
        `${capturedOn}, from the real local portal (startPortal, as npm start runs it) over HTTP: a transparency ` +
        'notice drafted (with an Idempotency-Key), issued, acknowledged, extended (requested and granted) and ' +
        "answered with a response signed by the CLI's signing code. tests/unit/evidence-recomputation.test.ts " +
        'recomputes every hash in it from the README alone. Recapture with the script; do not edit by hand.',
      history,
      manifest,
      manifestSignature: signature,
      platformPublicKey: key.publicJwk,
      receiptKeys,
    };
    writeFileSync(FIXTURE, `${JSON.stringify(sample, null, 2)}\n`);
    execFileSync(BIOME, ['format', '--write', FIXTURE], { stdio: 'inherit' });
    process.stdout.write(`wrote ${FIXTURE} (notice ${noticeId}, ${history.length} events)\n`);
  } finally {
    await portal.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The draft the recomputation test also builds (its `sampleDraft`); the notice type supplies the rest. */
function transparencyDraft() {
  return {
    type: 'transparency-notice',
    platformId: 'x-corp',
    title: 'Transparency notice: child sexual exploitation and abuse',
    mannerAndForm: 'Answer each question in writing through this portal.',
    requirements: {
      questions: [
        { number: '1', text: 'Describe the tools you use to detect known CSAM.' },
        { number: '2', text: 'State the median time to action a user report.' },
      ],
    },
  };
}

main().catch((error) => {
  process.stderr.write(`capture failed: ${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
