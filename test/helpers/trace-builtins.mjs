// Preloaded with `node --import`: at exit, writes the Node built-in modules the process
// loaded (process.moduleLoadList, however they were reached: import, require or
// process.getBuiltinModule) into the file named by SQSCTL_TRACE_BUILTINS.
import { writeFileSync } from "node:fs";

process.on("exit", () => {
  const names = process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).map((m) => m.slice("NativeModule ".length));
  writeFileSync(process.env.SQSCTL_TRACE_BUILTINS, `${names.join("\n")}\n`);
});
