/** The two seeded platforms the access matrix tries every tenant-scoped route on, and who answers for each. */

export const OWNERS = ['x-corp', 'videoshare'] as const;
export type Owner = (typeof OWNERS)[number];

/** The seeded platform-responder of each platform. */
export const RESPONDER: Record<Owner, string> = { 'x-corp': 'x-corp-legal', videoshare: 'videoshare-legal' };
export const LEGAL_NAME: Record<Owner, string> = { 'x-corp': 'X Corp.', videoshare: 'VideoShare Pty Ltd' };

export const otherOwner = (owner: Owner): Owner => (owner === 'x-corp' ? 'videoshare' : 'x-corp');
