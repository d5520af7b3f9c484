import type http from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * Starts a test HTTP server on a free 127.0.0.1 port (the fault proxy, the strict SQS
 * layer), keeping its sockets so `destroyAll()` can end keep-alive connections on close.
 */
export async function listenOnLoopback(server: http.Server): Promise<{ port: number; endpoint: string; destroyAll(): void }> {
  const sockets = new Set<Socket>();
  server.keepAliveTimeout = 60_000;
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    destroyAll() {
      for (const s of sockets) s.destroy();
    },
  };
}
