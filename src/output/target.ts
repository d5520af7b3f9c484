/**
 * Commands that sqsctl suggests (in hints, notes and errors) are aimed where the
 * running command was: `sqsctl --local dlq moves orders-dlq`, not a bare
 * `sqsctl dlq moves orders-dlq` that would go to AWS. One rewrite, applied by the Ui
 * and by main's error report, so no hint has to remember it.
 */

/** Commands that talk to a queue server (a suggestion of `sqsctl local` or `help` needs no target). */
const SERVER_COMMANDS = "queues|queue|purge|send|send-batch|bulk-send|receive|tail|export|import|dlq|browse|interactive|watch";
const SUGGESTION = new RegExp(`\\bsqsctl (?=(?:${SERVER_COMMANDS})\\b)`, "g");

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The target flags the user gave, in the order a suggestion repeats them. */
export function targetFlags(g: { local?: boolean | undefined; endpointUrl?: string | undefined; profile?: string | undefined; region?: string | undefined }): string[] {
  const out: string[] = [];
  if (g.local) out.push("--local");
  if (g.endpointUrl) out.push("--endpoint-url", shellQuote(g.endpointUrl));
  if (g.profile) out.push("--profile", shellQuote(g.profile));
  if (g.region) out.push("--region", shellQuote(g.region));
  return out;
}

/** The same, read from raw argv (main's error report runs where Commander may not have parsed). */
export function targetFromArgv(argv: string[]): string[] {
  const g: { local?: boolean; endpointUrl?: string; profile?: string; region?: string } = {};
  const keys = { "--endpoint-url": "endpointUrl", "--profile": "profile", "--region": "region" } as const;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") break;
    if (a === "--local") g.local = true;
    for (const [flag, key] of Object.entries(keys)) {
      if (a === flag && argv[i + 1] !== undefined) g[key] = argv[i + 1]!;
      else if (a.startsWith(`${flag}=`)) g[key] = a.slice(flag.length + 1);
    }
  }
  return targetFlags(g);
}

/** Inserts the target flags into every `sqsctl <command>` the text suggests. */
export function keepTarget(text: string, flags: string[]): string {
  if (flags.length === 0) return text;
  return text.replace(SUGGESTION, `sqsctl ${flags.join(" ")} `);
}
