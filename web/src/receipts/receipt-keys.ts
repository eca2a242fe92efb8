import { useQuery } from '@tanstack/react-query';
import { useConfig } from '../config/config-context';
import { parseReceiptKeySet, type ReceiptKeySet } from './verify-receipt';

/** Where the portal publishes the keys receipts are signed with (public; no sign-in). */
export function receiptKeysUrl(apiBaseUrl: string): string {
  return `${apiBaseUrl.replace(/\/$/, '')}/.well-known/receipt-keys.json`;
}

/**
 * The published receipt keys, fetched once per visit: verifying any number of receipts afterwards needs no
 * network. (A reader who wants no network at all chooses a saved copy instead.)
 */
export function usePublishedReceiptKeys(enabled: boolean) {
  const { apiBaseUrl } = useConfig();
  return useQuery({
    queryKey: ['receipt-keys'],
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
    queryFn: async (): Promise<ReceiptKeySet> => {
      const response = await fetch(receiptKeysUrl(apiBaseUrl), { headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`The portal answered HTTP ${response.status} for its receipt keys.`);
      const keys = parseReceiptKeySet(await response.json().catch(() => undefined));
      if (!keys) throw new Error('The portal did not answer with a JWKS with at least one key.');
      return keys;
    },
  });
}

/** A saved JWKS file, read and checked as the CLI's --jwks FILE is. */
export async function readKeysFile(file: File): Promise<ReceiptKeySet> {
  let json: unknown;
  try {
    json = JSON.parse(await file.text());
  } catch {
    throw new Error(`The keys file ${file.name} is not JSON.`);
  }
  const keys = parseReceiptKeySet(json);
  if (!keys) throw new Error(`${file.name} is not a JWKS with at least one key ({"keys": [...]}).`);
  return keys;
}
