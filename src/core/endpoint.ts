import { UsageError } from "../errors.js";

/**
 * Endpoint URLs as the AWS CLI v2 accepts them: an absolute http:// or https:// URL.
 * `source` names where the value came from (a flag, a variable, a line of a config file)
 * so the error points at what to fix.
 */
export function checkEndpointUrl(value: string, source: string): string {
  const shown = hidePassword(value);
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  // "localhost:9324" parses as scheme "localhost:"; "127.0.0.1:9324" does not parse at all.
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || !url.hostname) {
    const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
    throw new UsageError(
      hasScheme
        ? `${source}: "${shown}" is not an http:// or https:// URL.`
        : `${source}: "${shown}" has no scheme (http:// or https://).`,
      `Write it as a full URL, e.g. http://${hasScheme ? "127.0.0.1:9324" : shown.replace(/^\/+/, "")}`,
    );
  }
  return value;
}

/** The URL with any password in its user-info replaced, for every line a person reads. */
export function hidePassword(url: string): string {
  return url.replace(/^((?:[a-z][a-z0-9+.-]*:\/\/)?[^/?#@:\s]*:)[^/?#@\s]*@/i, "$1[redacted]@");
}

/**
 * The proxy the AWS CLI would use for `url`, by Python's urllib rules that botocore
 * follows: `https_proxy` for https URLs, `http_proxy` for http ones, lower case winning
 * over upper case; `no_proxy` entries match the host or any subdomain of it (a leading
 * dot is optional), with or without a port, and `*` matches everything. A proxy without
 * a scheme is taken as http://, as botocore does.
 */
export function proxyFor(url: string, env: Record<string, string | undefined>): string | undefined {
  const target = new URL(url);
  const scheme = target.protocol.replace(/:$/, "");
  const pick = (name: string) => env[name.toLowerCase()] || env[name.toUpperCase()] || undefined;
  const proxy = pick(`${scheme}_proxy`);
  if (!proxy) return undefined;
  if (bypassesProxy(target, pick("no_proxy") ?? "")) return undefined;
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

function bypassesProxy(target: URL, noProxy: string): boolean {
  if (noProxy.trim() === "*") return true;
  const hostOnly = target.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = target.port || (target.protocol === "https:" ? "443" : "80");
  const hostPort = `${hostOnly}:${port}`;
  for (const raw of noProxy.split(",")) {
    const name = raw.trim().replace(/^\.+/, "").toLowerCase();
    if (!name) continue;
    if (hostOnly === name || hostPort === name) return true;
    if (hostOnly.endsWith(`.${name}`) || hostPort.endsWith(`.${name}`)) return true;
  }
  return false;
}
