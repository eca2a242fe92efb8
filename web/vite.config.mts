import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The web app's build: `npm run build:web` writes web/dist, which the local portal serves on its own origin and
 * the CDK app uploads to the app bucket behind CloudFront. Both send the same strict CSP (lib/web/security-headers.ts),
 * so the build must not need inline scripts or `data:` URIs.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  // AgDS styles with Emotion; the automatic JSX runtime from @emotion/react makes the `css` prop work in our code.
  plugins: [react({ jsxImportSource: '@emotion/react' })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No `data:` URIs: the CSP's img-src and font-src are 'self' only.
    assetsInlineLimit: 0,
    sourcemap: true,
    // Vite's preload helper would otherwise inline a polyfill; modern browsers only.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        // The developer panel is its own chunk with a fixed name prefix, so the deployment can leave it out.
        chunkFileNames: (chunk) =>
          chunk.name.startsWith('dev-panel') ? 'assets/dev-panel-[hash].js' : 'assets/[name]-[hash].js',
        // Libraries change less often than the app: separate chunks stay cached across releases.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 3 },
            { name: 'design-system', test: /node_modules[\\/](@ag\.ds-next|@emotion)[\\/]/, priority: 2 },
            { name: 'vendor', test: /node_modules[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
});
