import { Argument, Command } from "commander";
import { lazy, type Runtime } from "./runtime.js";
import { STATE_DIR_HELP } from "../core/state-dir.js";
import { examples } from "./util.js";

export function registerOperatorCommands(program: Command, rt: Runtime): void {
  program
    .command("watch")
    .argument("[queues...]", "queue names, URLs or ARNs (default: every queue, or those matching --prefix; at most 100)")
    .description("live view of queue depths: visible, in flight, delayed, DLQ depth, change per minute and a sparkline (NDJSON when piped)")
    .option("--prefix <prefix>", "only queues whose name starts with this")
    .option("--interval <dur>", "time between refreshes, 1s-1h", "2s")
    .option("--count <n>", "stop after N refreshes (default: until q, Ctrl-C or SIGTERM)")
    .addHelpText(
      "after",
      `
On a terminal the view is full-screen: q, Esc or Ctrl-C leaves and restores the
terminal, r refreshes now. Columns: VISIBLE, IN FLIGHT, DELAYED (SQS's approximate
counts); DLQ DEPTH, for a queue with a redrive policy, the messages in its DLQ and
(+N) how many arrived since you started watching; Δ/MIN, the change in depth
(visible + in flight + delayed) per minute over the last refresh; and a sparkline
of depth since you started. Queues that are DLQs are marked (dlq): yellow while
they hold messages, red when they grew within the last minute.

Piped, or with -o ndjson (or json), it prints one JSON object per queue per
refresh instead, for scripts and graphs; --count N stops after N refreshes:
  {"time","queue","visible","inFlight","delayed","depth","changePerMinute",
   "isDlq","dlq","dlqDepth"}
${examples([
  "sqsctl watch                                  # every queue, every 2s",
  "sqsctl watch orders orders-dlq --interval 5s",
  "sqsctl watch --prefix payments",
  "sqsctl watch orders-dlq --count 30 --interval 10s | jq -c '{time, depth}'   # 5 minutes of samples",
])}`,
    )
    .action(lazy(rt, () => import("../commands/watch.js")));

  program
    .command("completion")
    .addArgument(new Argument("<shell>", "the shell to print a completion script for").choices(["bash", "zsh", "fish"]))
    .description("print a shell completion script (commands, flags, flag values and queue names)")
    .addHelpText(
      "after",
      `
Queue names complete from a cache of at most 60 s per endpoint in sqsctl's state
folder, ${STATE_DIR_HELP},
refreshed within 0.6 s when stale; off when no credentials are configured, or with
SQSCTL_COMPLETE_QUEUES=0. Flags already typed (--local, --region, --profile,
--endpoint-url) choose where the names come from.
${examples([
  "sqsctl completion bash > ~/.local/share/bash-completion/completions/sqsctl",
  "echo 'source <(sqsctl completion zsh)' >> ~/.zshrc",
  "sqsctl completion fish > ~/.config/fish/completions/sqsctl.fish",
])}`,
    )
    .action(lazy(rt, () => import("../commands/completion.js")));

  // Called by the completion scripts; not for people, so hidden from help and completion.
  program
    .command("__complete-queues", { hidden: true })
    .argument("[words...]", "the words typed so far")
    .action(lazy(rt, () => import("../commands/complete-queues.js")));
}
