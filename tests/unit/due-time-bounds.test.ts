import { ValidationFailed } from '../../lambdas/domain/errors';
import {
  DAY,
  noticeServiceForTest,
  officer,
  rejectionOf,
  transparencyDraft,
  xCorpLegal,
} from '../support/notice-fixtures';

/**
 * An explicit due time is bounded: ISO 8601 happily says 9999-12-31, and a typing slip (2207 for 2027) would
 * otherwise become a notice nobody ever has to answer. The bound is configuration (MAX_DUE_DAYS, default 730).
 */
const NOW = '2026-11-24T03:00:00.000Z';
const daysFromNow = (days: number) => new Date(Date.parse(NOW) + days * DAY).toISOString();

function issues(error: unknown) {
  expect(error).toBeInstanceOf(ValidationFailed);
  return (error as ValidationFailed).issues;
}

describe('an explicit due time in a draft', () => {
  it.each(['9999-12-31T23:59:59Z', daysFromNow(731)])('refuses %s, naming dueAt and the limit', async (dueAt) => {
    // Prepare
    const { service } = noticeServiceForTest({ start: NOW });

    // Act
    const error = await rejectionOf(service.createDraft(officer, transparencyDraft({ dueAt })));

    // Assess
    expect(issues(error)).toEqual([
      {
        path: 'dueAt',
        message: expect.stringMatching(/^must be at most 730 days from now \(no later than 2028-11-23/),
      },
    ]);
  });

  it('accepts a due time within two years, and issues it as set', async () => {
    // Prepare
    const { service } = noticeServiceForTest({ start: NOW });
    const dueAt = daysFromNow(729);

    // Act
    const { notice: draft } = await service.createDraft(officer, transparencyDraft({ dueAt }));
    const issued = await service.issue(officer, draft.id);

    // Assess
    expect(issued.dueAt).toBe(dueAt);
  });

  it('follows the configured limit', async () => {
    // Prepare
    const { service } = noticeServiceForTest({ start: NOW, maxDueDays: 30 });

    // Act
    const error = await rejectionOf(service.createDraft(officer, transparencyDraft({ dueAt: daysFromNow(31) })));

    // Assess
    expect(issues(error).at(0)?.message).toMatch(/^must be at most 30 days from now/);
  });
});

describe('due times set after issue', () => {
  it('refuses an extension asked for, or granted, to the year 9999', async () => {
    // Prepare
    const { service } = noticeServiceForTest({ start: NOW });
    const { notice: draft } = await service.createDraft(officer, transparencyDraft());
    const notice = await service.issue(officer, draft.id);

    // Act
    const asked = await rejectionOf(
      service.requestExtension(xCorpLegal, notice.id, { requestedDueAt: '9999-01-01T00:00:00Z', reason: 'Later.' }),
    );
    await service.requestExtension(xCorpLegal, notice.id, { requestedDueAt: daysFromNow(40), reason: 'Later.' });
    const granted = await rejectionOf(
      service.grantExtension(officer, notice.id, 'ext_1', { dueAt: '9999-01-01T00:00:00Z' }),
    );

    // Assess
    expect(issues(asked).map((i) => i.path)).toEqual(['requestedDueAt']);
    expect(issues(granted)).toEqual([{ path: 'dueAt', message: expect.stringMatching(/at most 730 days from now/) }]);
  });
});
