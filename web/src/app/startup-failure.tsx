/**
 * Shown when the app cannot start (its configuration is missing or invalid). Plain markup: the design system's
 * theme depends on the configuration that failed to load.
 */
export function StartupFailure({ error }: { error: unknown }) {
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: '40rem', margin: '3rem auto', padding: '0 1rem' }}>
      <h1>The portal could not start</h1>
      <p role="alert">{error instanceof Error ? error.message : String(error)}</p>
      <p>Reload the page to try again. If this keeps happening, tell the portal's operators.</p>
    </main>
  );
}
