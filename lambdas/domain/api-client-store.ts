import type { ApiClient } from './api-clients';
import type { Platform } from './platforms';

/** Machine clients, stored in their platform's directory. */
export interface ApiClientStore {
  getClient(clientId: string): Promise<ApiClient | undefined>;
  /**
   * The client and the platform `platformId` as they are now, read together: every machine request asks for both
   * (the client its token names, the platform it claims), so one read instead of two.
   */
  getClientAndPlatform(clientId: string, platformId: string): Promise<{ client?: ApiClient; platform?: Platform }>;
  createClient(client: ApiClient): Promise<boolean>;
  replaceClient(client: ApiClient): Promise<void>;
  listClients(platformId: string): Promise<ApiClient[]>;
}
