import { TRANSITIONS } from '../../lambdas/domain/notice-lifecycle';
import {
  allowedCommands,
  canDraftInfringement,
  REGULATOR_COMMAND_STATUSES,
  type RegulatorCommand,
} from '../../web/src/components/notice/regulator-actions';

/** The notice page offers exactly the actions the server's state machine would accept. */
describe("the notice page's actions by status", () => {
  it('lists, for each regulator command, the statuses the lifecycle allows it from', () => {
    const regulatorCommands = Object.entries(TRANSITIONS)
      .filter(([, t]) => t.roles.includes('regulator-officer'))
      .map(([command]) => command)
      .sort();
    expect(Object.keys(REGULATOR_COMMAND_STATUSES).sort()).toEqual(regulatorCommands);
    for (const command of regulatorCommands as RegulatorCommand[]) {
      expect([...REGULATOR_COMMAND_STATUSES[command]].sort()).toEqual([...TRANSITIONS[command].from].sort());
    }
  });

  it('offers payment commands only on a notice that demands payment', () => {
    const infringement = {
      provisionContravened: 's 57',
      maximumPenalty: { currency: 'AUD', amount: '100.00' },
      amountPayable: { currency: 'AUD', amount: '10.00' },
      paymentPlace: 'BPAY',
    };
    expect(allowedCommands({ status: 'issued' })).toEqual(['withdraw', 'grant-extension', 'refuse-extension']);
    expect(allowedCommands({ status: 'issued', infringement })).toEqual([
      'withdraw',
      'grant-extension',
      'refuse-extension',
      'record-payment',
      'record-non-payment',
    ]);
    expect(allowedCommands({ status: 'paid', infringement })).toEqual(['correct-payment', 'void-payment']);
    expect(allowedCommands({ status: 'under-review' })).toEqual(['request-further-information', 'accept', 'withdraw']);
    expect(allowedCommands({ status: 'closed' })).toEqual([]);
  });

  it('offers an infringement notice only for an overdue notice that is not one itself', () => {
    const now = new Date('2026-12-10T00:00:00Z');
    expect(canDraftInfringement({ status: 'issued', dueAt: '2026-12-09T00:00:00Z' }, now)).toBe(true);
    expect(canDraftInfringement({ status: 'issued', dueAt: '2026-12-11T00:00:00Z' }, now)).toBe(false);
    expect(canDraftInfringement({ status: 'submitted', dueAt: '2026-12-09T00:00:00Z' }, now)).toBe(false);
    expect(canDraftInfringement({ status: 'draft' }, now)).toBe(false);
  });
});
