import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { runCli } from '../../cli/cli';
import { signAcknowledgement } from '../../cli/commands/acknowledge';
import { memoryIo } from '../../cli/io';
import { generateSigningKey, loadSigningKey } from '../../cli/signing';
import { documentClient } from '../../lambdas/adapters/dynamodb-client';
import { verifyDirectoryChain } from '../../lambdas/domain/directory-chain';
import { verifySignedNotice } from '../../lambdas/domain/notice-verification';
import { defined } from '../support/defined';
import { type Harness, startHarness, transparencyDraft } from './support/portal-harness';
import {
  type Call,
  finalizePath,
  openAndUpload,
  pollUntilFiled,
  registeredSigner,
  signedFinalize,
} from './support/response-filing';

/**
 * Signed notices end to end through the local portal (embedded dynalite and s3rver): issuing signs the notice as
 * given, the regulator's key log publishes the key with its window, `notice-portal verify-notice` checks a notice
 * from a file or by id (and names each failure), and a platform acknowledges with a countersignature that the
 * portal checks against its registered keys.
 */
let h: Harness;
let work: string;
beforeAll(async () => {
  h = await startHarness();
  work = mkdtempSync(join(tmpdir(), 'signed-notices-'));
});
afterAll(async () => {
  await h?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function issuedNotice() {
  const draft = await h.as('officer').post('/notices', transparencyDraft('x-corp'));
  expect(draft.status).toBe(201);
  const issued = await h.as('officer').post(`/notices/${draft.body.id}/issue`);
  expect(issued.status).toBe(200);
  return issued.body as { id: string; signedNotice: string; givenAt: string; dueAt?: string; lastEventHash: string };
}

/** Runs the CLI in this process (the portal it talks to is served from here too). */
async function cli(args: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ NOTICE_PORTAL_API: h.portal.url, ...env });
  const code = await runCli(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

const file = (name: string, text: string) => {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
};

describe('a notice issued through the portal', () => {
  it('carries the notice as given, signed with the published regulator key, for regulators and its platform', async () => {
    // Act
    const issued = await issuedNotice();
    const asPlatform = await h.as('x-corp-legal').get(`/notices/${issued.id}`);
    const keys = await h.anonymous().get('/.well-known/regulator-keys.json');
    const jwks = await h.anonymous().get('/.well-known/receipt-keys.json');

    // Assess
    expect(asPlatform.body.signedNotice).toBe(issued.signedNotice);
    expect(keys.status).toBe(200);
    const verification = await verifySignedNotice(issued.signedNotice, keys.body);
    expect(verification).toMatchObject({ valid: true });
    expect(verification.notice).toMatchObject({
      typ: 'notice-as-given',
      noticeId: issued.id,
      platformId: 'x-corp',
      givenAt: issued.givenAt,
      dueAt: issued.dueAt,
      contentSeq: 1,
    });
    expect(verifyDirectoryChain(keys.body.log)).toEqual({ valid: true });
    expect(keys.body.keys).toHaveLength(1);
    expect(keys.body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(keys.body.keys[0]).not.toHaveProperty('d');
    expect(keys.body.keys[0]).not.toHaveProperty('validUntil');
    expect(jwks.body.keys).toEqual(keys.body.keys);
  });

  it('keeps the key log at REGKEYS / KEYLOG#<seq>, each event marked pending for a checkpoint', async () => {
    await issuedNotice();

    const { Items = [] } = await documentClient().send(
      new QueryCommand({
        TableName: h.portal.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'REGKEYS' },
        ConsistentRead: true,
      }),
    );

    // A second issue (and the receipts of other tests) activated nothing more: the head already named the key.
    expect(Items.map((i) => i.sk)).toEqual(['KEYLOG#0000000001']);
    expect(Items[0]).toMatchObject({
      chain: 'regulator-keys',
      seq: 1,
      kind: 'regulator-key-activated',
      checkpointQueue: 'CP',
      checkpointKey: `${Items[0]?.at}#regulator-keys#0000000001`,
    });
  });
});

describe('notice-portal verify-notice', () => {
  let issued: Awaited<ReturnType<typeof issuedNotice>>;
  let keysFile: string;
  let keys: { keys: Record<string, unknown>[]; log: unknown[] };
  beforeAll(async () => {
    issued = await issuedNotice();
    keys = (await h.anonymous().get('/.well-known/regulator-keys.json')).body;
    keysFile = file('regulator-keys.json', JSON.stringify(keys));
  });

  it('passes a signed notice file against the published keys, offline with --keys', async () => {
    const run = await cli(['verify-notice', file('notice.jws', issued.signedNotice), '--keys', keysFile]);

    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`Signed notice ${issued.id}: signature valid`);
    expect(run.stdout).toContain(`given at      ${issued.givenAt}`);
  });

  it('passes a notice fetched by id with the usual CLI auth, keys fetched from the portal', async () => {
    const token = await h.portal.identity.tokenFor('x-corp-legal');

    const run = await cli(['verify-notice', issued.id, '--json'], { NOTICE_PORTAL_TOKEN: token });

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ valid: true, notice: { noticeId: issued.id } });
  });

  it('reads the notice JSON with its signedNotice as well', async () => {
    const notice = (await h.as('officer').get(`/notices/${issued.id}`)).body;

    const run = await cli(['verify-notice', file('notice.json', JSON.stringify(notice)), '--keys', keysFile]);

    expect(run.code).toBe(0);
  });

  it('fails a tampered payload on the signature check, exiting 1', async () => {
    const [header, payload, signature] = issued.signedNotice.split('.');
    const claims = JSON.parse(Buffer.from(defined(payload, 'payload'), 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, legalBasis: 'Nothing at all' })).toString('base64url');

    const run = await cli([
      'verify-notice',
      file('forged.jws', `${header}.${forged}.${signature}`),
      '--keys',
      keysFile,
    ]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('check "signature" failed');
  });

  it('fails a receipt passed as a notice on its typ', async () => {
    // Prepare: a genuine receipt, signed with the same regulator key when a response is filed.
    const call: Call = (user, method, path, body) =>
      method === 'GET' ? h.as(user).get(path) : h.as(user).post(path, body);
    const opened = await openAndUpload(call, [{ name: 'response.pdf', bytes: Buffer.from('%PDF-1.4 answers') }]);
    await call(
      'x-corp-legal',
      'POST',
      finalizePath(opened),
      await signedFinalize(opened, await registeredSigner(call)),
    );
    const receipt: string = defined((await pollUntilFiled(call, opened)).body.receipt, 'the receipt').jws;

    // Act
    const run = await cli(['verify-notice', file('receipt.jws', receipt), '--keys', keysFile, '--json']);

    // Assess
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ valid: false, failed: 'typ' });
  });

  it('fails a notice whose key was not in force at signedAt, naming the window', async () => {
    const shifted = {
      ...keys,
      keys: keys.keys.map((k) => ({ ...k, validFrom: '2099-01-01T00:00:00.000Z' })),
    };

    const run = await cli([
      'verify-notice',
      file('notice-2.jws', issued.signedNotice),
      '--keys',
      file('shifted-keys.json', JSON.stringify(shifted)),
    ]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('check "key-validity" failed');
    expect(run.stderr).toContain('from 2099-01-01T00:00:00.000Z');
  });

  it('fails when the published key under that kid is another key (an impostor key list), on the signature', async () => {
    const other = await generateSigningKey('ES256');
    const foreign = { keys: [{ ...other.publicJwk, kid: keys.keys[0]?.kid, validFrom: '2000-01-01T00:00:00Z' }] };

    const run = await cli([
      'verify-notice',
      file('notice-3.jws', issued.signedNotice),
      '--keys',
      file('foreign-keys.json', JSON.stringify(foreign)),
    ]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('check "signature" failed');
  });
});

describe('a countersigned acknowledgement', () => {
  let keyFile: string;
  beforeAll(async () => {
    const key = await generateSigningKey('EdDSA');
    keyFile = file('x-corp-key.json', JSON.stringify(key.privateJwk));
    const registered = await h.as('admin').post('/platforms/x-corp/signing-keys', { jwk: key.publicJwk });
    expect(registered.status).toBe(201);
  });

  it('is accepted with a key registered for the platform, and recorded with its kid', async () => {
    // Prepare
    const issued = await issuedNotice();
    const token = await h.portal.identity.tokenFor('x-corp-legal');

    // Act
    const run = await cli(['acknowledge', issued.id, '--sign', '--key', keyFile, '--json'], {
      NOTICE_PORTAL_TOKEN: token,
    });

    // Assess
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const key = await loadSigningKey(keyFile);
    expect(JSON.parse(run.stdout)).toMatchObject({ id: issued.id, status: 'acknowledged', kid: key.kid });
    const history = await h.as('officer').get(`/notices/${issued.id}/history`);
    const acknowledged = history.body.items.find((e: { kind: string }) => e.kind === 'acknowledged');
    expect(acknowledged.data).toEqual({ signature: expect.stringMatching(/^ey/), kid: key.kid });
  });

  it('refuses a signature over another notice with a 400 on the field signature, recording nothing', async () => {
    const issued = await issuedNotice();
    const other = await issuedNotice();
    const key = await loadSigningKey(keyFile);
    const signature = await signAcknowledgement(
      { noticeId: issued.id, platformId: 'x-corp', signedNotice: other.signedNotice },
      key,
    );

    const response = await h.as('x-corp-legal').post(`/notices/${issued.id}/acknowledge`, { signature });

    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual([
      { path: 'signature', message: expect.stringContaining('signedNoticeSha256') },
    ]);
    expect((await h.as('officer').get(`/notices/${issued.id}`)).body.status).toBe('issued');
  });

  it("refuses a key registered to another platform (a foreign platform's signature)", async () => {
    const issued = await issuedNotice();
    const foreign = await generateSigningKey('ES256');
    expect((await h.as('admin').post('/platforms/videoshare/signing-keys', { jwk: foreign.publicJwk })).status).toBe(
      201,
    );
    const signature = await signAcknowledgement(
      { noticeId: issued.id, platformId: 'x-corp', signedNotice: issued.signedNotice },
      await loadSigningKey(file('videoshare-key.json', JSON.stringify(foreign.privateJwk))),
    );

    const response = await h.as('x-corp-legal').post(`/notices/${issued.id}/acknowledge`, { signature });

    expect(response.status).toBe(400);
    expect(response.body.error.issues).toEqual([
      { path: 'signature', message: expect.stringContaining('not registered for platform x-corp') },
    ]);
  });

  it('refuses a malformed signature on its form, and still acknowledges without one', async () => {
    const issued = await issuedNotice();

    const bad = await h.as('x-corp-legal').post(`/notices/${issued.id}/acknowledge`, { signature: 'not a jws' });
    const plain = await h.as('x-corp-legal').post(`/notices/${issued.id}/acknowledge`);

    expect(bad.status).toBe(400);
    expect(bad.body.error.issues).toEqual([{ path: 'signature', message: expect.stringContaining('compact JWS') }]);
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({ status: 'acknowledged' });
    expect(plain.body.acknowledgementSignature).toBeUndefined();
  });
});
