import { homedir } from "node:os";
import { join } from "node:path";
import { checkEndpointUrl } from "../core/endpoint.js";
import { UsageError } from "../errors.js";

/**
 * The AWS settings sqsctl uses, read the way the AWS CLI v2 and boto3 read them, so one
 * config file means the same thing to all three. The SDK reads most of these itself,
 * but not the same way for `--profile` as for `AWS_PROFILE` (its endpoint_url lookup
 * only sees the variable), so they are resolved once here and passed to it explicitly.
 */
export interface AwsSettings {
  /** The profile in use when one was named (--profile or AWS_PROFILE). */
  profile?: string;
  region?: string;
  endpoint?: string;
  /** Where the endpoint came from, for --debug and error messages. */
  endpointSource?: string;
  /** The config file that was read (AWS_CONFIG_FILE or ~/.aws/config). */
  configFile: string;
  credentialsFile: string;
  /** PEM file of extra CAs to trust (AWS_CA_BUNDLE, or ca_bundle in the profile). */
  caBundle?: string;
}

export interface SettingsFlags {
  profile?: string | undefined;
  region?: string | undefined;
  endpointUrl?: string | undefined;
  /** The endpoint --local stands for, when given. */
  localEndpoint?: string | undefined;
}

type Section = Record<string, string>;

/**
 * `service` is the SDK's service id in the AWS CLI's spelling ("sqs", "sns", "lambda",
 * "cloudwatch"): it picks AWS_ENDPOINT_URL_<SERVICE> and the services section's key.
 * The flags' endpoint (--endpoint-url, --local) is SQS's; other services get it only
 * when their caller passes it.
 */
export async function resolveAwsSettings(flags: SettingsFlags, env: Record<string, string | undefined>, service = "sqs"): Promise<AwsSettings> {
  const { loadSharedConfigFiles } = await import("@smithy/core/config");
  const home = env.HOME || homedir();
  const expand = (p: string) => (p.startsWith("~/") ? join(home, p.slice(2)) : p);
  const configFile = expand(env.AWS_CONFIG_FILE || join(home, ".aws", "config"));
  const credentialsFile = expand(env.AWS_SHARED_CREDENTIALS_FILE || join(home, ".aws", "credentials"));
  const files = await loadSharedConfigFiles({ filepath: credentialsFile, configFilepath: configFile, ignoreCache: true }).catch(
    (err: unknown) => {
      throw new UsageError(`${configFile}: ${(err as Error).message}`, "Fix the file, or point AWS_CONFIG_FILE at another one.");
    },
  );
  const config = files.configFile as Record<string, Section | undefined>;
  const credentials = files.credentialsFile as Record<string, Section | undefined>;

  const named = flags.profile ?? (env.AWS_PROFILE || undefined);
  const profileName = named ?? "default";
  const profile: Section = config[profileName] ?? {};
  if (named && !config[named] && !credentials[named]) {
    const known = [...new Set([...Object.keys(config).filter((k) => !k.includes(".")), ...Object.keys(credentials)])];
    throw new UsageError(
      `profile "${named}" not found in ${configFile}${flags.profile ? "" : " (from AWS_PROFILE)"}.`,
      known.length > 0
        ? `Profiles there and in ${credentialsFile}: ${known.join(", ")}. Create one with 'aws configure --profile ${named}'.`
        : `Create it with 'aws configure --profile ${named}', or set AWS_CONFIG_FILE to the file that has it.`,
    );
  }

  const settings: AwsSettings = { configFile, credentialsFile };
  if (named) settings.profile = named;

  const region = flags.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || profile.region || undefined);
  if (region) settings.region = region;

  const caBundle = env.AWS_CA_BUNDLE || profile.ca_bundle;
  if (caBundle) settings.caBundle = expand(caBundle);

  const found = endpointFrom(flags, env, profileName, profile, config, configFile, service);
  if (found) {
    settings.endpoint = checkEndpointUrl(found.url, found.source);
    settings.endpointSource = found.source;
  }
  return settings;
}

/**
 * botocore's order: --endpoint-url, then (unless ignore_configured_endpoint_urls)
 * AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's `services` section, and the
 * profile's own endpoint_url.
 */
function endpointFrom(
  flags: SettingsFlags,
  env: Record<string, string | undefined>,
  profileName: string,
  profile: Section,
  config: Record<string, Section | undefined>,
  configFile: string,
  service: string,
): { url: string; source: string } | undefined {
  if (flags.endpointUrl !== undefined) return { url: flags.endpointUrl, source: "--endpoint-url" };
  if (flags.localEndpoint) return { url: flags.localEndpoint, source: "--local" };
  const ignore = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? profile.ignore_configured_endpoint_urls;
  if (ignore && ignore.toLowerCase() === "true") return undefined;
  const serviceVar = `AWS_ENDPOINT_URL_${service.toUpperCase().replace(/[ -]/g, "_")}`;
  if (env[serviceVar]) return { url: env[serviceVar], source: serviceVar };
  if (env.AWS_ENDPOINT_URL) return { url: env.AWS_ENDPOINT_URL, source: "AWS_ENDPOINT_URL" };
  const where = `${configFile} [${profileName === "default" ? "default" : `profile ${profileName}`}]`;
  if (profile.services) {
    const section = config[`services.${profile.services}`];
    if (!section) {
      throw new UsageError(
        `${where}: services = ${profile.services}, but there is no [services ${profile.services}] section.`,
        `Add the section, or remove the services line.`,
      );
    }
    const key = service.toLowerCase().replace(/[ -]/g, "_");
    const url = section[`${key}.endpoint_url`];
    if (url) return { url, source: `${configFile} [services ${profile.services}] ${key} endpoint_url` };
  }
  if (profile.endpoint_url) return { url: profile.endpoint_url, source: `${where} endpoint_url` };
  return undefined;
}
