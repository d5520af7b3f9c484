/**
 * Whether to colour a stream, decided in one place (the Ui and main's error report).
 * Priority, highest first:
 *   --no-color                      off
 *   NO_COLOR set and not empty      off (no-color.org: an empty NO_COLOR is ignored)
 *   FORCE_COLOR                     "0"/"false" off; any other value (even empty) on, piped too
 *   TERM=dumb                       off
 *   not a terminal                  off
 */
export function colorWanted(env: Record<string, string | undefined>, isTTY: boolean, flag: boolean | undefined = true): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force !== "false";
  if (env.TERM === "dumb") return false;
  return isTTY;
}

/** TERM=dumb terminals (and logs captured from them) get ASCII: no box drawing, no "…". */
export function asciiOnly(env: Record<string, string | undefined>): boolean {
  return env.TERM === "dumb";
}
