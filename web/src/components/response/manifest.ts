import type { Submission } from '../../api/types';
import type { DraftAnswer, DraftSigner } from './draft-types';
import type { Manifest } from './signed-response';

/**
 * The manifest that will be signed (plan-web2.md "Manifest"; lambdas/domain/submission.ts ManifestSchema): files
 * in the submission's file-index order with the hashes the platform declared, answers in the notice's question
 * order, the signer with empty optional members left out, and the signing time. Answers that are not complete
 * are left out here; the completeness check (answerIssues) is what stops an incomplete response being signed.
 */
export function buildManifest(input: {
  noticeId: string;
  submission: Pick<Submission, 'submissionId' | 'files'>;
  answers: readonly DraftAnswer[];
  questions: readonly string[];
  signer: DraftSigner;
  signedAt: string;
}): Manifest {
  const byQuestion = new Map(input.answers.map((a) => [a.question, a]));
  const answers: Manifest['answers'] = [];
  for (const question of input.questions) {
    const a = byQuestion.get(question);
    if (a?.cannotAnswer) answers.push({ question, cannotAnswer: { reason: a.cannotAnswer.reason } });
    else if (a?.answer !== undefined) answers.push({ question, answer: a.answer });
  }
  const files = [...input.submission.files]
    .sort((a, b) => a.index - b.index)
    .map((f) => ({ name: f.name, size: f.size, sha256: f.declaredSha256 }));
  const signer: DraftSigner = { name: input.signer.name };
  if (input.signer.title?.trim()) signer.title = input.signer.title;
  if (input.signer.email?.trim()) signer.email = input.signer.email;
  return {
    noticeId: input.noticeId,
    submissionId: input.submission.submissionId,
    files,
    answers,
    signer,
    signedAt: input.signedAt,
  };
}
