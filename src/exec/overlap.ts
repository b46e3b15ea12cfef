// What a tick does while the timer's command is still running: the policies, by name.
export const OVERLAP_POLICIES = ['skip', 'queue', 'parallel', 'restart'] as const;

export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];
