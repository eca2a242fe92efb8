import type { User, UserManager } from 'oidc-client-ts';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
} from 'react';
import type { SessionState } from '../app/session-state';
import { type SessionUser, sessionUserFrom } from './session-user';

export interface Auth {
  /** Undefined while the stored session is being read; null when nobody is signed in. */
  user: SessionUser | null | undefined;
  /** The API refused the session (401) or it expired: the page stays, a dialog asks to sign in again. */
  ended: boolean;
  /** Sends the browser to the identity provider; it comes back to `returnTo` (a path on this origin). */
  signIn(returnTo?: string): Promise<void>;
  /** Renews the session with the refresh token (the timeout warning's "stay signed in"). */
  extend(): Promise<void>;
  signOut(): Promise<void>;
  /** Completes the redirect from the identity provider; resolves to the path to go back to. */
  completeSignIn(): Promise<string>;
}

const AuthContext = createContext<Auth | undefined>(undefined);

export function AuthProvider({
  manager,
  logoutUrl,
  session,
  children,
}: {
  manager: UserManager;
  logoutUrl: string;
  session: SessionState;
  children: ReactNode;
}) {
  const [user, setUser] = useState<SessionUser | null | undefined>(undefined);
  const ended = useSyncExternalStore(session.subscribe, session.snapshot);

  useEffect(() => {
    const adopt = (u: User | null) => {
      const current = u && !u.expired ? (sessionUserFrom(u) ?? null) : null;
      session.setToken(current?.idToken);
      setUser(current);
    };
    manager.getUser().then(adopt, () => adopt(null));
    const onLoaded = (u: User) => adopt(u);
    // An expired session keeps the page (and anything typed) on screen; the dialog offers to sign in again.
    const onGone = () => session.markEnded();
    manager.events.addUserLoaded(onLoaded);
    manager.events.addUserUnloaded(onGone);
    manager.events.addAccessTokenExpired(onGone);
    return () => {
      manager.events.removeUserLoaded(onLoaded);
      manager.events.removeUserUnloaded(onGone);
      manager.events.removeAccessTokenExpired(onGone);
    };
  }, [manager, session]);

  const signIn = useCallback(
    (returnTo?: string) => manager.signinRedirect({ state: { returnTo: safeReturnPath(returnTo ?? currentPath()) } }),
    [manager],
  );
  const extend = useCallback(async () => {
    await manager.signinSilent();
  }, [manager]);
  const signOut = useCallback(async () => {
    await manager.removeUser();
    window.location.assign(logoutUrl);
  }, [manager, logoutUrl]);
  const completeSignIn = useCallback(async () => {
    const signedIn = await manager.signinRedirectCallback();
    const state = signedIn.state as { returnTo?: string } | undefined;
    return safeReturnPath(state?.returnTo);
  }, [manager]);

  const value = useMemo(
    () => ({ user, ended, signIn, extend, signOut, completeSignIn }),
    [user, ended, signIn, extend, signOut, completeSignIn],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}

/** The signed-in user; only for pages behind the sign-in gate (the root layout renders them only then). */
export function useSessionUser(): SessionUser {
  const { user } = useAuth();
  if (!user) throw new Error('useSessionUser on a page shown without a session');
  return user;
}

function currentPath(): string {
  return `${window.location.pathname}${window.location.search}${window.location.hash}`;
}

/** Only paths on this origin: a crafted `returnTo` must not send a signed-in user elsewhere. */
function safeReturnPath(path: string | undefined): string {
  if (!path?.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return '/';
  return path;
}
