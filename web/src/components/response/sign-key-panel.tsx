import { Button, ButtonGroup } from '@ag.ds-next/react/button';
import { ControlGroup } from '@ag.ds-next/react/control-group';
import { FileInput } from '@ag.ds-next/react/file-input';
import { H2, H3 } from '@ag.ds-next/react/heading';
import { Radio } from '@ag.ds-next/react/radio';
import { Stack } from '@ag.ds-next/react/stack';
import { SummaryList } from '@ag.ds-next/react/summary-list';
import { Text } from '@ag.ds-next/react/text';
import { type ChangeEvent, useRef, useState } from 'react';
import type { SigningKey } from '../../api/types';
import type { KeyOwner } from '../../signing/key-store';
import { publicKeyFileText } from '../../signing/public-jwk';
import type { BrowserSigningKey } from '../../signing/signing-key';
import { useSigningKeys } from '../admin/admin-queries';
import { KEY_STATUS_LABELS, keyStatus } from '../admin/key-status';
import { downloadText } from '../download-file';
import { SummaryRow } from '../notice/summary-row';
import { formatDateInZone, userTimeZone } from '../notice-format';
import { useBrowserKeyActions, useBrowserKeys } from './use-browser-keys';

/** What the error summary links to: the first key's radio, or the button that makes one when there is none. */
export const SIGNING_KEY_FIELD_ID = 'signing-key';

export const ALG_LABELS = { EdDSA: 'Ed25519 (EdDSA)', ES256: 'ECDSA P-256 (ES256)' } as const;

/** Where a browser key stands with the portal: registered for this platform and usable now, or what to do. */
export function registrationOf(key: BrowserSigningKey, registered: readonly SigningKey[] | undefined, now: Date) {
  const found = registered?.find((k) => k.kid === key.kid);
  if (!registered) return { usable: false, text: `Unknown: ask the regulator to register key ${key.kid}.` };
  if (!found)
    return { usable: false, text: `Not registered. Ask the regulator to register it: its thumbprint is ${key.kid}.` };
  const status = keyStatus(found, now);
  return { usable: status === 'active', text: `Registered: ${KEY_STATUS_LABELS[status].toLowerCase()}` };
}

/**
 * Choosing the key to sign with: the user's keys in this browser (made here or imported from a `keygen` file),
 * each private key non-extractable; the chosen key's public JWK and thumbprint for the regulator to register, and
 * whether the portal has it registered (the platform may list its own keys).
 */
export function SignKeyPanel({
  owner,
  selected,
  onSelect,
  announce,
  now,
}: {
  owner: KeyOwner;
  selected: BrowserSigningKey | undefined;
  onSelect: (kid: string | undefined) => void;
  announce: (text: string) => void;
  now: Date;
}) {
  const keys = useBrowserKeys(owner);
  const registered = useSigningKeys(owner.platformId);
  const { generate, importFile, remove } = useBrowserKeyActions(owner);
  const [importError, setImportError] = useState<string | undefined>(undefined);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const onGenerate = () =>
    generate.mutate(undefined, {
      onSuccess: ({ key, fellBackBecause }) => {
        onSelect(key.kid);
        announce(
          `New ${ALG_LABELS[key.alg]} key made, id ${key.kid}. Its private part stays in this browser and cannot be copied.` +
            (fellBackBecause ? ` It is P-256 because ${fellBackBecause}.` : ''),
        );
      },
      onError: (error) => announce(`No key was made: ${(error as Error).message}`),
    });
  const onImport = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    setImportError(undefined);
    if (!file) return;
    importFile.mutate(file, {
      onSuccess: (key) => {
        onSelect(key.kid);
        announce(
          `Key ${key.kid} imported from ${file.name}. This browser keeps it and will not give it back out; you can delete ${file.name} from this computer unless you also sign with the CLI.`,
        );
      },
      onError: (error) => setImportError((error as Error).message),
      onSettled: () => {
        if (fileInput.current) fileInput.current.value = '';
      },
    });
  };
  const copy = async (key: BrowserSigningKey) => {
    try {
      await navigator.clipboard.writeText(JSON.stringify(key.publicJwk));
      announce('Public key copied.');
    } catch {
      announce('The browser did not allow copying: select the public key text and copy it, or download it.');
    }
  };
  const onRemove = (key: BrowserSigningKey) =>
    remove.mutate(key.kid, {
      onSuccess: () => {
        setConfirmRemove(false);
        onSelect(undefined);
        announce(`Key ${key.kid} removed from this browser.`);
      },
    });

  const registration = !selected
    ? undefined
    : registered.isPending
      ? { usable: false, text: 'Checking with the portal…' }
      : registrationOf(selected, registered.data?.items, now);
  return (
    <Stack gap={1.5} as="section" aria-labelledby="signing-key-heading">
      <H2 id="signing-key-heading">Your signing key</H2>
      {keys.isError && (
        <Text role="alert">The keys in this browser could not be read: {(keys.error as Error).message}</Text>
      )}
      {keys.data && keys.data.length === 0 && (
        <Text as="p">
          You have no signing key in this browser yet. Make one here, or import the private key file you made with
          "notice-portal keygen".
        </Text>
      )}
      {keys.data && keys.data.length > 0 && (
        <ControlGroup label="Signing key" block required hint="Keys kept in this browser for you and your platform.">
          {keys.data.map((key, i) => (
            <Radio
              key={key.kid}
              id={i === 0 ? SIGNING_KEY_FIELD_ID : undefined}
              name="signing-key"
              value={key.kid}
              checked={selected?.kid === key.kid}
              onChange={() => onSelect(key.kid)}
            >
              {ALG_LABELS[key.alg]} · {key.origin === 'generated' ? 'made in this browser' : 'imported'}{' '}
              {formatDateInZone(key.createdAt, userTimeZone())} · {key.kid.slice(0, 12)}…
            </Radio>
          ))}
        </ControlGroup>
      )}
      <ButtonGroup>
        <Button
          id={keys.data?.length ? undefined : SIGNING_KEY_FIELD_ID}
          variant="secondary"
          onClick={onGenerate}
          loading={generate.isPending}
          loadingLabel="Making a key"
        >
          Generate a new signing key
        </Button>
      </ButtonGroup>
      <FileInput
        hideOptionalLabel
        ref={fileInput}
        id="import-key-file"
        label="Import a key file made with the CLI"
        hint='The private key file written by "notice-portal keygen" (key.jwk). It is imported so that it cannot be read back out of this browser.'
        accept=".jwk,.json,application/json"
        onChange={onImport}
        invalid={importError !== undefined}
        message={importError}
        disabled={importFile.isPending}
      />
      {selected && registration && (
        <Stack gap={1} data-testid="selected-signing-key">
          <H3>The chosen key</H3>
          <SummaryList>
            <SummaryRow term="Key id (RFC 7638 thumbprint)">
              <span data-testid="key-thumbprint">{selected.kid}</span>
            </SummaryRow>
            <SummaryRow term="Algorithm">{ALG_LABELS[selected.alg]}</SummaryRow>
            <SummaryRow term="With the portal">
              <span data-testid="key-registration">{registration.text}</span>
            </SummaryRow>
          </SummaryList>
          <Text as="p" fontWeight="bold" id="public-key-label">
            Public key (JWK) for the regulator to register
          </Text>
          <pre
            data-testid="public-jwk"
            css={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0, fontSize: '0.875rem' }}
          >
            {JSON.stringify(selected.publicJwk)}
          </pre>
          <ButtonGroup>
            <Button variant="secondary" onClick={() => void copy(selected)}>
              Copy public key
            </Button>
            <Button
              variant="secondary"
              onClick={() =>
                downloadText(`signing-key-${selected.kid.slice(0, 12)}.jwk.json`, publicKeyFileText(selected.publicJwk))
              }
            >
              Download public key (.jwk.json)
            </Button>
            {!confirmRemove && (
              <Button variant="tertiary" onClick={() => setConfirmRemove(true)}>
                Remove this key from this browser
              </Button>
            )}
          </ButtonGroup>
          {confirmRemove && (
            <Stack gap={0.5} role="group" aria-label="Confirm removing the key">
              <Text as="p">
                Remove key {selected.kid} from this browser? A key made here cannot be recovered; responses it signed
                stay valid.
              </Text>
              <ButtonGroup>
                <Button variant="secondary" onClick={() => onRemove(selected)} loading={remove.isPending}>
                  Yes, remove the key
                </Button>
                <Button variant="tertiary" onClick={() => setConfirmRemove(false)}>
                  Keep the key
                </Button>
              </ButtonGroup>
            </Stack>
          )}
        </Stack>
      )}
    </Stack>
  );
}
