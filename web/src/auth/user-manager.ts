import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { RuntimeConfig } from '../config/runtime-config';

/**
 * The OpenID Connect client: authorization code with PKCE (S256), against Cognito on AWS and the development
 * identity provider locally — the same discovery document shape, so the same client code. Tokens live in
 * sessionStorage (gone when the tab closes), never in localStorage.
 */
export function createUserManager(config: RuntimeConfig): UserManager {
  const origin = window.location.origin;
  return new UserManager({
    authority: config.oidc.authority,
    client_id: config.oidc.clientId,
    redirect_uri: `${origin}${config.oidc.redirectPath}`,
    post_logout_redirect_uri: `${origin}${config.oidc.postLogoutPath}`,
    response_type: 'code',
    scope: config.oidc.scope,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
    // Renewal is the user's choice, offered by the timeout warning: a session is never extended behind their back.
    automaticSilentRenew: false,
    // The ID token carries every claim the app shows; Cognito's userInfo would be one more round trip.
    loadUserInfo: false,
    accessTokenExpiringNotificationTimeInSeconds: SESSION_WARNING_SECONDS,
  });
}

/** How long before the session ends the timeout warning appears (GOV.UK's pattern suggests about two minutes). */
export const SESSION_WARNING_SECONDS = 120;

/** Cognito's logout endpoint takes `client_id` and `logout_uri` (it is not the OIDC end-session endpoint). */
export function logoutUrl(config: RuntimeConfig): string {
  const url = new URL(config.oidc.logoutUrl);
  url.searchParams.set('client_id', config.oidc.clientId);
  url.searchParams.set('logout_uri', `${window.location.origin}${config.oidc.postLogoutPath}`);
  return url.toString();
}
