import { hashEvent } from '../../lambdas/domain/notice-event';
import {
  type ChainEvent,
  computeEventHash,
  GENESIS_HASH,
  verifyEventChain,
} from '../../web/src/components/notice/chain-verification';
import sample from '../fixtures/evidence-sample.json';

/**
 * The notice page's "Verify chain" button recomputes every event hash in the browser with WebCrypto. These tests
 * run that same module (WebCrypto is Node's global `crypto` here, as in the browser) on a history captured from the
 * real local portal, and compare it with the server's own `hashEvent`.
 */
const history = sample.history as unknown as (ChainEvent & Record<string, unknown>)[];

describe('verifying a notice history in the browser', () => {
  it('computes the same hash as the server for every captured event', async () => {
    for (const event of history) {
      const { hash, ...rest } = event;
      const browser = await computeEventHash(event);
      expect(browser).toBe(hash);
      expect(browser).toBe(hashEvent(rest as unknown as Parameters<typeof hashEvent>[0]));
    }
  });

  it('passes a complete captured history, event by event', async () => {
    const result = await verifyEventChain(history);
    expect(result.valid).toBe(true);
    expect(result.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(result.events.every((e) => e.ok)).toBe(true);
    expect(history[0]?.prevHash).toBe(GENESIS_HASH);
  });

  it('marks only the edited event when one event is changed after the fact', async () => {
    const edited = history.map((e) => (e.seq === 4 ? { ...e, reason: 'A different reason, written later.' } : e));
    const result = await verifyEventChain(edited);
    expect(result.valid).toBe(false);
    expect(result.firstFailure?.seq).toBe(4);
    expect(result.events.filter((e) => !e.ok).map((e) => [e.seq, e.hashMatches, e.linksToPrevious])).toEqual([
      [4, false, true],
    ]);
  });

  it('reports a removed event as a broken link and a gap in the sequence', async () => {
    const removed = history.filter((e) => e.seq !== 3);
    const result = await verifyEventChain(removed);
    const fourth = result.events.find((e) => e.seq === 4);
    expect(result.valid).toBe(false);
    expect(fourth).toMatchObject({ hashMatches: true, linksToPrevious: false, inSequence: false, ok: false });
  });

  it('refuses a history whose first event does not start the chain', async () => {
    const result = await verifyEventChain(history.slice(1));
    expect(result.valid).toBe(false);
    expect(result.firstFailure).toMatchObject({ seq: 2, linksToPrevious: false, inSequence: false });
  });
});
