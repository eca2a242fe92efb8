/**
 * Benchmark: does a reminder run cost what is due, or what exists? Fills an embedded DynamoDB with 1k, 10k and
 * 100k issued notices of which 10 have a reminder due, runs the real ReminderRunner over the real store, and prints
 * the items read and the time per run. Flat columns are the goal: the run reads only the sparse reminders-due index.
 *
 *   npm run bench:reminders            (add -- 1000 5000 for other sizes)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbNoticeStore, projectionKeys } from '../lambdas/adapters/dynamodb-notice-store';
import { OutboxMailer } from '../lambdas/adapters/outbox-mailer';
import type { Notice } from '../lambdas/domain/notice';
import { DEFAULT_CATALOGUE } from '../lambdas/domain/notice-catalogue';
import { ReminderRunner } from '../lambdas/domain/reminder-runner';
import { ensureTable, startDynalite } from '../local/embedded-services';
import { type Figure, ratio, recordFigures } from './support/figures';

const SIZES = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const DUE = 10;
const TABLE = 'notice-portal-bench';
const NOW = new Date('2027-01-10T00:00:00.000Z');

function notice(i: number, due: boolean): Notice {
  const [entry] = DEFAULT_CATALOGUE;
  if (!entry) throw new Error('The default catalogue has no notice type to benchmark with.');
  // Due notices have their 1-day reminder in the past; the rest are due next year.
  const dueAt = new Date(NOW.getTime() + (due ? 12 : 400 * 24) * 3_600_000).toISOString();
  const base: Notice = {
    id: `ntc_BENCH${String(i).padStart(21, '0')}`,
    type: entry.type,
    platformId: `platform-${i % 50}`,
    title: `Benchmark notice ${i}`,
    legalBasis: entry.legalBasis,
    requirements: { questions: [{ number: '1', text: 'Describe your systems.' }] },
    mannerAndForm: 'In writing.',
    consequences: entry.consequences,
    timeZone: 'Australia/Sydney',
    jurisdiction: { country: 'AU', state: 'NSW' },
    reminderPolicy: entry.reminders,
    contacts: [`legal@platform-${i % 50}.example`],
    extensions: [],
    status: 'issued',
    version: 2,
    createdAt: '2026-12-01T00:00:00.000Z',
    createdBy: { subject: 'bench', role: 'regulator-officer' },
    updatedAt: '2026-12-01T00:00:00.000Z',
    givenAt: '2026-12-01T00:00:00.000Z',
    issuedBy: { subject: 'bench', role: 'regulator-officer', email: 'officer@regulator.example' },
    dueAt,
    dueSetAt: '2026-12-01T00:00:00.000Z',
    lastEventHash: '0'.repeat(64),
  };
  return base;
}

function progress(label: string, done: number, total: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r  ${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stderr.write('\n');
}

async function fill(client: DynamoDBDocumentClient, total: number): Promise<void> {
  const { nextReminderAt } = await import('../lambdas/domain/reminders');
  const items = (start: number, end: number) =>
    Array.from({ length: end - start }, (_, k) => {
      const i = start + k;
      const n = notice(i, i % Math.floor(total / DUE) === 0 && i / Math.floor(total / DUE) < DUE);
      const projected = { ...n, nextReminderAt: nextReminderAt(n) };
      return {
        PutRequest: { Item: { ...projected, ...projectionKeys(projected), pk: `NOTICE#${n.id}`, sk: 'NOTICE' } },
      };
    });
  const batches: number[] = [];
  for (let start = 0; start < total; start += 25) batches.push(start);
  let done = 0;
  const workers = Array.from({ length: 8 }, async () => {
    for (let start = batches.shift(); start !== undefined; start = batches.shift()) {
      let pending = items(start, Math.min(start + 25, total));
      while (pending.length) {
        const out = await client.send(new BatchWriteCommand({ RequestItems: { [TABLE]: pending } }));
        pending = (out.UnprocessedItems?.[TABLE] ?? []) as typeof pending;
      }
      done += 25;
      if (done % 2500 === 0 || done >= total) progress(`writing ${total} notices`, Math.min(done, total), total);
    }
  });
  await Promise.all(workers);
}

/** Counts every item DynamoDB returns to the run: the run's read cost. */
function counting(doc: DynamoDBDocumentClient): { doc: DynamoDBDocumentClient; read: () => number; reset: () => void } {
  let items = 0;
  const wrapped = {
    send: async (command: never) => {
      const out = (await doc.send(command)) as { Items?: unknown[]; Item?: unknown };
      items += (out.Items?.length ?? 0) + (out.Item ? 1 : 0);
      return out;
    },
  } as unknown as DynamoDBDocumentClient;
  return { doc: wrapped, read: () => items, reset: () => (items = 0) };
}

async function main(): Promise<void> {
  const sizes = SIZES.length ? SIZES : [1_000, 10_000, 100_000];
  const rows: string[][] = [];
  const measured: { size: number; read: number; ms: number; fillMs: number }[] = [];
  for (const size of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-reminders-'));
    const dynamo = await startDynalite(join(dir, 'ddb'), 0);
    const client = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'ap-southeast-2',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    });
    try {
      await ensureTable(client, TABLE);
      const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
      const fillStart = process.hrtime.bigint();
      await fill(doc, size);
      const fillMs = Number(process.hrtime.bigint() - fillStart) / 1e6;
      const counter = counting(doc);
      const store = new DynamoDbNoticeStore(counter.doc, TABLE, () => NOW);
      const mailer = new OutboxMailer(join(dir, 'outbox'), 'notices@regulator.example', () => NOW);
      const runner = new ReminderRunner({ store, mailer, clock: () => NOW, newRunId: () => `bench-${size}` });

      const started = process.hrtime.bigint();
      const report = await runner.run();
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const firstRead = counter.read();
      counter.reset();
      const idleStart = process.hrtime.bigint();
      const idle = await runner.run();
      const idleMs = Number(process.hrtime.bigint() - idleStart) / 1e6;
      measured.push({ size, read: firstRead, ms, fillMs });
      rows.push([
        size.toLocaleString('en-AU'),
        String(report.examined),
        String(report.sent.length),
        String(firstRead),
        ms.toFixed(0),
        `${idle.sent.length} sent, ${counter.read()} read, ${idleMs.toFixed(0)} ms`,
      ]);
    } finally {
      client.destroy();
      await dynamo.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const header = ['notices', 'due found', 'sent', 'items read', 'run ms', 'second run (nothing due)'];
  // A row with fewer cells than the header prints the missing ones empty.
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join(' | ');
  console.log(`\nReminder run against embedded DynamoDB, ${DUE} notices due:\n`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of rows) console.log(line(row));

  const figures = reminderFigures(measured);
  const args = process.argv.slice(2).join(' ');
  recordFigures('reminders', `npm run bench:reminders${args ? ` -- ${args}` : ''}`, figures);
}

/** Flat is the goal: every size against the smallest, in items read (exact) and in time (noisy on a shared machine). */
function reminderFigures(measured: { size: number; read: number; ms: number; fillMs: number }[]): Figure[] {
  const [smallest] = measured;
  const figures: Figure[] = [];
  for (const m of measured) {
    const label = `${m.size.toLocaleString('en-AU')} notices, ${DUE} due`;
    const reference = smallest && m !== smallest ? smallest : undefined;
    const itemsRatio = reference ? ratio(m.read, reference.read) : undefined;
    figures.push({
      name: `reminder run, ${label}: items read`,
      value: m.read,
      unit: 'items',
      ...(reference && itemsRatio !== undefined
        ? {
            reference: { name: `items read at ${reference.size.toLocaleString('en-AU')}`, value: reference.read },
            ratio: itemsRatio,
            goal: '≤ 1.1× (flat)',
            met: itemsRatio <= 1.1,
          }
        : {}),
    });
    figures.push({
      name: `reminder run, ${label}: run time`,
      value: Math.round(m.ms),
      unit: 'ms',
      ...(reference
        ? {
            reference: {
              name: `run time at ${reference.size.toLocaleString('en-AU')}`,
              value: Math.round(reference.ms),
            },
            ratio: ratio(m.ms, reference.ms),
          }
        : {}),
    });
    figures.push({
      name: `loading ${m.size.toLocaleString('en-AU')} notices into dynalite`,
      value: Math.round(m.fillMs / 100) / 10,
      unit: 's',
    });
  }
  return figures;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
