import { observeServerDate, portalNow } from '../../web/src/api/portal-clock';

describe("the web app's portal clock", () => {
  afterEach(() => observeServerDate(new Date().toUTCString()));

  it("follows the portal's Date header when it is ahead (the local development clock moved 40 days)", () => {
    // Prepare
    const ahead = new Date(Date.now() + 40 * 86_400_000);

    // Act
    observeServerDate(ahead.toUTCString());

    // Assess: within the header's one-second resolution.
    expect(Math.abs(portalNow().getTime() - ahead.getTime())).toBeLessThan(2_000);
  });

  it('ignores a skew of a few seconds, which is the header resolution and the network, not a wrong clock', () => {
    observeServerDate(new Date(Date.now() + 3_000).toUTCString());

    expect(Math.abs(portalNow().getTime() - Date.now())).toBeLessThan(50);
  });

  it('keeps the last good offset when a response has no or a malformed Date header', () => {
    const behind = new Date(Date.now() - 3_600_000);
    observeServerDate(behind.toUTCString());

    observeServerDate(null);
    observeServerDate('not a date');

    expect(Math.abs(portalNow().getTime() - behind.getTime())).toBeLessThan(2_000);
  });
});
