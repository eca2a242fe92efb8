/**
 * The live completeness check is finalize's own gate (lambdas/domain/answer-completeness.ts, no runtime imports),
 * so what the editor calls complete is exactly what the portal will accept.
 */
export { answerIssues } from '../../../../lambdas/domain/answer-completeness';
