import { PageContent } from '@ag.ds-next/react/content';
import { ControlGroup } from '@ag.ds-next/react/control-group';
import { FileUpload, type FileWithStatus } from '@ag.ds-next/react/file-upload';
import { H1, H2 } from '@ag.ds-next/react/heading';
import { PageAlert } from '@ag.ds-next/react/page-alert';
import { Radio } from '@ag.ds-next/react/radio';
import { Stack } from '@ag.ds-next/react/stack';
import { StatusBadge } from '@ag.ds-next/react/status-badge';
import { SummaryList } from '@ag.ds-next/react/summary-list';
import { Text } from '@ag.ds-next/react/text';
import { TextLink } from '@ag.ds-next/react/text-link';
import { useEffect, useState } from 'react';
import { formatBytesExact as formatBytes } from '../../../lambdas/domain/byte-size';
import { SummaryRow } from '../components/notice/summary-row';
import { formatInZone, userTimeZone } from '../components/notice-format';
import { useConfig } from '../config/config-context';
import { checkChosenFiles, type FileCheck } from './file-checks';
import { hashChosenFile } from './hash-file';
import { readKeysFile, receiptKeysUrl, usePublishedReceiptKeys } from './receipt-keys';
import {
  type ReceiptCheck,
  type ReceiptKeySet,
  type ReceiptVerification,
  verifyReceiptInBrowser,
} from './verify-receipt';

type Outcome =
  | { state: 'idle' }
  | { state: 'working'; message: string }
  | { state: 'problem'; message: string }
  | { state: 'done'; verification: ReceiptVerification; files: FileCheck[] };

/**
 * "Verify a receipt": a receipt file (and optionally the files it receipts) checked in this browser against the
 * regulator's receipt keys — the published ones (fetched once) or a saved copy — with every check listed. Nothing
 * is sent anywhere; the same checks as `notice-portal verify-receipt`. Re-runs whenever a choice changes.
 */
export function VerifyReceiptPage() {
  const { apiBaseUrl } = useConfig();
  const [receipt, setReceipt] = useState<FileWithStatus[]>([]);
  const [files, setFiles] = useState<FileWithStatus[]>([]);
  const [keysSource, setKeysSource] = useState<'published' | 'file'>('published');
  const [keysFile, setKeysFile] = useState<FileWithStatus[]>([]);
  const published = usePublishedReceiptKeys(keysSource === 'published');
  const [outcome, setOutcome] = useState<Outcome>({ state: 'idle' });

  // Only the query's data and error, which keep their identity between renders (the result object does not).
  const { data: publishedKeys, error: publishedError } = published;
  const receiptFile = receipt[0];
  const savedKeys = keysFile[0];
  useEffect(() => {
    let current = true;
    const show = (next: Outcome) => current && setOutcome(next);
    const keys = keysSource === 'file' ? savedKeysFrom(savedKeys) : publishedKeysFrom(publishedKeys, publishedError);
    void (async () => {
      if (!receiptFile) return show({ state: 'idle' });
      const resolved = await keys;
      if ('state' in resolved) return show(resolved);
      show({ state: 'working', message: `Checking ${receiptFile.name}` });
      show(await verifyAll(await receiptFile.text(), resolved, files, show));
    })();
    return () => {
      current = false;
    };
  }, [receiptFile, savedKeys, keysSource, files, publishedKeys, publishedError]);

  return (
    <PageContent>
      <Stack gap={2}>
        <H1>Verify a receipt</H1>
        <Text as="p">
          Check that a receipt was signed by the regulator's receipt key and see what it states. Add the response files
          as well to check that each is exactly the file the receipt lists. Everything is checked in this browser:
          nothing is uploaded.
        </Text>
        <Stack gap={1.5} as="form" onSubmit={(e) => e.preventDefault()} aria-label="What to verify">
          <FileUpload
            label="Receipt file"
            hint="The .jws file the portal gave you when the response was filed, or that notice-portal submit saved"
            required
            hideThumbnails
            value={receipt}
            onChange={setReceipt}
          />
          <FileUpload
            label="Response files"
            hint="Optional. Each file's name, size and SHA-256 is checked against the receipt; large files take a while to hash"
            multiple
            hideThumbnails
            value={files}
            onChange={setFiles}
          />
          <ControlGroup label="Receipt keys" block hint="The public keys the regulator signs receipts with">
            <Radio
              name="keys-source"
              value="published"
              checked={keysSource === 'published'}
              onChange={() => setKeysSource('published')}
            >
              The keys this portal publishes (fetched once)
            </Radio>
            <Radio
              name="keys-source"
              value="file"
              checked={keysSource === 'file'}
              onChange={() => setKeysSource('file')}
            >
              A saved keys file (JWKS), to check without any network
            </Radio>
          </ControlGroup>
          {keysSource === 'file' ? (
            <FileUpload
              label="Receipt keys file"
              hint="A copy of receipt-keys.json saved earlier"
              required
              hideThumbnails
              value={keysFile}
              onChange={setKeysFile}
            />
          ) : (
            <Text as="p" fontSize="sm">
              <TextLink href={receiptKeysUrl(apiBaseUrl)} download="receipt-keys.json">
                Save the published keys (receipt-keys.json)
              </TextLink>{' '}
              to verify receipts later without a network.
            </Text>
          )}
        </Stack>
        <Results outcome={outcome} />
      </Stack>
    </PageContent>
  );
}

type KeysOrOutcome = ReceiptKeySet | Extract<Outcome, { state: 'working' | 'problem' }>;

async function savedKeysFrom(file: File | undefined): Promise<KeysOrOutcome> {
  if (!file) return { state: 'problem', message: 'Choose the saved receipt keys file (JWKS).' };
  try {
    return await readKeysFile(file);
  } catch (error) {
    return { state: 'problem', message: (error as Error).message };
  }
}

async function publishedKeysFrom(keys: ReceiptKeySet | undefined, error: Error | null): Promise<KeysOrOutcome> {
  if (error) {
    return {
      state: 'problem',
      message: `Cannot fetch the receipt keys from the portal (${error.message}). Choose a saved keys file instead.`,
    };
  }
  return keys ?? { state: 'working', message: 'Fetching the receipt keys' };
}

/** The receipt's checks, then (when it is valid) the chosen files against its list. */
async function verifyAll(
  jws: string,
  keys: ReceiptKeySet,
  files: File[],
  show: (next: Outcome) => void,
): Promise<Outcome> {
  const verification = await verifyReceiptInBrowser(jws, keys);
  if (!verification.claims) return { state: 'done', verification, files: [] };
  // With no files chosen this only lists the receipt's files as not checked (nothing is hashed).
  if (files.length > 0)
    show({ state: 'working', message: `Hashing ${files.length === 1 ? 'the file' : `${files.length} files`}` });
  const fileChecks = await checkChosenFiles(verification.claims.files, files, hashChosenFile, formatBytes);
  return { state: 'done', verification, files: fileChecks };
}

/** The verdict and every check, in a live region so choosing a file announces the outcome. */
function Results({ outcome }: { outcome: Outcome }) {
  return (
    <section aria-label="Verification result">
      <div role="status" aria-live="polite" aria-atomic="false">
        {outcome.state === 'idle' && null}
        {outcome.state === 'working' && <Text as="p">{outcome.message}…</Text>}
        {outcome.state === 'problem' && (
          <PageAlert tone="warning" title="The receipt cannot be checked yet">
            <Text as="p">{outcome.message}</Text>
          </PageAlert>
        )}
        {outcome.state === 'done' && <Verdict verification={outcome.verification} files={outcome.files} />}
      </div>
      {outcome.state === 'done' && outcome.verification.claims && (
        <Claims claims={outcome.verification.claims} files={outcome.files} />
      )}
    </section>
  );
}

function fileProblems(files: FileCheck[]): FileCheck[] {
  return files.filter((f) => f.status === 'differs' || f.status === 'not-listed');
}

function Verdict({ verification, files }: { verification: ReceiptVerification; files: FileCheck[] }) {
  const problems = fileProblems(files);
  const matched = files.filter((f) => f.status === 'matches').length;
  const title = !verification.valid
    ? 'The receipt is not valid'
    : problems.length > 0
      ? 'The receipt is genuine, but some files are not the files it lists'
      : 'The receipt is valid';
  return (
    <Stack gap={1}>
      <H2>{title}</H2>
      {verification.reason && <Text as="p">{verification.reason}</Text>}
      {verification.details && verification.details.length > 0 && (
        <ul>
          {verification.details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      )}
      <ul aria-label="Checks" css={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {verification.checks.map((check) => (
          <CheckItem key={check.id} check={check} />
        ))}
        {files.map((file) => (
          <FileItem key={`file:${file.name}`} file={file} />
        ))}
      </ul>
      {files.some((f) => f.status !== 'not-checked') && (
        <Text as="p">
          {`${matched} of ${files.filter((f) => f.status !== 'not-listed').length} listed files match.`}
        </Text>
      )}
    </Stack>
  );
}

const STATUS_BADGE = {
  passed: { tone: 'successLow', label: 'Passed' },
  failed: { tone: 'errorMedium', label: 'Failed' },
  'not-run': { tone: 'notStartedLow', label: 'Not run' },
  matches: { tone: 'successLow', label: 'Matches' },
  differs: { tone: 'errorMedium', label: 'Does not match' },
  'not-listed': { tone: 'errorMedium', label: 'Not in the receipt' },
  'not-checked': { tone: 'notStartedLow', label: 'Not checked' },
} as const;

function CheckItem({ check }: { check: ReceiptCheck }) {
  const badge = STATUS_BADGE[check.status];
  return (
    <li css={{ marginBottom: '0.75rem' }}>
      <StatusBadge appearance="subtle" tone={badge.tone} label={badge.label} /> <Text>{check.label}</Text>
      {check.status === 'passed' && check.detail && (
        <Text as="p" fontSize="xs" css={{ overflowWrap: 'anywhere' }}>
          {check.detail}
        </Text>
      )}
    </li>
  );
}

function FileItem({ file }: { file: FileCheck }) {
  const badge = STATUS_BADGE[file.status];
  return (
    <li css={{ marginBottom: '0.75rem' }}>
      <StatusBadge appearance="subtle" tone={badge.tone} label={badge.label} /> <Text>{`File ${file.name}`}</Text>
      {'problem' in file && file.problem && (
        <Text as="p" fontSize="xs" css={{ overflowWrap: 'anywhere' }}>
          {`${file.name} ${file.problem}`}
        </Text>
      )}
      {file.status === 'not-checked' && !file.problem && (
        <Text as="p" fontSize="xs">
          Listed in the receipt; not chosen, so not checked.
        </Text>
      )}
    </li>
  );
}

function Claims({ claims, files }: { claims: NonNullable<ReceiptVerification['claims']>; files: FileCheck[] }) {
  const zone = userTimeZone();
  const when = (iso: string) => `${formatInZone(iso, zone)} (${iso})`;
  const statusOf = new Map(files.map((f) => [f.name, f.status]));
  return (
    <Stack gap={1} css={{ marginTop: '1.5rem' }}>
      <H2>What the receipt states</H2>
      <SummaryList>
        <SummaryRow term="Receipt number">{claims.receiptNumber}</SummaryRow>
        <SummaryRow term="Notice">{claims.noticeId}</SummaryRow>
        <SummaryRow term="Submission">{claims.submissionId}</SummaryRow>
        <SummaryRow term="Platform">{claims.platformId}</SummaryRow>
        <SummaryRow term="Legal basis">{claims.legalBasis}</SummaryRow>
        <SummaryRow term="Filed at">{when(claims.filedAt)}</SummaryRow>
        {claims.dueAt && <SummaryRow term="Due at">{when(claims.dueAt)}</SummaryRow>}
        <SummaryRow term="On time">{claims.onTime ? 'Yes' : 'No: filed after the due time'}</SummaryRow>
        <SummaryRow term="Signed by">{`${claims.signedBy.name} at ${when(claims.signedBy.signedAt)}\nKey ${claims.signedBy.kid}`}</SummaryRow>
        <SummaryRow term="Manifest SHA-256">{claims.manifestSha256}</SummaryRow>
        <SummaryRow term="Issued at">{when(claims.issuedAt)}</SummaryRow>
        {claims.checkpoint && (
          <SummaryRow term="Latest checkpoint">{`Checkpoint ${claims.checkpoint.seq}\nSHA-256 ${claims.checkpoint.hash}`}</SummaryRow>
        )}
      </SummaryList>
      <H2>{`Files the receipt lists (${claims.files.length})`}</H2>
      <SummaryList>
        {claims.files.map((f) => (
          <SummaryRow key={f.name} term={f.name}>
            {`${formatBytes(f.size)}\nSHA-256 ${f.sha256}\n${STATUS_BADGE[statusOf.get(f.name) ?? 'not-checked'].label}`}
          </SummaryRow>
        ))}
      </SummaryList>
    </Stack>
  );
}
