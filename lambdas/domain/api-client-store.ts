import type { ApiClient } from './api-clients';

/** Machine clients, stored in their platform's directory. */
export interface ApiClientStore {
  getClient(clientId: string): Promise<ApiClient | undefined>;
  createClient(client: ApiClient): Promise<boolean>;
  replaceClient(client: ApiClient): Promise<void>;
  listClients(platformId: string): Promise<ApiClient[]>;
}
