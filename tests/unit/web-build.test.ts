import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webBuildReason } from '../../local/web-build';

/** When `npm start` rebuilds the web app: web/dist missing, or older than anything under web/src or web/index.html. */
describe('webBuildReason', () => {
  let web: string;
  const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

  beforeEach(() => {
    web = mkdtempSync(join(tmpdir(), 'notice-portal-web-'));
    mkdirSync(join(web, 'src', 'routes'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html>');
    writeFileSync(join(web, 'src', 'routes', 'dashboard.tsx'), 'export {};');
    at(join(web, 'index.html'), 1_000);
    at(join(web, 'src', 'routes', 'dashboard.tsx'), 1_000);
  });
  afterEach(() => rmSync(web, { recursive: true, force: true }));

  const build = (seconds: number) => {
    mkdirSync(join(web, 'dist'), { recursive: true });
    writeFileSync(join(web, 'dist', 'index.html'), '<!doctype html>');
    at(join(web, 'dist', 'index.html'), seconds);
  };

  it('builds when there is no build', () => {
    expect(webBuildReason(web)).toBe('web/dist/index.html is missing');
  });

  it('does not build when the build is newer than every source', () => {
    build(2_000);
    expect(webBuildReason(web)).toBeUndefined();
  });

  it('builds when a file deep under web/src changed since', () => {
    build(2_000);
    at(join(web, 'src', 'routes', 'dashboard.tsx'), 3_000);
    expect(webBuildReason(web)).toContain('changed since the last build');
  });

  it('builds when web/index.html changed since', () => {
    build(2_000);
    at(join(web, 'index.html'), 3_000);
    expect(webBuildReason(web)).toContain('changed since the last build');
  });
});
