import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createKey, type KeyOwner, listKeys, removeKey, saveKey } from '../../signing/key-store';
import { importCliPrivateKey } from '../../signing/signing-key';

/** The signing keys this browser keeps for the signed-in user of their platform (IndexedDB, never the server). */
const browserKeysKey = (owner: KeyOwner) => ['browser-signing-keys', owner.platformId, owner.subject] as const;

export function useBrowserKeys(owner: KeyOwner) {
  return useQuery({
    queryKey: browserKeysKey(owner),
    queryFn: () => listKeys(owner),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useBrowserKeyActions(owner: KeyOwner) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: browserKeysKey(owner) });
  const generate = useMutation({ mutationFn: () => createKey(owner), onSuccess: refresh });
  const importFile = useMutation({
    mutationFn: async (file: File) => {
      const key = await importCliPrivateKey(await file.text());
      try {
        await saveKey(owner, key);
      } catch (error) {
        throw new Error(
          key.alg === 'EdDSA'
            ? `This browser cannot keep an Ed25519 key (${(error as Error).name}). Make a P-256 key instead: notice-portal keygen --alg ES256.`
            : `This browser could not keep the key: ${(error as Error).message}`,
        );
      }
      return key;
    },
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: (kid: string) => removeKey(owner, kid), onSuccess: refresh });
  return { generate, importFile, remove };
}
