/**
 * The web app's security headers, in one place: CloudFront's response-headers policy (lib/constructs/web-hosting.ts)
 * and the local portal (local/web-app.ts) both send exactly these, so the app is tested under the policy it is
 * deployed with. Plain data, no CDK import, so the local portal can load it.
 */
export interface ContentSecurityPolicyOptions {
  /**
   * Origins the app fetches from besides its own: the identity provider's token and discovery endpoints (Cognito
   * on AWS) and the response bucket that browsers upload to directly.
   */
  connectSources: readonly string[];
  /** Only over HTTPS: the local portal is plain HTTP on 127.0.0.1, where upgrading would break every request. */
  upgradeInsecureRequests: boolean;
}

/**
 * Scripts only from the app's own origin (no inline script, no eval). Styles also allow 'unsafe-inline' because
 * the design system (AgDS) styles with Emotion at run time; nothing else is relaxed. The build inlines no assets
 * (`assetsInlineLimit: 0`), so no `data:` source is needed.
 */
export function contentSecurityPolicy(options: ContentSecurityPolicyOptions): string {
  const connect = ["'self'", ...options.connectSources].join(' ');
  const directives = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self'",
    "font-src 'self'",
    `connect-src ${connect}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (options.upgradeInsecureRequests) directives.push('upgrade-insecure-requests');
  return directives.join('; ');
}

/** Two years, subdomains, preload-ready: what HSTS preload lists ask for. Only ever sent over HTTPS. */
export const STRICT_TRANSPORT_SECURITY = { maxAgeSeconds: 63_072_000, includeSubdomains: true, preload: true };

export const REFERRER_POLICY = 'strict-origin-when-cross-origin';

/** The app needs none of these browser features; denying them limits what injected content could do. */
export const PERMISSIONS_POLICY =
  'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), display-capture=()';

/** Every header as name → value, for servers that set headers directly (the local portal). */
export function webSecurityHeaders(options: ContentSecurityPolicyOptions & { https: boolean }): Record<string, string> {
  const headers: Record<string, string> = {
    'content-security-policy': contentSecurityPolicy(options),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': REFERRER_POLICY,
    'permissions-policy': PERMISSIONS_POLICY,
    'cross-origin-opener-policy': 'same-origin',
  };
  if (options.https) {
    const { maxAgeSeconds, includeSubdomains, preload } = STRICT_TRANSPORT_SECURITY;
    headers['strict-transport-security'] =
      `max-age=${maxAgeSeconds}${includeSubdomains ? '; includeSubDomains' : ''}${preload ? '; preload' : ''}`;
  }
  return headers;
}
