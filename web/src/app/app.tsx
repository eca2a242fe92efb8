import { Core } from '@ag.ds-next/react/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { useMemo } from 'react';
import { ApiProvider } from '../api/api-context';
import { ApiError } from '../api/api-error';
import { createApiClient } from '../api/client';
import { AuthProvider } from '../auth/auth-context';
import { createUserManager, logoutUrl } from '../auth/user-manager';
import { RouterLink } from '../components/router-link';
import { ConfigProvider } from '../config/config-context';
import type { RuntimeConfig } from '../config/runtime-config';
import { createAppRouter } from './router';
import { SessionState } from './session-state';
import { themeFor } from './theme';

/** Everything the pages share: configuration, design system, session, API client, query cache, router. */
export function App({ config }: { config: RuntimeConfig }) {
  const services = useMemo(() => {
    const manager = createUserManager(config);
    const session = new SessionState();
    const api = createApiClient({
      baseUrl: config.apiBaseUrl,
      idToken: () => session.idToken,
      onUnauthenticated: () => session.markEnded(),
    });
    const queryClient = new QueryClient({
      defaultOptions: {
        queries: {
          // A refused request is not retried: 4xx answers are final, and a 401 means signing in again.
          retry: (count, error) =>
            !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
          staleTime: 10_000,
        },
      },
    });
    const router = createAppRouter({ queryClient, api });
    return { manager, session, api, queryClient, router };
  }, [config]);

  return (
    <ConfigProvider config={config}>
      <Core theme={themeFor(config.branding)} linkComponent={RouterLink}>
        <AuthProvider manager={services.manager} logoutUrl={logoutUrl(config)} session={services.session}>
          <ApiProvider client={services.api}>
            <QueryClientProvider client={services.queryClient}>
              <RouterProvider router={services.router} />
            </QueryClientProvider>
          </ApiProvider>
        </AuthProvider>
      </Core>
    </ConfigProvider>
  );
}
