/**
 * The stack's name; deployments, the local portal and ops scripts refer to it by this name. A module of its own so
 * scripts can import it without loading the CDK.
 */
export const STACK_NAME = 'NoticePortal';
