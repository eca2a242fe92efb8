import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { webSecurityHeaders } from '../lib/web/security-headers';
import { type RuntimeConfig, RuntimeConfigSchema } from '../web/src/config/runtime-config';
import { DEV_AUDIENCE } from './dev-identity-provider';
import { IDP_PREFIX } from './dev-identity-routes';
import { POST_LOGOUT_PATH, REDIRECT_PATH } from './dev-oidc-routes';

/**
 * The built web app on the portal's own origin, as CloudFront serves it on AWS: files from `web/dist`, the SPA
 * fallback for browser navigations, and `/config.json` written from the portal's address. Every response carries
 * the security headers the CloudFront policy sends (lib/web/security-headers.ts), so the app is tested under the
 * policy it is deployed with.
 */
export interface WebAppSettings {
  /** The built app (`vite build` output). Absent: navigations get a page saying how to build it. */
  distDir: string;
  /** `http://127.0.0.1:<port>`: the OIDC authority and logout address are built from it. */
  portalUrl: string;
  /** The local S3 endpoint's origin: browsers upload to it directly (connect-src). */
  s3Origin: string;
}

/** Paths the web app never answers, even for a navigation: the API, the identity provider and the dev controls. */
const RESERVED_PREFIXES = ['/api/', '/dev-idp/', '/dev/', '/.well-known/'];
const RESERVED_PATHS = new Set(['/api', '/dev-idp', '/dev', '/openapi.json', '/.well-known']);

export function isReservedPath(pathname: string): boolean {
  return RESERVED_PATHS.has(pathname) || RESERVED_PREFIXES.some((prefix) => pathname.startsWith(prefix));
}

/** A top-level browser navigation (typing an address, following a link, reloading): answered with the app. */
export function isNavigation(request: IncomingMessage, pathname: string): boolean {
  const method = request.method ?? 'GET';
  return (
    (method === 'GET' || method === 'HEAD') &&
    request.headers['sec-fetch-mode'] === 'navigate' &&
    !isReservedPath(pathname)
  );
}

/** The run-time configuration of the local stage (plan-web.md, "Runtime config"), checked against the app's schema. */
export function localRuntimeConfig(portalUrl: string): RuntimeConfig {
  return RuntimeConfigSchema.parse({
    apiBaseUrl: '/api',
    oidc: {
      authority: `${portalUrl}${IDP_PREFIX}`,
      clientId: DEV_AUDIENCE,
      redirectPath: REDIRECT_PATH,
      logoutUrl: `${portalUrl}${IDP_PREFIX}/logout`,
      postLogoutPath: POST_LOGOUT_PATH,
      scope: 'openid email profile',
    },
    branding: {
      regulatorName: 'Online Safety Regulator (local)',
      productName: 'Notice portal',
      primaryColour: '#1d4f6e',
    },
    developerPanel: true,
  });
}

export class WebApp {
  private readonly dist: string;
  private readonly headers: Record<string, string>;
  private readonly config: string;

  constructor(settings: WebAppSettings) {
    this.dist = resolve(settings.distDir);
    this.headers = webSecurityHeaders({
      connectSources: [settings.s3Origin],
      upgradeInsecureRequests: false,
      https: false,
    });
    this.config = JSON.stringify(localRuntimeConfig(settings.portalUrl));
  }

  /** `GET /config.json`: generated, never a file in dist, so one build serves every address. */
  serveConfig(request: IncomingMessage, response: ServerResponse): void {
    this.write(
      request,
      response,
      200,
      { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' },
      this.config,
    );
  }

  /** The app's shell for any client-side route; without a build, a page saying how to make one. */
  serveIndex(request: IncomingMessage, response: ServerResponse): void {
    const index = resolve(this.dist, 'index.html');
    if (!existsSync(index)) {
      this.write(
        request,
        response,
        503,
        { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
        NOT_BUILT_PAGE,
      );
      return;
    }
    this.sendFile(request, response, index, 'no-cache');
  }

  /** A file of the build at this path, if there is one; false when there is none (the caller answers 404). */
  serveFile(request: IncomingMessage, response: ServerResponse, pathname: string): boolean {
    const method = request.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') return false;
    const file = this.fileAt(pathname);
    if (!file) return false;
    // Vite names everything under /assets/ by its content hash: a changed file gets a new name.
    const caching = pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    this.sendFile(request, response, file, caching);
    return true;
  }

  /** The file inside dist that a URL path names; never anything outside it, nor a dotfile. */
  private fileAt(pathname: string): string | undefined {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return undefined;
    }
    if (decoded.includes('\0') || decoded.split('/').some((segment) => segment.startsWith('.'))) return undefined;
    const file = resolve(this.dist, `.${decoded}`);
    if (!file.startsWith(`${this.dist}${sep}`)) return undefined;
    try {
      return statSync(file).isFile() ? file : undefined;
    } catch {
      return undefined;
    }
  }

  private sendFile(request: IncomingMessage, response: ServerResponse, file: string, caching: string): void {
    const { size } = statSync(file);
    response.writeHead(200, {
      ...this.headers,
      'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': String(size),
      'cache-control': caching,
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    createReadStream(file)
      .on('error', (error) => response.destroy(error))
      .pipe(response);
  }

  private write(
    request: IncomingMessage,
    response: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: string,
  ): void {
    response.writeHead(status, { ...this.headers, ...headers, 'content-length': String(Buffer.byteLength(body)) });
    response.end(request.method === 'HEAD' ? undefined : body);
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Web app not built · Notice portal</title></head>
<body><main><h1>The web app is not built</h1>
<p>This portal serves the web app from <code>web/dist</code>, which does not exist yet. Run
<code>npm run build:web</code> and reload this page (<code>npm start</code> builds it for you when it is missing or out of date).</p>
<p>The API works without it: see <a href="/openapi.json">/openapi.json</a>.</p></main></body></html>`;
