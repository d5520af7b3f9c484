/** A queue's RedrivePolicy attribute, parsed. */
export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** The RedriveAllowPolicy attribute of a DLQ: which sources may use it. */
export interface RedriveAllowPolicy {
  redrivePermission: "allowAll" | "denyAll" | "byQueue";
  sourceQueueArns?: string[];
}

export function parseRedrivePolicy(text: string | undefined): RedrivePolicy | null {
  if (!text) return null;
  try {
    const v = JSON.parse(text) as { deadLetterTargetArn?: string; maxReceiveCount?: number | string };
    if (!v.deadLetterTargetArn) return null;
    return { deadLetterTargetArn: v.deadLetterTargetArn, maxReceiveCount: Number(v.maxReceiveCount ?? 0) };
  } catch {
    return null;
  }
}

export function parseRedriveAllowPolicy(text: string | undefined): RedriveAllowPolicy | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as RedriveAllowPolicy;
  } catch {
    return null;
  }
}
