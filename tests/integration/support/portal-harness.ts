import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningPortal, startPortal } from '../../../local/portal';

/**
 * Starts the real local portal (embedded dynalite + s3rver on free ports, data in a fresh temp folder) and gives
 * tests an HTTP client that acts as one of the seeded users.
 */
export interface Harness {
  portal: RunningPortal;
  dataDir: string;
  as(username: string): Client;
  anonymous(): Client;
  stop(): Promise<void>;
}

export interface Response<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface Client {
  get<T = any>(path: string, headers?: Record<string, string>): Promise<Response<T>>;
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>): Promise<Response<T>>;
  raw(path: string, init: RequestInit): Promise<Response>;
}

export async function startHarness(
  options: {
    dataDir?: string;
    webDistDir?: string;
    /**
     * The in-process schedule of projection repair, pending verification and the bundle sweep (local/portal.ts's
     * default, 60 s, when left out). The route fuzzer sets it beyond its run: its no-write check compares the
     * whole store, and a scheduled run would write in the middle of a batch.
     */
    repairIntervalMs?: number;
    /** Write the business metrics' EMF lines (off by default, as in `npm start`). */
    emitMetrics?: boolean;
    /** The portal's log level: `error` unless a test reads the lines it writes (refusals are logged at `warn`). */
    logLevel?: 'debug' | 'info' | 'warn' | 'error';
  } = {},
): Promise<Harness> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'notice-portal-test-'));
  // Reminder and checkpoint runs are triggered by the tests (POST /dev/reminders/run, /dev/checkpoints/run), not by
  // a timer.
  const portal = await startPortal({
    dataDir,
    port: 0,
    dynamodbPort: 0,
    s3Port: 0,
    logLevel: options.logLevel ?? 'error',
    reminderIntervalMs: 0,
    checkpointIntervalMs: 0,
    repairIntervalMs: options.repairIntervalMs,
    webDistDir: options.webDistDir,
    emitMetrics: options.emitMetrics,
  });
  const tokens = new Map<string, string>();
  const client = (token?: () => Promise<string>): Client => {
    const send = async (path: string, init: RequestInit): Promise<Response> => {
      const headers = new Headers(init.headers);
      if (token && !headers.has('authorization')) headers.set('authorization', `Bearer ${await token()}`);
      const res = await fetch(`${portal.url}${path}`, { ...init, headers });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON; keep the text
      }
      return { status: res.status, headers: res.headers, body };
    };
    return {
      get: (path, headers) => send(path, { method: 'GET', headers }),
      post: (path, body, headers) =>
        send(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      raw: send,
    };
  };
  return {
    portal,
    dataDir,
    as: (username) =>
      client(async () => {
        let token = tokens.get(username);
        if (!token) {
          token = await portal.identity.tokenFor(username);
          tokens.set(username, token);
        }
        return token;
      }),
    anonymous: () => client(),
    stop: async () => {
      await portal.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A valid transparency-notice draft for `platformId`. */
export function transparencyDraft(platformId: string, overrides: Record<string, unknown> = {}) {
  return {
    type: 'transparency-notice',
    platformId,
    title: 'Transparency notice: child sexual exploitation and abuse',
    mannerAndForm: 'Answer each question in writing through the portal, signed by an authorised officer.',
    requirements: {
      questions: [
        { number: '1', text: 'Describe the tools you use to detect known child sexual abuse material.' },
        { number: '2', text: 'State the median time to action a user report.' },
      ],
    },
    ...overrides,
  };
}
