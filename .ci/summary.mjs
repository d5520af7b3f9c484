// Prints the plain closing line CI reads ("N passed, N failed, N skipped") from a
// vitest JSON report.
import { readFileSync } from "node:fs";

const [file, label] = process.argv.slice(2);
const r = JSON.parse(readFileSync(file, "utf8"));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`${label}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
