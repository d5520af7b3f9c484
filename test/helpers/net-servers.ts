import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { createProxy } from "proxy";

/** A loopback server that accepts connections and never answers (a frozen server). */
export async function startFrozenServer(): Promise<{ port: number; connections(): number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  const server = net.createServer((socket) => {
    count += 1;
    sockets.add(socket);
    socket.on("data", () => undefined);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => count,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A web server that answers every request with an HTML page (a wrong --endpoint-url). */
export async function startHtmlServer(status = 200): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(status, { "content-type": "text/html; charset=utf-8" });
    res.end("<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * A real HTTP proxy on 127.0.0.1 (the `proxy` package: CONNECT tunnels and absolute-URI
 * forwarding, as corporate proxies do), recording what went through it.
 */
export async function startHttpProxy(): Promise<{ url: string; forwarded: string[]; tunnels: string[]; close(): Promise<void> }> {
  const forwarded: string[] = [];
  const tunnels: string[] = [];
  const server = createProxy(http.createServer());
  server.on("request", (req: http.IncomingMessage) => forwarded.push(`${req.method} ${req.url}`));
  server.on("connect", (req: http.IncomingMessage) => tunnels.push(req.url ?? ""));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forwarded,
    tunnels,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * An https:// front for a plain-HTTP server, with a self-signed certificate for
 * 127.0.0.1 made by openssl (a private CA, as behind a TLS-inspecting proxy).
 * Undefined when openssl is not on the machine.
 */
export async function startTlsFront(targetPort: number): Promise<{ port: number; caFile: string; close(): Promise<void> } | undefined> {
  const { execFileSync } = await import("node:child_process");
  const { mkdtempSync, readFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const https = await import("node:https");
  const dir = mkdtempSync(join(tmpdir(), "sqsctl-tls-"));
  const key = join(dir, "key.pem");
  const cert = join(dir, "cert.pem");
  try {
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
      { stdio: "ignore" },
    );
  } catch {
    return undefined;
  }
  const server = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    const upstream = http.request({ host: "127.0.0.1", port: targetPort, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    caFile: cert,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
