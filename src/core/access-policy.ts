import { UsageError } from "../errors.js";
import { canonicalJson } from "./create-plan.js";

/** One statement of a queue's access policy (the IAM policy language, as SQS stores it). */
export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface AccessPolicy {
  Version?: string;
  Id?: string;
  Statement: Statement[];
}

export type Producer =
  | { kind: "sns"; topicArn: string }
  | { kind: "s3"; bucket: string; account: string }
  | { kind: "account"; account: string }
  | { kind: "eventbridge"; ruleArn: string };

const ACCOUNT = /^\d{12}$/;
const SNS_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]{1,256}$/;
const RULE_ARN = /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:rule\/[A-Za-z0-9._/-]+$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Checks a producer given on the command line; names the flag in errors. */
export function checkProducer(p: Producer): Producer {
  if (p.kind === "sns" && !SNS_ARN.test(p.topicArn)) {
    throw new UsageError(`--from-sns: "${p.topicArn}" is not an SNS topic ARN.`, "It looks like arn:aws:sns:us-east-1:123456789012:my-topic.");
  }
  if (p.kind === "eventbridge" && !RULE_ARN.test(p.ruleArn)) {
    throw new UsageError(`--from-eventbridge: "${p.ruleArn}" is not an EventBridge rule ARN.`, "It looks like arn:aws:events:us-east-1:123456789012:rule/my-rule.");
  }
  if (p.kind === "s3" && !BUCKET.test(p.bucket)) {
    throw new UsageError(`--from-s3: "${p.bucket}" is not an S3 bucket name.`, "Give the bucket's name (3-63 lowercase letters, digits, '.' and '-'), not its ARN.");
  }
  if ((p.kind === "account" || p.kind === "s3") && !ACCOUNT.test(p.account)) {
    throw new UsageError(`"${p.account}" is not an AWS account id.`, "An account id is 12 digits, e.g. 123456789012.");
  }
  return p;
}

/**
 * The statement AWS documents for each producer, with its aws:SourceArn /
 * aws:SourceAccount conditions:
 * - SNS: https://docs.aws.amazon.com/sns/latest/dg/subscribe-sqs-queue-to-sns-topic.html
 * - S3: https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html
 * - EventBridge: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sqs-permissions
 * - another account: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-basic-examples-of-sqs-policies.html
 *   (the account as its root ARN, the form SQS stores, so a re-run compares equal)
 */
export function statementFor(p: Producer, queueArn: string): Statement {
  const partition = queueArn.split(":")[1] ?? "aws";
  switch (p.kind) {
    case "sns":
      return {
        Sid: sid("AllowSns", p.topicArn.split(":").at(-1)!),
        Effect: "Allow",
        Principal: { Service: "sns.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: queueArn,
        Condition: { ArnEquals: { "aws:SourceArn": p.topicArn } },
      };
    case "s3":
      return {
        Sid: sid("AllowS3", p.bucket),
        Effect: "Allow",
        Principal: { Service: "s3.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: queueArn,
        Condition: { ArnLike: { "aws:SourceArn": `arn:${partition}:s3:*:*:${p.bucket}` }, StringEquals: { "aws:SourceAccount": p.account } },
      };
    case "eventbridge":
      return {
        Sid: sid("AllowEvents", p.ruleArn.split("/").slice(1).join("/")),
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: queueArn,
        Condition: { ArnEquals: { "aws:SourceArn": p.ruleArn } },
      };
    case "account":
      return {
        Sid: sid("AllowAccount", p.account),
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${p.account}:root` },
        Action: "sqs:SendMessage",
        Resource: queueArn,
      };
  }
}

/** Policy statement ids: letters and digits only (what IAM accepts everywhere). */
function sid(prefix: string, name: string): string {
  return `${prefix}${name.replace(/[^A-Za-z0-9]/g, "")}`.slice(0, 100);
}

/** Parses a Policy attribute (or a --policy file's text); undefined for none. Throws a usage error naming `source`. */
export function parsePolicy(text: string | undefined, source = "Policy"): AccessPolicy | undefined {
  if (!text || !text.trim()) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${source}: not valid JSON (${(err as Error).message}).`);
  }
  return validatePolicy(v, source);
}

/** Shape checks AWS would otherwise answer with a vague MalformedPolicy. */
export function validatePolicy(v: unknown, source: string): AccessPolicy {
  const fail = (what: string): never => {
    throw new UsageError(`${source}: ${what}.`, 'A queue policy is {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": ..., "Action": "sqs:SendMessage", "Resource": QUEUE_ARN}]}.');
  };
  if (!v || typeof v !== "object" || Array.isArray(v)) fail("the policy must be a JSON object");
  const p = v as Record<string, unknown>;
  if (p.Version !== undefined && p.Version !== "2012-10-17" && p.Version !== "2008-10-17") fail(`Version "${String(p.Version)}" is not 2012-10-17 or 2008-10-17`);
  const raw = p.Statement;
  const statements = Array.isArray(raw) ? raw : raw && typeof raw === "object" ? [raw] : fail('"Statement" is missing');
  if (statements.length === 0) fail('"Statement" is empty');
  const sids = new Set<string>();
  statements.forEach((s: unknown, i: number) => {
    const at = `statement ${i + 1}`;
    if (!s || typeof s !== "object" || Array.isArray(s)) fail(`${at} is not an object`);
    const st = s as Record<string, unknown>;
    if (st.Effect !== "Allow" && st.Effect !== "Deny") fail(`${at}: "Effect" must be "Allow" or "Deny"`);
    if (st.Principal === undefined && st.NotPrincipal === undefined) fail(`${at}: "Principal" is missing (a queue policy names who it applies to)`);
    if (st.Action === undefined && st.NotAction === undefined) fail(`${at}: "Action" is missing`);
    const actions = ([] as unknown[]).concat(st.Action ?? st.NotAction);
    for (const a of actions) if (typeof a !== "string" || !/^(\*|sqs:[A-Za-z*]+)$/i.test(a)) fail(`${at}: action "${String(a)}" is not an SQS action (sqs:SendMessage, sqs:*, ...)`);
    if (st.Condition !== undefined && (typeof st.Condition !== "object" || Array.isArray(st.Condition))) fail(`${at}: "Condition" must be an object`);
    if (typeof st.Sid === "string") {
      if (sids.has(st.Sid)) fail(`${at}: Sid "${st.Sid}" is used twice`);
      sids.add(st.Sid);
    }
  });
  return { ...(p as object), Statement: statements as Statement[] } as AccessPolicy;
}

/** Two statements grant the same thing (Sid aside; action names compared case-insensitively). */
export function sameStatement(a: Statement, b: Statement): boolean {
  const norm = (s: Statement) => {
    const { Sid: _sid, ...rest } = s;
    const lower = (x: string | string[] | undefined) => (x === undefined ? undefined : ([] as string[]).concat(x).map((v) => v.toLowerCase()).sort());
    const list = (x: string | string[] | undefined) => (x === undefined ? undefined : ([] as string[]).concat(x).sort());
    return canonicalJson(JSON.stringify({ ...rest, Action: lower(s.Action), NotAction: lower(s.NotAction), Resource: list(s.Resource) }));
  };
  return norm(a) === norm(b);
}

/**
 * Adds `statement` unless an equivalent one is there (idempotent); keeps every other
 * statement. A Sid already used by a different statement gets a numeric suffix.
 */
export function addStatement(policy: AccessPolicy | undefined, statement: Statement, queueArn: string): { policy: AccessPolicy; added: boolean } {
  const base: AccessPolicy = policy ?? { Version: "2012-10-17", Id: `${queueArn}/SQSDefaultPolicy`, Statement: [] };
  if (base.Statement.some((s) => sameStatement(s, statement))) return { policy: base, added: false };
  const taken = new Set(base.Statement.map((s) => s.Sid));
  let id = statement.Sid;
  for (let n = 2; id !== undefined && taken.has(id); n++) id = `${statement.Sid}${n}`;
  return { policy: { ...base, Statement: [...base.Statement, { ...statement, ...(id ? { Sid: id } : {}) }] }, added: true };
}

/** Removes the statement with this Sid; throws a usage error listing the Sids there are. */
export function removeStatement(policy: AccessPolicy | undefined, sidToRemove: string, queue: string): AccessPolicy | undefined {
  const statements = policy?.Statement ?? [];
  if (!statements.some((s) => s.Sid === sidToRemove)) {
    const sids = statements.map((s) => s.Sid).filter(Boolean);
    throw new UsageError(
      `--sid: queue ${queue} has no policy statement with Sid "${sidToRemove}".`,
      sids.length ? `Its statements: ${sids.join(", ")} (see 'sqsctl queues show ${queue}').` : "Its policy has no statements with a Sid.",
    );
  }
  const rest = statements.filter((s) => s.Sid !== sidToRemove);
  return rest.length ? { ...policy!, Statement: rest } : undefined;
}

const list = (v: unknown): string =>
  v === undefined ? "-" : typeof v === "string" ? v : Array.isArray(v) ? v.join(", ") : Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}: ${([] as unknown[]).concat(x).join(", ")}`).join("; ");

/** One statement as one readable line: Sid, effect, principal, actions, resource, conditions. */
export function describeStatement(s: Statement): string {
  const parts = [`${s.Sid ? `${s.Sid}: ` : ""}${s.Effect}`];
  if (s.Principal !== undefined) parts.push(`principal ${list(s.Principal)}`);
  if (s.NotPrincipal !== undefined) parts.push(`all principals but ${list(s.NotPrincipal)}`);
  if (s.Action !== undefined) parts.push(list(s.Action));
  if (s.NotAction !== undefined) parts.push(`all actions but ${list(s.NotAction)}`);
  if (s.Resource !== undefined) parts.push(`on ${list(s.Resource).split(":").slice(-1)[0] === "*" ? list(s.Resource) : list(s.Resource).replace(/^arn:[^:]+:sqs:[^:]+:\d+:/, "")}`);
  for (const [op, kv] of Object.entries(s.Condition ?? {})) {
    for (const [k, v] of Object.entries(kv)) parts.push(`if ${k} ${op} ${([] as string[]).concat(v).join(" or ")}`);
  }
  return parts.join(", ");
}

/** The statements as lines, for `queues show` ("-" for no policy). */
export function describePolicy(text: string | undefined): string[] {
  let p: AccessPolicy | undefined;
  try {
    p = parsePolicy(text);
  } catch {
    return text ? [text] : ["-"];
  }
  return p ? p.Statement.map(describeStatement) : ["-"];
}

/** Statement-level diff: lines removed ("- ") and added ("+ "); empty when equivalent. */
export function diffPolicies(before: AccessPolicy | undefined, after: AccessPolicy | undefined): string[] {
  const a = before?.Statement ?? [];
  const b = after?.Statement ?? [];
  const out: string[] = [];
  for (const s of a) if (!b.some((t) => t.Sid === s.Sid && sameStatement(s, t))) out.push(`- ${describeStatement(s)}`);
  for (const s of b) if (!a.some((t) => t.Sid === s.Sid && sameStatement(s, t))) out.push(`+ ${describeStatement(s)}`);
  return out;
}
