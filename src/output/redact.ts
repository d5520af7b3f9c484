/**
 * Scrubs credentials, signatures and session tokens from any text before it reaches
 * the terminal, --debug included. Applied to every diagnostic line and error message.
 */
const PATTERNS: Array<[RegExp, string]> = [
  // A password in a URL's user-info (--endpoint-url, a proxy URL): keep the user, hide the password.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^/?#@:\s"']*:)[^/?#@\s"']+@/gi, "$1[redacted]@"],
  // The same typed without a scheme (user:secret@host:port), only where a host follows.
  [/(^|[\s"'(])([^\s/?#@:"'(]+:)[^\s/?#@"']+@(?=[a-z0-9.-]+(?::\d+)?(?:[/\s"']|$))/gi, "$1$2[redacted]@"],
  [/\b(A3T[A-Z0-9]|AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{12,}\b/g, "[redacted-key-id]"],
  [/(Signature=)[0-9a-f]+/gi, "$1[redacted]"],
  [/(Credential=)[^,\s&]+/gi, "$1[redacted]"],
  [/(X-Amz-Security-Token[=:]\s*)[^\s&,]+/gi, "$1[redacted]"],
  [/(X-Amz-Signature[=:]\s*)[^\s&,]+/gi, "$1[redacted]"],
  [/("?(?:secretAccessKey|sessionToken|accessKeyId|aws_secret_access_key|aws_session_token|authorization)"?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,}]+)/gi, "$1[redacted]"],
];

export function redact(text: string, env: Record<string, string | undefined> = {}): string {
  let out = text;
  // Exact secret values from the environment go first: they may not match any shape.
  for (const key of ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECURITY_TOKEN"]) {
    const value = env[key];
    if (value && value.length >= 8) out = out.split(value).join("[redacted]");
  }
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  return out;
}
