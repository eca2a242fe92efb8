import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { formatBytes } from '../../lambdas/domain/byte-size';
import type { EvidenceBundle } from '../../lambdas/domain/evidence-bundle';
import { NoticeIdSchema } from '../../lambdas/domain/notice';
import { API_OPTIONS, ENV_API, ENV_TOKEN, parseCommandArgs, parseDuration, resolveApi, resolveToken } from '../args';
import { CliError, EXIT, UsageError } from '../errors';
import type { Io } from '../io';
import { PortalClient } from '../portal-client';

export const EXPORT_BUNDLE_HELP = `Usage: notice-portal export-bundle NOTICE_ID [--hashes-only] [--out FILE] [options]

Asks the portal for the notice's evidence bundle (a ZIP of the notice, its events, every submission with its
signed manifest, signature and receipt, the keys, and the deadline rule and holidays), waits while it is built,
and downloads it. The download is checked against the size and SHA-256 the portal recorded.

  --hashes-only        leave the submitted files out (their hashes are still in each signed manifest)
  --out FILE           where to save the ZIP (default: ./evidence-NOTICE_ID-BUNDLE_ID.zip)
  --api URL            the portal (default: $${ENV_API})
  --token TOKEN        your access token (default: $${ENV_TOKEN})
  --timeout DURATION   how long to wait for the bundle to be built (default 15m; e.g. 90s, 30m)
  --json               print the bundle record (with "path") as JSON
  --quiet              no progress output

Exit status: 0 downloaded, 1 refused or failed, 2 wrong usage, 3 not ready within --timeout (run again with the
same options to wait again: a new bundle is requested).
`;

const POLL_MS = 1_000;

export async function exportBundle(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'export-bundle',
    argv,
    {
      ...API_OPTIONS,
      token: { type: 'string' },
      'hashes-only': { type: 'boolean', default: false },
      out: { type: 'string' },
      timeout: { type: 'string', default: '15m' },
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
    },
    true,
  );
  if (values.help) {
    io.out(EXPORT_BUNDLE_HELP);
    return EXIT.ok;
  }
  const [noticeId, ...others] = positionals;
  if (noticeId === undefined || others.length > 0) {
    throw new UsageError('Give exactly one notice id: notice-portal export-bundle ntc_…', 'export-bundle');
  }
  if (!NoticeIdSchema.safeParse(noticeId).success) {
    throw new UsageError(`"${noticeId}" is not a notice id (ntc_ and 26 letters or digits).`, 'export-bundle');
  }
  const timeoutMs = parseDuration('export-bundle', '--timeout', values.timeout);
  const client = new PortalClient(
    resolveApi('export-bundle', values.api, io),
    resolveToken('export-bundle', values.token, io),
    io.signal,
  );
  const say = (text: string) => {
    if (!values.quiet) io.err(text);
  };

  const files = values['hashes-only'] ? 'hashes-only' : 'included';
  let bundle = await client.requestEvidenceBundle(noticeId, files, `export-bundle-${randomUUID()}`);
  say(`Requested evidence bundle ${bundle.bundleId} (files ${files}).\n`);
  bundle = await waitUntilBuilt(client, bundle, timeoutMs, say, io.signal);
  if (bundle.status === 'failed')
    throw new CliError(`The bundle could not be built: ${bundle.error ?? 'no reason given'}`);
  if (bundle.status !== 'ready' || !bundle.downloadUrl) {
    throw new CliError(`The bundle was not ready within ${values.timeout}.`, EXIT.interrupted);
  }

  const path = resolve(values.out ?? `evidence-${noticeId}-${bundle.bundleId}.zip`);
  await download(bundle, path, io.signal);
  say(`Saved ${path} (${bundle.size} bytes, SHA-256 ${bundle.sha256}).\n`);
  if (values.json) io.out(`${JSON.stringify({ ...bundle, downloadUrl: undefined, path }, null, 2)}\n`);
  else io.out(`${path}\n`);
  return EXIT.ok;
}

/** Polls until the bundle is no longer building or `timeoutMs` has passed; progress goes to stderr when it moves. */
async function waitUntilBuilt(
  client: PortalClient,
  first: EvidenceBundle,
  timeoutMs: number,
  say: (text: string) => void,
  signal?: AbortSignal,
): Promise<EvidenceBundle> {
  const deadline = Date.now() + timeoutMs;
  let bundle = first;
  let shown = '';
  while (bundle.status === 'building' && Date.now() < deadline) {
    await new Promise((done) => setTimeout(done, POLL_MS));
    if (signal?.aborted) throw new CliError('Interrupted while the bundle was being built.', EXIT.sigint);
    bundle = await client.getEvidenceBundle(bundle.noticeId, bundle.bundleId);
    const line = `Building: ${bundle.progress.entriesWritten} entries, ${formatBytes(bundle.progress.bytesWritten)} written\n`;
    if (line !== shown && bundle.status === 'building') say(line);
    shown = line;
  }
  return bundle;
}

/** Streams the ZIP to `<path>.part`, checks its size and SHA-256 against the record, then renames it into place. */
async function download(bundle: EvidenceBundle, path: string, signal?: AbortSignal): Promise<void> {
  const response = await fetch(bundle.downloadUrl as string, { signal });
  if (!response.ok || !response.body) throw new CliError(`The download was refused (${response.status}).`);
  const digest = createHash('sha256');
  let size = 0;
  const partial = `${path}.part`;
  try {
    await pipeline(
      Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          digest.update(chunk);
          size += chunk.length;
          callback(null, chunk);
        },
      }),
      createWriteStream(partial),
    );
    const sha256 = digest.digest('hex');
    if (size !== bundle.size || sha256 !== bundle.sha256) {
      throw new CliError(
        `The download does not match the bundle the portal built (${size} bytes, SHA-256 ${sha256}; expected ${bundle.size} bytes, ${bundle.sha256}).`,
      );
    }
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}
