import type { Command } from "commander";
import { lazy, type Runtime } from "./runtime.js";
import { examples } from "./util.js";

export function registerBrowseCommand(program: Command, rt: Runtime): void {
  program
    .command("browse")
    .alias("interactive")
    .argument("<queue>", "queue name, URL or ARN")
    .summary("interactive: pick messages from a searchable list, then view, delete, redrive, export or copy them")
    .description(
      "look through a queue's messages in a searchable list, pick some, and view, delete, redrive, export or copy them " +
        "(needs a terminal; every message not acted on is visible again when you leave)",
    )
    .option("--filter <expr>", "only list messages matching this JMESPath expression (see 'sqsctl help filters')")
    .option("--limit <n>", "most messages to hold and list, 1-10000", "100")
    .option("--hold <dur>", "how long listed messages stay hidden between heartbeats, 3s-12h; each renewed once half of it is left", "60s")
    .option("--scan <n>", "most messages to read while looking for --filter matches (default: 1000, or --limit if larger)")
    .addHelpText(
      "after",
      `
Keys in the list:
  ↑/↓ PgUp/PgDn  move           space  select/unselect     a  select all shown
  /              search          enter  act on the selection (or the message under the cursor)
  v              view the message under the cursor             r  receive more
  q, Esc         leave           Ctrl-C leave (at any step)
In menus and questions Esc goes back one step; in the message view q, Esc or enter do.

While you browse, the listed messages are hidden from consumers (sqsctl renews their
visibility timeout every 30 s with the default --hold); leaving makes every message you
did not delete or move visible again at once. Delete and redrive ask first and name the
count. A message whose hold ran out (suspended process, sleeping laptop) is marked "!"
and received again before it is deleted or moved; if it cannot be, it is reported.
${examples([
  "sqsctl browse orders-dlq",
  "sqsctl browse orders-dlq --filter \"json.errorType == 'Timeout'\" --limit 50",
  "sqsctl interactive orders-dlq --local",
])}`,
    )
    .action(lazy(rt, () => import("../commands/browse.js")));
}
