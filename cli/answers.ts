import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Manifest } from '../lambdas/domain/submission';
import { CliError, fileProblem } from './errors';

/**
 * The answers file: one entry per numbered question of the notice, either an answer or a reason it cannot be
 * answered. Checked here so a mistake is reported before gigabytes are uploaded, with the entry it is in.
 */
const QuestionNumber = z
  .string({ error: 'must be the question number as a string, e.g. "1" or "3(a)"' })
  .min(1, 'must not be empty')
  .max(20, 'must be at most 20 characters');

const Answered = z
  .object({
    question: QuestionNumber,
    answer: z
      .string({ error: 'must be text' })
      .max(100_000, 'must be at most 100,000 characters')
      .refine((a) => a.trim() !== '', 'must not be blank'),
  })
  .strict();

const CannotAnswer = z
  .object({
    question: QuestionNumber,
    cannotAnswer: z
      .object({
        reason: z
          .string({ error: 'must be text' })
          .max(10_000, 'must be at most 10,000 characters')
          .refine((r) => r.trim().length >= 10, 'must explain why (at least 10 characters)'),
      })
      .strict(),
  })
  .strict();

export const AnswersFileSchema = z
  .array(
    z.unknown().transform((entry, ctx) => {
      const isObject = entry !== null && typeof entry === 'object' && !Array.isArray(entry);
      const has = (key: string) => isObject && key in (entry as object);
      if (!isObject || has('answer') === has('cannotAnswer')) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be {"question": "1", "answer": "…"} or {"question": "2", "cannotAnswer": {"reason": "…"}}',
        });
        return z.NEVER;
      }
      const parsed = (has('answer') ? Answered : CannotAnswer).safeParse(entry);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: 'custom', path: issue.path });
        return z.NEVER;
      }
      return parsed.data as Manifest['answers'][number];
    }),
    { error: 'must be a JSON array of answers' },
  )
  .min(1, 'must answer at least one question')
  .max(1000)
  .superRefine((answers, ctx) => {
    const seen = new Set<string>();
    answers.forEach((a, i) => {
      if (seen.has(a.question))
        ctx.addIssue({ code: 'custom', path: [i, 'question'], message: `question ${a.question} is answered twice` });
      seen.add(a.question);
    });
  });

export type Answers = Manifest['answers'];

export function parseAnswers(json: unknown, source = 'answers'): Answers {
  const parsed = AnswersFileSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new CliError(
    `${source} has problems:`,
    undefined,
    parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`),
  );
}

/** `[1, 'cannotAnswer', 'reason']` → `answers[1].cannotAnswer.reason`, as the entry would be found in the file. */
function formatPath(path: readonly PropertyKey[]): string {
  return `answers${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`;
}

export async function loadAnswers(path: string): Promise<Answers> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw fileProblem('The answers file', path, error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`The answers file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseAnswers(json, `The answers file ${path}`);
}
