import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuntimeConfigSchema } from '../../web/src/config/runtime-config';
import { type Harness, startHarness } from './support/portal-harness';

/**
 * The web app on the portal's own origin (local/web-app.ts), with a small stand-in for `web/dist` so the test
 * needs no vite build: the API under /api as at the root, the SPA fallback for navigations with the security
 * headers, built files with their content types and caching, /config.json, and the response bucket's CORS rule.
 */
let harness: Harness;
let dist: string;
const INDEX = '<!doctype html><html lang="en"><head><title>Notice portal</title></head><body>app shell</body></html>';

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'notice-portal-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), INDEX);
  writeFileSync(join(dist, 'assets', 'index-Bx7kQ2.js'), 'console.log("app");');
  writeFileSync(join(dist, 'assets', 'index-C3aa1f.css'), 'body{margin:0}');
  writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  harness = await startHarness({ webDistDir: dist });
});
afterAll(async () => {
  await harness.stop();
  rmSync(dist, { recursive: true, force: true });
});

/** A request as a browser sends it: fetch() cannot set Sec-Fetch-Mode, which browsers set themselves. */
function browserGet(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolve, reject) => {
      const req = httpRequest(url, { headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

const navigate = (path: string) =>
  browserGet(`${harness.portal.url}${path}`, { 'sec-fetch-mode': 'navigate', accept: 'text/html' });

describe('the API under /api', () => {
  it('answers /api/notices exactly as /notices', async () => {
    const officer = harness.as('officer');
    await officer.post('/notices', {
      type: 'formal-warning',
      platformId: 'x-corp',
      title: 'Formal warning: basic online safety expectations',
      mannerAndForm: 'No response is required.',
    });

    const root = await officer.get('/notices');
    const prefixed = await officer.get('/api/notices');

    expect(prefixed.status).toBe(200);
    expect(prefixed.body).toEqual(root.body);
    expect(root.body.items).toHaveLength(1);
  });

  it('keeps API paths out of the app, even for a navigation', async () => {
    const api = await navigate('/api/notices');
    const openapi = await navigate('/openapi.json');

    expect(api.status).toBe(401);
    expect(openapi.status).toBe(200);
    expect(String(openapi.headers['content-type'])).toContain('application/json');
  });
});

describe('the web app', () => {
  it('answers a navigation to any app route with index.html and the security headers', async () => {
    const response = await navigate('/notices/ntc_01JQ3Z6X8Y9ABCDEFGHJKMNPQR');

    expect(response.status).toBe(200);
    expect(response.body).toBe(INDEX);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    const s3Origin = new URL(harness.portal.s3Endpoint).origin;
    expect(response.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; font-src 'self'; " +
        `connect-src 'self' ${s3Origin}; worker-src 'self'; manifest-src 'self'; object-src 'none'; ` +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    expect(response.headers).toMatchObject({
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'strict-origin-when-cross-origin',
      'cross-origin-opener-policy': 'same-origin',
    });
    // Plain HTTP on 127.0.0.1: HSTS would be meaningless (and ignored) there.
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });

  it('serves built files with their content type; hashed assets are immutable', async () => {
    const script = await fetch(`${harness.portal.url}/assets/index-Bx7kQ2.js`);
    const style = await fetch(`${harness.portal.url}/assets/index-C3aa1f.css`);
    const icon = await fetch(`${harness.portal.url}/favicon.svg`);
    const missing = await fetch(`${harness.portal.url}/assets/nothing-here.js`);
    const traversal = await fetch(`${harness.portal.url}/assets/..%2f..%2fpackage.json`);

    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await script.text()).toBe('console.log("app");');
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(icon.headers.get('cache-control')).toBe('no-cache');
    expect(missing.status).toBe(404);
    expect(traversal.status).toBe(404);
  });

  it('serves /config.json for this portal, valid by the app schema', async () => {
    const response = await fetch(`${harness.portal.url}/config.json`);
    const config = RuntimeConfigSchema.parse(await response.json());

    const url = harness.portal.url;
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(config).toEqual({
      apiBaseUrl: '/api',
      oidc: {
        authority: `${url}/dev-idp`,
        clientId: 'notice-portal-local',
        redirectPath: '/auth/callback',
        logoutUrl: `${url}/dev-idp/logout`,
        postLogoutPath: '/signed-out',
        scope: 'openid email profile',
      },
      branding: {
        regulatorName: 'Online Safety Regulator (local)',
        productName: 'Notice portal',
        primaryColour: '#1d4f6e',
      },
      developerPanel: true,
    });
    // The authority is a real issuer: its discovery document names itself.
    const discovery = (await (await fetch(`${config.oidc.authority}/.well-known/openid-configuration`)).json()) as {
      issuer: string;
    };
    expect(discovery.issuer).toBe(config.oidc.authority);
  });
});

describe('the response bucket CORS rule', () => {
  const preflight = (origin: string) =>
    fetch(`${harness.portal.s3Endpoint}/${harness.portal.bucketName}/notices/ntc_x/submissions/sub_x/0`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type,x-amz-checksum-sha256',
      },
    });

  it("allows the portal's origin to upload, and lets the browser read the answer's headers", async () => {
    const origin = new URL(harness.portal.url).origin;

    const allowed = await preflight(origin);
    // A real (signed) request from the page: s3rver names the origin and exposes the ETag.
    const head = await fetch(`${harness.portal.s3Endpoint}/${harness.portal.bucketName}/nothing`, {
      method: 'GET',
      headers: { origin },
    });

    expect(allowed.status).toBe(200);
    // s3rver answers an allowed preflight with "*" (S3 would name the origin); either lets the upload go ahead.
    expect([origin, '*']).toContain(allowed.headers.get('access-control-allow-origin'));
    expect(allowed.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(allowed.headers.get('access-control-allow-headers')).toBe('content-type, x-amz-checksum-sha256');
    // The guard refuses the unsigned GET itself, and still says so in a way the page can read.
    expect(head.status).toBe(403);
    expect(head.headers.get('access-control-allow-origin')).toBe(origin);
    expect(head.headers.get('access-control-expose-headers')).toContain('ETag');
  });

  it('gives another origin no allow-origin', async () => {
    const refused = await preflight('https://evil.example');
    const unsignedFromElsewhere = await fetch(`${harness.portal.s3Endpoint}/${harness.portal.bucketName}/nothing`, {
      headers: { origin: 'https://evil.example' },
    });

    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(unsignedFromElsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('without a build', () => {
  it('answers navigations with a page saying how to build the app, while the API works', async () => {
    const bare = await startHarness({ webDistDir: join(tmpdir(), 'notice-portal-no-such-dist') });
    try {
      const page = await browserGet(`${bare.portal.url}/`, { 'sec-fetch-mode': 'navigate' });
      // A public route: handler modules read their settings once per process, so a second in-process portal's
      // tokens would be checked against the first portal's keys.
      const api = await bare.anonymous().get('/health');

      expect(page.status).toBe(503);
      expect(page.body).toContain('npm run build:web');
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
      expect(api.status).toBe(200);
    } finally {
      await bare.stop();
    }
  }, 60_000);
});
