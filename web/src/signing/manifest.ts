import { canonicalJson } from '../../../lambdas/domain/canonical-json';
import type { Manifest } from '../../../lambdas/domain/submission';

/** What the manifest is made from: the notice's questions, the open submission's files, the draft's answers. */
export interface ManifestInputs {
  notice: { id: string; requirements: { questions?: readonly { number: string }[] } };
  submission: {
    submissionId: string;
    files: readonly { index: number; name: string; size: number; declaredSha256: string }[];
  };
  /** The response draft's answers; a `cannotAnswer` entry wins over any answer text kept beside it. */
  answers: readonly { question: string; answer?: string; cannotAnswer?: { reason: string } }[];
  signer: { name: string; title?: string; email?: string };
  /** The portal-clock instant, `new Date(portalNow()).toISOString()` (milliseconds, UTC). */
  signedAt: string;
}

/**
 * The manifest exactly as the CLI builds it (cli/commands/submit/filing.ts, options.ts signerFrom): files in the
 * submission's file-index order with the SHA-256 declared when it was opened, answers in the notice's question
 * order, the signer's name trimmed and the optional title and e-mail omitted when empty. Same inputs, same bytes.
 */
export function buildManifest({ notice, submission, answers, signer, signedAt }: ManifestInputs): Manifest {
  const order = (notice.requirements.questions ?? []).map((q) => q.number);
  const rank = (question: string) => {
    const i = order.indexOf(question);
    return i === -1 ? order.length : i;
  };
  // Answers to questions the notice does not ask are kept (after the others), so finalize names them rather than
  // the signature silently covering less than the draft said.
  const ordered = [...answers].sort((a, b) => rank(a.question) - rank(b.question));
  return {
    noticeId: notice.id,
    submissionId: submission.submissionId,
    files: [...submission.files]
      .sort((a, b) => a.index - b.index)
      .map(({ name, size, declaredSha256 }) => ({ name, size, sha256: declaredSha256 })),
    answers: ordered.map((a) =>
      a.cannotAnswer
        ? { question: a.question, cannotAnswer: { reason: a.cannotAnswer.reason } }
        : { question: a.question, answer: a.answer ?? '' },
    ),
    signer: {
      name: signer.name.trim(),
      ...(signer.title ? { title: signer.title } : {}),
      ...(signer.email ? { email: signer.email } : {}),
    },
    signedAt: new Date(signedAt).toISOString(),
  };
}

/** The bytes that are signed (RFC 8785): what "show the manifest" displays and "download the manifest" saves. */
export function manifestBytes(manifest: Manifest): string {
  return canonicalJson(manifest);
}
