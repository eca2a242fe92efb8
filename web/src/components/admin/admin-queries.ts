import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/api-context';
import { unwrap } from '../../api/api-error';

/** Query keys for administration: everything about one platform sits under `['platform', id]`. */
export const adminKeys = {
  platforms: ['platforms'] as const,
  platform: (id: string) => ['platform', id] as const,
  signingKeys: (id: string) => ['platform', id, 'signing-keys'] as const,
  apiClients: (id: string) => ['platform', id, 'api-clients'] as const,
  users: ['users'] as const,
};

export function usePlatforms() {
  const api = useApi();
  return useQuery({ queryKey: adminKeys.platforms, queryFn: () => unwrap(api.GET('/platforms')) });
}

export function usePlatform(platformId: string) {
  const api = useApi();
  return useQuery({
    queryKey: adminKeys.platform(platformId),
    queryFn: () => unwrap(api.GET('/platforms/{platformId}', { params: { path: { platformId } } })),
  });
}

export function useSigningKeys(platformId: string) {
  const api = useApi();
  return useQuery({
    queryKey: adminKeys.signingKeys(platformId),
    queryFn: () => unwrap(api.GET('/platforms/{platformId}/signing-keys', { params: { path: { platformId } } })),
  });
}

export function useApiClients(platformId: string) {
  const api = useApi();
  return useQuery({
    queryKey: adminKeys.apiClients(platformId),
    queryFn: () => unwrap(api.GET('/platforms/{platformId}/api-clients', { params: { path: { platformId } } })),
  });
}

export function useUsers() {
  const api = useApi();
  return useQuery({ queryKey: adminKeys.users, queryFn: () => unwrap(api.GET('/users')) });
}
