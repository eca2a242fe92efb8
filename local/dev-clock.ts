import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { localClockOffsetMs, now, setLocalClockOffset } from '../lambdas/runtime/clock';

/**
 * The local portal's movable clock, kept with the data it dated. Records made after `POST /dev/clock` carry the
 * moved time; if a restart forgot the move, the next record would be dated before them (seq 5 earlier than seq 4).
 * So every move is written to `DATA_DIR/clock.json` before it takes effect, and every start reads it back.
 *
 * The file holds the offset and the portal time at the move. Real time only goes forward, so the offset alone
 * keeps the portal's time from going back; `notBefore` also holds if the machine's own clock is set back.
 */
const ClockFileSchema = z
  .object({
    offsetMs: z.number().int().min(0),
    /** The portal's time when the clock was last moved: it never reads earlier than this again. */
    notBefore: z.iso.datetime(),
  })
  .strict();
type ClockFile = z.infer<typeof ClockFileSchema>;

export class InvalidClockFile extends Error {}

/** Sets the portal clock from the data folder's clock file (real time if there is none). */
export function restoreDevClock(path: string): Date {
  if (!existsSync(path)) return setLocalClockOffset(0);
  let saved: ClockFile;
  try {
    saved = ClockFileSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    // Starting on real time would date new records before existing ones: refuse rather than guess.
    throw new InvalidClockFile(
      `${path} is not a valid development clock file (${(error as Error).message.split('\n')[0]}); restore it, or delete the data folder to start afresh.`,
    );
  }
  return setLocalClockOffset(Math.max(saved.offsetMs, Date.parse(saved.notBefore) - Date.now()));
}

/** Moves the portal clock forward by `ms`, durably: the file is replaced atomically before the clock moves. */
export function advanceDevClock(path: string, ms: number): Date {
  const offsetMs = localClockOffsetMs() + Math.max(0, ms);
  const notBefore = new Date(Date.now() + offsetMs).toISOString();
  writeFileAtomically(path, `${JSON.stringify({ offsetMs, notBefore } satisfies ClockFile)}\n`);
  return setLocalClockOffset(offsetMs);
}

export function devClockState(): { now: string; offsetMs: number } {
  return { now: now().toISOString(), offsetMs: localClockOffsetMs() };
}

/** Write a temporary file, flush it, rename it over the old one: a crash leaves the old file or the new, never half. */
function writeFileAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}
