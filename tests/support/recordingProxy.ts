/**
 * A CONNECT proxy on 127.0.0.1 for the proxy tests, that keeps every byte every connection sent it and counts the
 * connections, so a test can assert what a proxy would learn (an Authorization header, a token) and how many
 * times a client came back. Its behaviour is switched per test: tunnel to local servers, answer with raw bytes
 * (a refusal, a web server's page, garbage), or close the connection on CONNECT.
 */
import * as net from "node:net";
import type { AddressInfo } from "node:net";

/** What the proxy does with each connection. */
export type ProxyBehaviour =
    /** Opens the tunnel to `routes[host]` on 127.0.0.1 (any port asked for); an unknown host gets a 502. */
    | { kind: "tunnel"; routes: Record<string, number> }
    /** Once the CONNECT head is in, writes `answer(head)` and closes. */
    | { kind: "answer"; answer: (head: string) => string }
    /** Writes `bytes` as soon as the client connects, before reading anything, and keeps the connection open. */
    | { kind: "speak-first"; bytes: string }
    /** Closes the connection as soon as the CONNECT head is in, answering nothing. */
    | { kind: "close" }
    /** Reads the CONNECT and never answers, keeping the connection open. */
    | { kind: "silent" };

/** A running recording proxy. */
export class RecordingProxy {
    /** Connections accepted since the last `reset()`. */
    connections = 0;
    /** The request line of every CONNECT received (`CONNECT host:port HTTP/1.1`). */
    readonly connects: string[] = [];
    /** Every byte received, per connection, tunnelled bytes included. */
    private readonly received: Buffer[] = [];
    private readonly sockets = new Set<net.Socket>();
    private server!: net.Server;
    /** The address, `http://127.0.0.1:<port>`, without credentials. */
    url = "";

    /** @param behaviour What to do with each connection; change it at any time. */
    constructor(public behaviour: ProxyBehaviour) {}

    /** Listens on an ephemeral port of 127.0.0.1. */
    async start(): Promise<this> {
        this.server = net.createServer((client) => this.accept(client));
        await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
        return this;
    }

    /** The proxy URL with a user and password in it. */
    urlWith(user: string, password: string): string {
        return this.url.replace("http://", `http://${user}:${password}@`);
    }

    /** Everything received since the last `reset()`, as one latin1 string, for searches. */
    text(): string {
        return Buffer.concat(this.received).toString("latin1");
    }

    /** Forgets the counts and bytes. */
    reset(): void {
        this.connections = 0;
        this.connects.length = 0;
        this.received.length = 0;
    }

    /** Closes every connection and the listener. */
    async stop(): Promise<void> {
        for (const s of this.sockets) s.destroy();
        await new Promise((resolve) => this.server.close(resolve));
    }

    private accept(client: net.Socket): void {
        this.connections++;
        this.sockets.add(client);
        client.on("close", () => this.sockets.delete(client));
        client.on("error", () => undefined);
        const behaviour = this.behaviour;
        if (behaviour.kind === "speak-first") client.write(behaviour.bytes);
        let head = Buffer.alloc(0);
        const onData = (chunk: Buffer) => {
            this.received.push(chunk);
            head = Buffer.concat([head, chunk]);
            const end = head.indexOf("\r\n\r\n");
            if (end < 0) return;
            client.off("data", onData);
            const text = head.subarray(0, end).toString("latin1");
            this.connects.push(text.split("\r\n")[0]);
            this.handle(client, behaviour, text, head.subarray(end + 4));
        };
        client.on("data", onData);
    }

    private handle(client: net.Socket, behaviour: ProxyBehaviour, head: string, rest: Buffer): void {
        if (behaviour.kind === "close") {
            client.destroy();
            return;
        }
        if (behaviour.kind === "answer") {
            client.end(behaviour.answer(head));
            return;
        }
        if (behaviour.kind !== "tunnel") return;
        const host = /^CONNECT (\[[^\]]*\]|[^:\s]+):\d+ /.exec(head)?.[1] ?? "";
        const port = behaviour.routes[host];
        if (port === undefined) {
            client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n");
            return;
        }
        const upstream = net.connect(port, "127.0.0.1", () => {
            client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
            upstream.write(rest);
            client.on("data", (chunk: Buffer) => this.received.push(chunk));
            upstream.pipe(client);
            client.pipe(upstream);
        });
        this.sockets.add(upstream);
        upstream.on("close", () => this.sockets.delete(upstream));
        upstream.on("error", () => client.destroy());
    }
}
