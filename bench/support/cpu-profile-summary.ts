/**
 * Summarises a V8 CPU profile (`node --cpu-prof` writes one `.cpuprofile` per process) into where the time went:
 * the functions and the modules (an npm package, a file of this repository, a part of Node) with the most self time,
 * and the most inclusive time (a function or module counted once per sample it is anywhere on the stack), so
 * "how much of the CPU is token verification / the SDK / logging" can be read off directly.
 *
 *   npx tsx bench/support/cpu-profile-summary.ts PROFILE.cpuprofile [--skip-seconds N] [--top N]
 *
 * `--skip-seconds` leaves out the profile's first seconds (the process starting: module loading, seeding).
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Share of samples in which the process was idle (waiting on I/O). */
  idleMs: number;
  selfByFunction: [string, number][];
  selfByModule: [string, number][];
  inclusiveByModule: [string, number][];
  inclusiveByFunction: [string, number][];
}

const ROOT = relative('/', `${__dirname}/../..`);

export function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = path.slice(nm + 14).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
  }
  const rel = path.startsWith(`/${ROOT}/`) ? path.slice(ROOT.length + 2) : path;
  return rel;
}

export function summariseProfile(profile: CpuProfile, skipSeconds = 0): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const fnKey = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const mod = moduleOf(url, functionName);
    return url ? `${functionName || '(anonymous)'} ${mod}:${lineNumber + 1}` : functionName || '(anonymous)';
  };
  const selfFn = new Map<string, number>();
  const selfMod = new Map<string, number>();
  const inclFn = new Map<string, number>();
  const inclMod = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
  let elapsed = 0;
  let totalMs = 0;
  let idleMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    elapsed += ms;
    if (elapsed < skipSeconds * 1000) return;
    const node = byId.get(id);
    if (!node) return;
    totalMs += ms;
    if (node.callFrame.functionName === '(idle)') {
      idleMs += ms;
      return;
    }
    add(selfFn, fnKey(node), ms);
    add(selfMod, moduleOf(node.callFrame.url, node.callFrame.functionName), ms);
    const seenFn = new Set<string>();
    const seenMod = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at);
      if (!frame || frame.callFrame.functionName === '(root)') break;
      seenFn.add(fnKey(frame));
      seenMod.add(moduleOf(frame.callFrame.url, frame.callFrame.functionName));
    }
    for (const key of seenFn) add(inclFn, key, ms);
    for (const key of seenMod) add(inclMod, key, ms);
  });
  const top = (map: Map<string, number>) => [...map.entries()].sort((a, b) => b[1] - a[1]);
  return {
    totalMs,
    idleMs,
    selfByFunction: top(selfFn),
    selfByModule: top(selfMod),
    inclusiveByModule: top(inclMod),
    inclusiveByFunction: top(inclFn),
  };
}

export function formatSummary(summary: ProfileSummary, topN = 25): string {
  const busy = summary.totalMs - summary.idleMs;
  const pct = (ms: number) => `${((ms / busy) * 100).toFixed(1).padStart(5)}%`;
  const rows = (title: string, entries: [string, number][]) =>
    [
      `${title}`,
      ...entries.slice(0, topN).map(([key, ms]) => `  ${pct(ms)} ${ms.toFixed(0).padStart(7)} ms  ${key}`),
    ].join('\n');
  return [
    `profile: ${(summary.totalMs / 1000).toFixed(1)} s sampled, ${(busy / 1000).toFixed(1)} s busy (${((busy / summary.totalMs) * 100).toFixed(0)}% of the window); percentages are of busy time`,
    rows('self time by module', summary.selfByModule),
    rows('inclusive time by module (on the stack)', summary.inclusiveByModule),
    rows('self time by function', summary.selfByFunction),
    rows('inclusive time by function (on the stack)', summary.inclusiveByFunction),
  ].join('\n\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--') && !/^\d+(\.\d+)?$/.test(a));
  if (!file) throw new Error('usage: cpu-profile-summary.ts PROFILE.cpuprofile [--skip-seconds N] [--top N]');
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : undefined;
  };
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  process.stdout.write(
    `${formatSummary(summariseProfile(profile, option('--skip-seconds') ?? 0), option('--top') ?? 25)}\n`,
  );
}
