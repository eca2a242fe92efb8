// First: before any module parses with zod (see the file).
import './app/zod-jitless';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { StartupFailure } from './app/startup-failure';
import { loadRuntimeConfig } from './config/load-runtime-config';

const root = createRoot(document.getElementById('root') as HTMLElement);

loadRuntimeConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    ),
  (error: unknown) => root.render(<StartupFailure error={error} />),
);
