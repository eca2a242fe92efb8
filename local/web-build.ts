import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm start` builds the web app when its build is missing or older than its sources, so the two commands of the
 * README give a working portal in a browser without a separate step. The build is `npm run build:web` in a child
 * process (vite, as CI and the CDK deployment build it), never a dev server: the portal serves what is deployed.
 */
export const REPO_ROOT = join(__dirname, '..');
const WEB_DIR = join(REPO_ROOT, 'web');

/** Why a build is needed (for the one line `npm start` prints), or undefined when web/dist is up to date. */
export function webBuildReason(webDir: string = WEB_DIR): string | undefined {
  const index = join(webDir, 'dist', 'index.html');
  if (!existsSync(index)) return 'web/dist/index.html is missing';
  const built = statSync(index).mtimeMs;
  const sources = [join(webDir, 'index.html'), join(webDir, 'src')];
  const newest = Math.max(...sources.map(newestModification));
  return newest > built ? 'web/src or web/index.html changed since the last build' : undefined;
}

/** The latest modification time of a file, or of any file under a folder (0 when there is none). */
function newestModification(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Runs `npm run build:web`; rejects with the build's own output when it fails. */
export function buildWebApp(): Promise<void> {
  return new Promise((resolve, reject) => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const child = spawn(npm, ['run', '--silent', 'build:web'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) return resolve();
      // The end of the output is where vite says what failed; the whole of it can be thousands of lines.
      const tail = output.trim().split('\n').slice(-40).join('\n');
      reject(new Error(`npm run build:web ${signal ? `was killed (${signal})` : `exited with ${code}`}:\n${tail}`));
    });
  });
}
