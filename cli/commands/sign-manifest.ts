import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { canonicalJson } from '../../lambdas/domain/canonical-json';
import { ManifestSchema } from '../../lambdas/domain/submission';
import { parseCommandArgs, required } from '../args';
import { CliError, EXIT, fileProblem } from '../errors';
import type { Io } from '../io';
import { loadSigningKey, signManifest } from '../signing';

export const SIGN_MANIFEST_HELP = `Usage: notice-portal sign-manifest --manifest FILE --key FILE [--out FILE] [--json]

Signs a response manifest made elsewhere — the file the portal's web app offers as "Download the manifest to
sign" — with your platform's private key, for a key that must not leave this machine. Attach the signature in the
web app; it checks it against the manifest and your registered key before filing.

  --manifest FILE   the manifest JSON to sign (signed exactly as it is: change nothing in it)
  --key FILE        the private key written by "notice-portal keygen"
  --out FILE        write the signature to FILE instead of printing it
  --json            print {"kid", "alg", "signature"} instead of the bare signature

Prints the detached JWS ("<header>..<signature>") over the manifest's canonical JSON (RFC 8785), the form
"notice-portal submit" files.
`;

export async function signManifestCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('sign-manifest', argv, {
    manifest: { type: 'string' },
    key: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (values.help) {
    io.out(SIGN_MANIFEST_HELP);
    return EXIT.ok;
  }
  const manifestPath = resolve(required('sign-manifest', values.manifest, '--manifest'));
  const key = await loadSigningKey(resolve(required('sign-manifest', values.key, '--key')));
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (error) {
    throw fileProblem('The manifest', manifestPath, error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`The manifest ${manifestPath} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new CliError(
      `The manifest ${manifestPath} is not a response manifest:`,
      undefined,
      parsed.error.issues.map((issue) => `${['manifest', ...issue.path].join('.')}: ${issue.message}`),
    );
  }
  // What the portal verifies is the manifest as its schema reads it; signing that (not the raw text) keeps them equal.
  if (canonicalJson(parsed.data) !== canonicalJson(json)) {
    throw new CliError(`The manifest ${manifestPath} would change when the portal reads it; download it again.`);
  }
  const signature = await signManifest(parsed.data, key);
  const output = values.json ? JSON.stringify({ kid: key.kid, alg: key.alg, signature }) : signature;
  if (values.out) {
    const out = resolve(values.out);
    try {
      await writeFile(out, `${output}\n`);
    } catch (error) {
      throw new CliError(`Cannot write ${out}: ${(error as Error).message}`);
    }
    io.err(`Signature written to ${out}.\n`);
  } else {
    io.out(`${output}\n`);
  }
  io.err(
    `Signed ${parsed.data.noticeId} / ${parsed.data.submissionId} (signedAt ${parsed.data.signedAt}) with key ${key.kid} (${key.alg}).\n`,
  );
  return EXIT.ok;
}
