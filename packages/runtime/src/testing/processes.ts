import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "../../../..");

export interface KtizoProcess {
  label: string;
  child: ChildProcess;
  /** Everything the process wrote, for assertions and for the failure message. */
  output(): string;
  /** Resolves when a line matching `pattern` appears (rejects after `timeoutMs` or if the process exits). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs `pnpm start`'s server (`main.js`) or `pnpm worker` (`worker-main.js`) of the compiled build as its
 * own OS process, as production does: plain `node` on the JavaScript in dist/ (no tsx), with the given
 * environment on top of the test's.
 */
export function startKtizoProcess(
  kind: "web" | "worker",
  label: string,
  env: Record<string, string>,
): KtizoProcess {
  const entry = kind === "web" ? "packages/runtime/dist/main.js" : "packages/runtime/dist/worker-main.js";
  const child = spawn(process.execPath, ["--conditions=ktizo-compiled", entry], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: "production", METRICS_PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    label,
    child,
    output: () => text,
    exited,
    waitForOutput(pattern, timeoutMs = 120_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!pattern.test(text)) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`${label}: no ${pattern} within ${timeoutMs} ms. Output:\n${text.slice(-3000)}`));
        }, timeoutMs);
        const onExit = (code: number | null) => {
          cleanup();
          reject(new Error(`${label} exited (${code}) before ${pattern}. Output:\n${text.slice(-3000)}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off("exit", onExit);
        };
        listeners.add(check);
        child.once("exit", onExit);
        check();
      });
    },
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Polls `url` until it answers 200 (a starting web process). */
export async function waitUntilReady(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} was not ready within ${timeoutMs} ms`);
}

export interface Balancer {
  url: string;
  /** Requests each upstream answered, by port. */
  answeredBy: Map<number, number>;
  /** Requests the balancer could not deliver (answered 502). */
  errors: string[];
  close(): Promise<void>;
}

/**
 * A small loopback load balancer: requests alternate between the upstream ports; an upstream that
 * refuses the connection (stopped) is skipped and the request goes to the next one, as a real
 * balancer does. It sets X-Forwarded-For like a proxy the apps trust.
 */
export async function startBalancer(upstreams: number[], port = 0): Promise<Balancer> {
  let next = 0;
  const answeredBy = new Map<number, number>();
  const errors: string[] = [];
  const downUntil = new Map<number, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const attempt = (tries: number) => {
        // An upstream that refused a connection is left out for a while, as a balancer's health check does.
        const now = Date.now();
        const live = upstreams.filter((port) => (downUntil.get(port) ?? 0) <= now);
        const pool = live.length > 0 ? live : upstreams;
        const target = pool[next++ % pool.length]!;
        const forwarded = httpRequest(
          {
            host: "127.0.0.1",
            port: target,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, "x-forwarded-for": req.socket.remoteAddress ?? "127.0.0.1" },
          },
          (upstream) => {
            answeredBy.set(target, (answeredBy.get(target) ?? 0) + 1);
            res.writeHead(upstream.statusCode ?? 502, upstream.headers);
            upstream.pipe(res);
          },
        );
        forwarded.on("error", (error: NodeJS.ErrnoException) => {
          // As nginx's proxy_next_upstream does: a refused connection is always retried on the next
          // upstream (it never saw the request); a reset before any answer only for idempotent methods.
          const idempotent = req.method === "GET" || req.method === "HEAD";
          const retryable =
            error.code === "ECONNREFUSED" ||
            (idempotent && !res.headersSent && ["ECONNRESET", "EPIPE"].includes(error.code ?? ""));
          if (error.code === "ECONNREFUSED") downUntil.set(target, Date.now() + 5_000);
          if (retryable && tries < upstreams.length + 1) return attempt(tries + 1);
          errors.push(`${req.method} ${req.url}: ${error.code ?? ""} ${error.message}`);
          if (!res.headersSent) res.writeHead(502).end(`balancer: ${error.message}`);
          else res.destroy();
        });
        forwarded.end(body);
      };
      attempt(1);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  const address = server.address();
  const bound = typeof address === "object" && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${bound}`,
    answeredBy,
    errors,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A new, empty database on the PostgreSQL server of `serverUrl`, dropped by `drop()`. */
export async function createScratchDatabase(
  serverUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `ktizo_ops_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export interface OwnPostgres {
  url: string;
  /** Stops the server (fast shutdown: connections are cut, as in a crash or failover). */
  stop(): void;
  start(): void;
  destroy(): void;
}

const PG_BIN = "/usr/lib/postgresql/15/bin";

/**
 * A PostgreSQL server of the test's own (tooling/scripts/throwaway-postgres.sh), for tests that stop
 * and start it; the shared TEST_DATABASE_URL server must stay up for everyone else.
 */
export function startOwnPostgres(port: number): OwnPostgres {
  const output = execFileSync(
    "bash",
    [join(repoRoot, "tooling/scripts/throwaway-postgres.sh"), String(port)],
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    },
  );
  const url = /TEST_DATABASE_URL=(\S+)/.exec(output)?.[1];
  const dir = /KTIZO_TEST_PGDIR=(\S+)/.exec(output)?.[1];
  if (!url || !dir) throw new Error(`throwaway-postgres.sh printed no URL: ${output}`);
  const pgCtl = (args: string) =>
    execFileSync("su", ["postgres", "-c", `${PG_BIN}/pg_ctl -D ${dir}/data ${args}`], { stdio: "ignore" });
  return {
    url,
    stop: () => pgCtl("-m fast -w stop"),
    start: () =>
      pgCtl(
        `-o '-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200' -l ${dir}/server.log -w start`,
      ),
    destroy: () => {
      try {
        pgCtl("-m immediate stop");
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * SIGKILLs a process and everything it started (the slicer's child processes), as a lost machine or a
 * container kill would: nothing gets to clean up. Resolves when the process has exited.
 */
export async function killTree(proc: KtizoProcess): Promise<void> {
  const descendants = (pid: number): number[] => {
    let children: number[] = [];
    try {
      children = execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" })
        .split("\n")
        .map((line) => Number(line.trim()))
        .filter((n) => n > 0);
    } catch {
      // ps exits 1 when there are none
    }
    return children.flatMap((child) => [child, ...descendants(child)]);
  };
  const root = proc.child.pid;
  if (root === undefined) return;
  for (const pid of [root, ...descendants(root)]) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await proc.exited;
}
