// The pty helper now lives in test/helpers/pty.ts (one helper for every terminal test).
export * from "../helpers/pty.js";
