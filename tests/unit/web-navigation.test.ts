import type { SessionUser } from '../../web/src/auth/session-user';
import { activeNavPath } from '../../web/src/components/navigation';

const user = (roles: SessionUser['roles']): SessionUser => ({
  subject: 'u1',
  name: 'U',
  email: 'u@example.com',
  roles,
  expiresAt: 0,
  idToken: 'x',
});

describe('the highlighted sidebar item', () => {
  it('is Inbox for a platform user on a notice or one of its response pages', () => {
    const platform = user(['platform-responder']);
    expect(activeNavPath(platform, '/notices/ntc_1')).toBe('/');
    expect(activeNavPath(platform, '/notices/ntc_1/respond/answers')).toBe('/');
  });

  it('stays Notices for a platform user on the notices list', () => {
    expect(activeNavPath(user(['platform-responder']), '/notices')).toBe('/notices');
  });

  it('is left to the longest matching link for a regulator', () => {
    expect(activeNavPath(user(['regulator-officer']), '/notices/ntc_1')).toBe('/notices/ntc_1');
  });
});
