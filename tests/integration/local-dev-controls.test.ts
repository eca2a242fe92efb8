import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defined } from '../support/defined';
import { runNode } from '../support/run-node';
import { type Harness, startHarness, transparencyDraft } from './support/portal-harness';
import { callAs, startPortalProcess } from './support/portal-process';

/**
 * The local portal's development controls as a demo uses them: a clock moved forward that stays moved across a
 * restart, a CLI filing after the clock moved, reminders in the outbox, and the scriptable dev sign-in.
 */
const DAY = 24 * 60 * 60 * 1000;
const SDK_NODE_WARNING_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
const CLI = [require.resolve('tsx/cli'), join(__dirname, '..', '..', 'cli', 'main.ts')];

describe('npm start with a moved clock', () => {
  it('keeps the moved clock across a restart on the same data folder, so no event is dated before an earlier one', async () => {
    // Prepare: a notice issued, the clock moved 29 days, the notice acknowledged at the moved time.
    const dataDir = mkdtempSync(join(tmpdir(), 'notice-portal-clock-'));
    try {
      const first = await startPortalProcess({ DATA_DIR: dataDir });
      const draft = await callAs(first.url, 'officer', 'POST', '/notices', transparencyDraft('x-corp'));
      const issued = await callAs(first.url, 'officer', 'POST', `/notices/${draft.body.id}/issue`);
      const moved = (await (
        await fetch(`${first.url}/dev/clock`, { method: 'POST', body: '{"days": 29}' })
      ).json()) as { now: string };
      await callAs(first.url, 'x-corp-legal', 'POST', `/notices/${draft.body.id}/acknowledge`);
      await first.stop();

      // Act: restart on the same data, and record one more event.
      const second = await startPortalProcess({ DATA_DIR: dataDir });
      const clock = await fetch(`${second.url}/dev/clock`);
      const after = (await clock.json()) as { now: string };
      await callAs(second.url, 'x-corp-legal', 'POST', `/notices/${draft.body.id}/extensions`, {
        requestedDueAt: new Date(Date.parse(issued.body.dueAt) + 7 * DAY).toISOString(),
        reason: 'The audit of our classifiers finishes next week.',
      });
      const history = await callAs(second.url, 'officer', 'GET', `/notices/${draft.body.id}/history`);
      await second.stop();

      // Assess
      expect(Date.parse(moved.now) - Date.now()).toBeGreaterThan(28 * DAY);
      expect(Date.parse(after.now)).toBeGreaterThanOrEqual(Date.parse(moved.now));
      // The HTTP Date header tells clients the portal's time (whole seconds), not the machine's.
      expect(Math.abs(Date.parse(clock.headers.get('date') ?? '') - Date.parse(after.now))).toBeLessThan(2000);
      const events = history.body.items as { seq: number; kind: string; at: string }[];
      expect(events.map((e) => e.kind)).toEqual(['created', 'issued', 'acknowledged', 'extension-requested']);
      for (let i = 1; i < events.length; i++) {
        const [earlier, later] = [defined(events[i - 1], `event ${i - 1}`), defined(events[i], `event ${i}`)];
        expect(Date.parse(later.at)).toBeGreaterThanOrEqual(Date.parse(earlier.at));
      }
      expect(existsSync(join(dataDir, 'clock.json'))).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('states the AWS SDK Node.js support notice in one line instead of the SDK warning', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'notice-portal-node-'));
    try {
      // The switch may be set in the test runner's environment (the harness sets it): start without it.
      const started = await startPortalProcess({ DATA_DIR: dataDir, [SDK_NODE_WARNING_SWITCH]: undefined });
      await callAs(started.url, 'officer', 'GET', '/notices');
      await started.stop();

      expect(started.output()).not.toContain('NodeVersionSupportWarning');
      if (Number(process.versions.node.split('.')[0]) < 22) {
        expect(started.output()).toContain(
          `Node.js ${process.version} is supported; AWS SDK releases after the first week of January 2027 need Node.js 22 or later`,
        );
      } else {
        expect(started.output()).not.toContain('January 2027');
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the local portal in a demo', () => {
  let h: Harness;
  let work: string;
  beforeAll(async () => {
    h = await startHarness();
    work = mkdtempSync(join(tmpdir(), 'notice-portal-dev-controls-'));
  });
  afterAll(async () => {
    await h?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function issuedNotice(): Promise<string> {
    const created = await h.as('officer').post('/notices', transparencyDraft('x-corp'));
    expect(await h.as('officer').post(`/notices/${created.body.id}/issue`)).toMatchObject({ status: 200 });
    return created.body.id;
  }

  function cli(
    args: string[],
    env: Record<string, string>,
  ): Promise<{ code: number | null; out: string; err: string }> {
    return runNode([...CLI, ...args], { NOTICE_PORTAL_API: h.portal.url, ...env }).then(({ code, stdout, stderr }) => ({
      code,
      out: stdout,
      err: stderr,
    }));
  }

  it('files a CLI submission signed with a key registered after the clock moved', async () => {
    // Prepare: a notice issued, the clock moved 22 days, then a fresh key made and registered.
    const noticeId = await issuedNotice();
    const moved = await h.anonymous().post('/dev/clock', { days: 22 });
    const keyFile = join(work, 'key.jwk');
    const publicFile = join(work, 'pub.jwk');
    expect(await cli(['keygen', '--out', keyFile, '--public-out', publicFile], {})).toMatchObject({ code: 0 });
    const registered = await h
      .as('admin')
      .post('/platforms/x-corp/signing-keys', { jwk: JSON.parse(readFileSync(publicFile, 'utf8')) });
    expect(registered.status).toBeLessThan(300);
    const dir = join(work, 'response');
    mkdirSync(dir);
    writeFileSync(join(dir, 'letter.txt'), 'X Corp responds as follows.\n');
    const answers = join(work, 'answers.json');
    writeFileSync(
      answers,
      JSON.stringify([
        { question: '1', answer: 'Hash matching against known material.' },
        { question: '2', answer: 'Four hours.' },
      ]),
    );

    // Act
    const signed = await cli(
      [
        'submit',
        ...['--notice', noticeId, '--dir', dir, '--answers', answers, '--key', keyFile],
        ...['--signer-name', 'Xavier Counsel', '--json'],
      ],
      { NOTICE_PORTAL_TOKEN: await h.portal.identity.tokenFor('x-corp-legal') },
    );
    const notice = await h.as('officer').get(`/notices/${noticeId}`);

    // Assess
    expect(signed).toMatchObject({ code: 0 });
    expect(signed.err).toContain("The portal's clock is 22 d ahead of this machine's");
    expect(signed.err).toContain("signing with the portal's time");
    const result = JSON.parse(signed.out);
    expect(Date.parse(result.filedAt)).toBeGreaterThanOrEqual(Date.parse(moved.body.now));
    expect(notice.body.status).toBe('submitted');
  }, 90_000);

  it('puts each reminder in the outbox with the id of its notice', async () => {
    // Prepare: a 28-day notice, and the clock moved 22 days on, so its 7-days-before reminder is due.
    const noticeId = await issuedNotice();
    await h.anonymous().post('/dev/clock', { days: 22 });

    // Act
    await h.anonymous().post('/dev/reminders/run');
    const outbox = await h.anonymous().get('/dev/outbox');

    // Assess
    const mine = outbox.body.items.filter((m: { text: string }) => m.text.includes(noticeId));
    expect(mine.length).toBeGreaterThan(0);
    for (const message of mine) expect(message.noticeId).toBe(noticeId);
  });

  describe('the development identity provider for scripts', () => {
    const signIn = (body: unknown) =>
      fetch(`${h.portal.url}/dev-idp/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });

    it('gives an invited user a token for JSON {username, password}, and refuses a wrong password', async () => {
      // Prepare
      const invited = await h.as('admin').post('/users', {
        email: 'scripted@videoshare.example',
        name: 'Sam Scripted',
        role: 'platform-responder',
        platformId: 'videoshare',
      });
      expect(invited.status).toBe(201);

      // Act
      const good = await signIn({ username: 'scripted@videoshare.example', password: invited.body.temporaryPassword });
      const token = await good.text();
      const asInvited = await h.anonymous().get('/notices', { authorization: `Bearer ${token}` });
      const wrong = await signIn({ username: 'scripted@videoshare.example', password: 'not-the-password' });
      const seeded = await signIn({ username: 'officer' });
      const malformed = await signIn('{"user": 1}');

      // Assess
      expect(good.status).toBe(200);
      expect(asInvited.status).toBe(200);
      expect(wrong.status).toBe(401);
      expect(seeded.status).toBe(200);
      expect(malformed.status).toBe(400);
      const refusal = (await malformed.json()) as { error: { issues: { path: string }[] } };
      expect(refusal.error.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['username']));
    });
  });
});
