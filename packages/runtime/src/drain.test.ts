import { createServer, request as httpRequest, type Server } from "node:http";
import express from "express";
import { expect, it } from "vitest";
import { drainServer, RunningHandlers } from "./drain.ts";
import { boundedRequestHandler } from "./remix-request.ts";
import { freePort } from "./testing/ports.ts";

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

it("waits for a handler whose client left before it answered, not only for the connection", async () => {
  const handlers = new RunningHandlers();
  const started = deferred();
  const gate = deferred();
  const steps: string[] = [];
  const app = express();
  app.all(
    "*",
    boundedRequestHandler({
      limitFor: () => 1024,
      handle: () =>
        handlers.track(
          (async () => {
            started.resolve();
            await gate.promise; // a loader's query still running
            steps.push("handler finished");
            return new Response("late");
          })(),
        ),
    }),
  );
  const server: Server = createServer(app);
  const connectionsGone = deferred();
  let open = 0;
  server.on("connection", (socket) => {
    open += 1;
    socket.on("close", () => {
      open -= 1;
      if (open === 0) connectionsGone.resolve();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));

  // The client asks, and leaves while the handler runs.
  const req = httpRequest({ host: "127.0.0.1", port, path: "/slow" });
  req.on("error", () => {});
  req.end();
  await started.promise;
  req.destroy();
  await connectionsGone.promise;

  let drained = false;
  const drain = drainServer(server, handlers).then(() => {
    drained = true;
    steps.push("drained");
  });
  await turns(5);
  // No connection is left, yet the drain is not over: the handler still runs.
  expect(server.listening).toBe(false);
  expect(handlers.size).toBe(1);
  expect(drained).toBe(false);

  gate.resolve();
  await drain;
  expect(steps).toEqual(["handler finished", "drained"]);
  expect(handlers.size).toBe(0);
});

it("forgets handlers that fail, and a drain with none running ends at once", async () => {
  const handlers = new RunningHandlers();
  await expect(handlers.track(Promise.reject(new Error("refused")))).rejects.toThrow("refused");
  expect(handlers.size).toBe(0);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  await drainServer(server, handlers);
  expect(server.listening).toBe(false);
});
