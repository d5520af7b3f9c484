/** Renders a byte count for people: 1 KiB, 256 KiB, 1 MiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${trim(bytes / 1024)} KiB`;
  return `${trim(bytes / (1024 * 1024))} MiB`;
}

function trim(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** Parses `262144`, `256KiB`, `256k`, `1MiB`, `1m` into bytes; undefined when not a size. */
export function parseBytes(text: string): number | undefined {
  const m = /^(\d+)\s*(b|k|kb|kib|m|mb|mib)?$/i.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? "b").toLowerCase();
  if (unit === "b") return n;
  if (unit.startsWith("k")) return n * 1024;
  return n * 1024 * 1024;
}
