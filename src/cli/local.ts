import { Command } from "commander";
import { lazy, type Runtime } from "./runtime.js";
import { examples } from "./util.js";

export function registerLocalCommand(program: Command, rt: Runtime): void {
  program
    .command("local")
    .description("run an embedded SQS-compatible server (fauxqs) in the foreground, on 127.0.0.1 by default")
    .option("--port <port>", "port to listen on (0 picks a free one)", "9324")
    .option("--host <host>", "interface to bind; anything but loopback exposes the server to your network", "127.0.0.1")
    .option("--data-dir <dir>", "keep queues and messages in SQLite files here across restarts (default: in memory)")
    .option("--seed <scene>", "create a ready-made scene after start (demo: orders queue with a DLQ of failed messages)")
    .addHelpText(
      "after",
      examples([
        "sqsctl local                      # then in another terminal: sqsctl --local queues list",
        "sqsctl local --seed demo          # orders + orders-dlq with real failures to triage",
        "sqsctl local --port 4566 --data-dir ~/.sqsctl/local",
      ]),
    )
    .action(lazy(rt, () => import("../commands/local.js")));
}
