import { type Caller, ROLES, type Role } from '../../lambdas/domain/caller';
import { Conflict, Forbidden, NotFound } from '../../lambdas/domain/errors';
import { AWAITING_RESPONSE, NOTICE_STATUSES, type NoticeStatus } from '../../lambdas/domain/notice';
import { sealEvent } from '../../lambdas/domain/notice-event';
import {
  applyEvent,
  assertTransition,
  assertVisible,
  authorize,
  COMMANDS,
  type Command,
  canSee,
  TRANSITIONS,
  type Transition,
} from '../../lambdas/domain/notice-lifecycle';
import {
  admin,
  noticeInStatus,
  officer,
  userWithoutRole,
  videoshareLegal,
  xCorpLegal,
} from '../support/notice-fixtures';

/**
 * The lifecycle as it is meant to be, written out here rather than read from `TRANSITIONS`: a change to the
 * table in the code has to be made here too, on purpose, or these tests fail.
 */
const REGULATORS: Role[] = ['regulator-admin', 'regulator-officer'];
const PLATFORM: Role[] = ['platform-responder'];
const AWAITING: NoticeStatus[] = ['issued', 'acknowledged', 'further-information-requested'];
const EXPECTED: Record<Command, Transition> = {
  'revise-draft': { from: ['draft'], to: 'unchanged', roles: REGULATORS },
  issue: { from: ['draft'], to: 'issued', roles: REGULATORS },
  acknowledge: { from: ['issued'], to: 'acknowledged', roles: PLATFORM },
  submit: { from: ['issued', 'acknowledged', 'further-information-requested'], to: 'submitted', roles: PLATFORM },
  'start-review': { from: ['submitted'], to: 'under-review', roles: REGULATORS },
  'request-further-information': { from: ['under-review'], to: 'further-information-requested', roles: REGULATORS },
  accept: { from: ['under-review'], to: 'accepted', roles: REGULATORS },
  close: { from: ['accepted'], to: 'closed', roles: REGULATORS },
  withdraw: {
    from: ['draft', 'issued', 'acknowledged', 'submitted', 'under-review', 'further-information-requested'],
    to: 'withdrawn',
    roles: REGULATORS,
  },
  'request-extension': { from: AWAITING, to: 'unchanged', roles: PLATFORM },
  'grant-extension': { from: AWAITING, to: 'unchanged', roles: REGULATORS },
  'refuse-extension': { from: AWAITING, to: 'unchanged', roles: REGULATORS },
  'record-payment': { from: ['issued', 'acknowledged'], to: 'paid', roles: REGULATORS },
  'record-non-payment': { from: ['issued', 'acknowledged'], to: 'unpaid', roles: REGULATORS },
  'correct-payment': { from: ['paid'], to: 'unchanged', roles: REGULATORS },
  'void-payment': { from: ['paid'], to: 'reopened', roles: REGULATORS },
};
const EXPECTED_COMMANDS = Object.keys(EXPECTED) as Command[];

const everyPair = EXPECTED_COMMANDS.flatMap((command) => NOTICE_STATUSES.map((status) => [command, status] as const));

describe('the commands', () => {
  it('are exactly the commands of the expected lifecycle', () => {
    // Assess
    expect([...COMMANDS].sort()).toEqual([...EXPECTED_COMMANDS].sort());
  });

  it.each(EXPECTED_COMMANDS)('move "%s" from, to and by exactly whom the lifecycle says', (command) => {
    // Act
    const transition = TRANSITIONS[command];

    // Assess: order too, since refusals name the statuses and roles in this order.
    expect(transition).toEqual(EXPECTED[command]);
  });
});

describe('assertTransition', () => {
  it.each(everyPair)('decides "%s" from %s exactly as the lifecycle says', (command, status) => {
    // Prepare
    const notice = noticeInStatus(status);
    const allowed = EXPECTED[command].from.includes(status);

    // Act
    const attempt = () => assertTransition(notice, command);

    // Assess
    if (allowed) {
      expect(attempt()).toBe(EXPECTED[command].to);
    } else {
      expect(attempt).toThrow(Conflict);
      expect(attempt).toThrow(expect.objectContaining({ reason: 'illegal-transition' }));
    }
  });

  it('says in the refusal which statuses the command needs', () => {
    // Prepare
    const notice = noticeInStatus('closed');

    // Act
    const attempt = () => assertTransition(notice, 'submit');

    // Assess
    expect(attempt).toThrow(/it is closed; submit is allowed only when it is issued or acknowledged/);
  });
});

describe('the transition table', () => {
  it('reaches every status from a draft', () => {
    // Prepare
    const reached = new Set<NoticeStatus>(['draft']);

    // Act
    let grew = true;
    while (grew) {
      grew = false;
      for (const { from, to } of Object.values(TRANSITIONS)) {
        if (to !== 'unchanged' && to !== 'reopened' && !reached.has(to) && from.some((s) => reached.has(s))) {
          reached.add(to);
          grew = true;
        }
      }
    }

    // Assess
    expect([...reached].sort()).toEqual([...NOTICE_STATUSES].sort());
  });

  it.each<NoticeStatus>(['closed', 'withdrawn', 'unpaid'])('lets nothing leave the final status %s', (status) => {
    // Act
    const leaving = COMMANDS.filter((command) => TRANSITIONS[command].from.includes(status));

    // Assess
    expect(leaving).toEqual([]);
  });

  it('lets a paid notice change only by a recorded correction or voiding of its payment entry', () => {
    // Act
    const leaving = COMMANDS.filter((command) => TRANSITIONS[command].from.includes('paid'));

    // Assess
    expect(leaving).toEqual(['correct-payment', 'void-payment']);
    expect(TRANSITIONS['correct-payment'].to).toBe('unchanged');
    expect(TRANSITIONS['void-payment'].to).toBe('reopened');
  });

  it('never moves a notice back to draft', () => {
    // Act
    const toDraft = COMMANDS.filter((command) => TRANSITIONS[command].to === 'draft');

    // Assess
    expect(toDraft).toEqual([]);
  });
});

describe('extensions', () => {
  const DUE = '2026-12-22T12:59:59.999Z';
  const NEW_DUE = '2027-01-12T12:59:59.999Z';
  const platformActor = { subject: xCorpLegal.subject, role: 'platform-responder' as const, platformId: 'x-corp' };
  const officerActor = { subject: officer.subject, role: 'regulator-officer' as const };

  it.each([...AWAITING_RESPONSE])('adds an extension to a %s notice without moving it to another status', (status) => {
    // Prepare
    const notice = { ...noticeInStatus(status), dueAt: DUE, dueSetAt: '2026-11-24T03:00:00.000Z' };
    const requested = sealEvent(notice.id, notice.version + 1, notice.lastEventHash, {
      kind: 'extension-requested',
      at: '2026-11-25T03:00:00.000Z',
      actor: platformActor,
      reason: 'More time.',
      data: { extensionId: 'ext_1', requestedDueAt: NEW_DUE },
    });
    const afterRequest = applyEvent(notice, requested);
    const granted = sealEvent(notice.id, afterRequest.version + 1, afterRequest.lastEventHash, {
      kind: 'extension-granted',
      at: '2026-11-26T03:00:00.000Z',
      actor: officerActor,
      data: { extensionId: 'ext_1', previousDueAt: DUE, grantedDueAt: NEW_DUE },
    });

    // Act
    const afterGrant = applyEvent(afterRequest, granted);

    // Assess
    expect(TRANSITIONS['request-extension'].to).toBe('unchanged');
    expect([afterRequest.status, afterGrant.status]).toEqual([status, status]);
    expect([afterRequest.dueAt, afterGrant.dueAt]).toEqual([DUE, NEW_DUE]);
    expect(afterGrant.dueSetAt).toBe('2026-11-26T03:00:00.000Z');
    expect(afterGrant.version).toBe(notice.version + 2);
  });
});

describe('authorize', () => {
  const callerWithRole = (role: Role): Caller =>
    role === 'platform-responder'
      ? { subject: `sub-${role}`, roles: [role], platformId: 'x-corp' }
      : { subject: `sub-${role}`, roles: [role] };

  const everyRoleAndCommand = EXPECTED_COMMANDS.flatMap((command) => ROLES.map((role) => [command, role] as const));

  it.each(everyRoleAndCommand)('decides whether "%s" may be given by a %s as the lifecycle says', (command, role) => {
    // Prepare
    const caller = callerWithRole(role);
    const allowed = EXPECTED[command].roles.includes(role);

    // Act
    const attempt = () => authorize(caller, command);

    // Assess
    if (allowed) {
      expect(attempt()).toMatchObject({ subject: caller.subject, role });
    } else {
      expect(attempt).toThrow(Forbidden);
    }
  });

  it.each<Command>([
    'issue',
    'withdraw',
    'accept',
    'grant-extension',
    'refuse-extension',
    'record-payment',
    'record-non-payment',
  ])('keeps "%s" to regulators', (command) => {
    // Act
    const roles = TRANSITIONS[command].roles;

    // Assess
    expect([...roles].sort()).toEqual(['regulator-admin', 'regulator-officer']);
  });

  it.each<Command>(['acknowledge', 'submit', 'request-extension'])('keeps "%s" to platform responders', (command) => {
    // Act
    const roles = TRANSITIONS[command].roles;

    // Assess
    expect(roles).toEqual(['platform-responder']);
  });

  it('records a platform actor with the platform it acts for', () => {
    // Act
    const actor = authorize(xCorpLegal, 'acknowledge');

    // Assess
    expect(actor).toEqual({
      subject: xCorpLegal.subject,
      name: xCorpLegal.name,
      role: 'platform-responder',
      platformId: 'x-corp',
    });
  });

  it('records a regulator actor under the first role that may give the command', () => {
    // Prepare
    const both: Caller = { subject: 'sub-both', roles: ['regulator-officer', 'regulator-admin'] };

    // Act
    const actor = authorize(both, 'issue');

    // Assess
    expect(actor).toMatchObject({ role: 'regulator-officer', platformId: undefined });
  });

  it('refuses a caller with no role and says who may', () => {
    // Act
    const attempt = () => authorize(userWithoutRole, 'withdraw');

    // Assess
    expect(attempt).toThrow(Forbidden);
    expect(attempt).toThrow('Only regulator-admin or regulator-officer users may withdraw a notice.');
  });
});

describe('canSee', () => {
  const sightings: [string, Caller, NoticeStatus, boolean][] = [
    ['a regulator officer', officer, 'draft', true],
    ['a regulator officer', officer, 'issued', true],
    ['a regulator admin', admin, 'draft', true],
    ['a regulator admin', admin, 'withdrawn', true],
    ['the platform addressed', xCorpLegal, 'draft', false],
    ['the platform addressed', xCorpLegal, 'issued', true],
    ['the platform addressed', xCorpLegal, 'acknowledged', true],
    ['the platform addressed', xCorpLegal, 'withdrawn', true],
    ['another platform', videoshareLegal, 'draft', false],
    ['another platform', videoshareLegal, 'issued', false],
    ['another platform', videoshareLegal, 'closed', false],
    ['a user with no role', userWithoutRole, 'issued', false],
  ];

  it.each(sightings)('lets %s see an x-corp notice that is %s: %s', (_who, caller, status, visible) => {
    // Prepare
    const notice = noticeInStatus(status, 'x-corp');

    // Act
    const seen = canSee(caller, notice);

    // Assess
    expect(seen).toBe(visible);
  });

  // `Caller.platformId` is documented as present exactly for platform users, but nothing upstream enforces it;
  // visibility must rest on the role as well, not on the attribute alone.
  it('hides a notice from a caller who carries its platform id but not the platform-responder role', () => {
    // Prepare
    const roleless: Caller = { subject: 'sub-unassigned', roles: [], platformId: 'x-corp' };

    // Act
    const seen = canSee(roleless, noticeInStatus('issued', 'x-corp'));

    // Assess
    expect(seen).toBe(false);
  });

  it('reports a notice the caller may not see as not found, not forbidden', () => {
    // Prepare
    const notice = noticeInStatus('issued', 'x-corp');

    // Act
    const attempt = () => assertVisible(videoshareLegal, notice, notice.id);

    // Assess
    expect(attempt).toThrow(NotFound);
    expect(attempt).toThrow(`Notice ${notice.id} was not found.`);
  });
});
