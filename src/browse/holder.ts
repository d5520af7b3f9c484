/**
 * Browse's SQS side now lives in src/sqs/custody/selection.ts (a view over THE holder).
 * This name is kept so browse's action module (src/browse/actions.ts, being reworked on
 * the custody-move branch) keeps compiling; import from the custody module instead.
 */
export { BrowseSelection as Holder, type HeldMessage, type SnapshotResult, type VerifyResult } from "../sqs/custody/selection.js";
