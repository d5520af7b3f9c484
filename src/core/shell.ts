/**
 * One argument quoted so bash reads it back unchanged: bare when it is plain, in
 * double quotes when it holds single quotes (the JMESPath strings of --filter read
 * best that way) and nothing bash expands inside double quotes, otherwise in single
 * quotes (a single quote inside becomes '\'').
 */
export function shellQuote(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  if (arg.includes("'") && !/["\\$`!]/.test(arg)) return `"${arg}"`;
  return `'${arg.replace(/'/g, "'\\''")}'`;
}

export function shellCommand(args: string[]): string {
  return args.map(shellQuote).join(" ");
}
