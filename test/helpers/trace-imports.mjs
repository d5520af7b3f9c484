// Preloaded with `node --import`: records every module URL the process loads into
// the file named by SQSCTL_TRACE_IMPORTS, so tests can prove --help stays lazy.
import { register } from "node:module";

register(
  `data:text/javascript,${encodeURIComponent(`
import { appendFileSync } from "node:fs";
const file = ${JSON.stringify(process.env.SQSCTL_TRACE_IMPORTS)};
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(file, r.url + "\\n");
  return r;
}`)}`,
);
