import { createContext, type ReactNode, useContext } from 'react';
import type { PortalApi } from './client';

const ApiContext = createContext<PortalApi | undefined>(undefined);

export function ApiProvider({ client, children }: { client: PortalApi; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): PortalApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiProvider');
  return api;
}
