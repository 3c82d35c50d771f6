/**
 * A fake Vercel API for `GET /v1/projects/{idOrName}/client-cert`, on 127.0.0.1 only.
 *
 * It follows the endpoint's OpenAPI page: bearer auth, `teamId`/`slug` scoping, a 200 body of
 * `{ clientCerts: [{ origin, id }] }`, and 400/401/403/404 with Vercel's `{ error: { code, message } }` bodies.
 * On demand it misbehaves like real networks do: 429 with `Retry-After`, 5xx, resets, silence, HTML, bad JSON.
 * It records every request. The tests, the benchmark and `npm run sandbox` all use this one server.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

/** A certificate as the fake stores it; extra fields are sent to prove clients tolerate them. */
export type FakeCert = { id: string; origin: string; [extra: string]: unknown };
/** A project: found by id or by name, inside its team, or in `user`'s personal account when `teamId` is null. */
export type FakeProject = { id: string; name: string; teamId: string | null; user?: string; certs: FakeCert[] };
/** A team: addressed by `teamId` or `slug`. */
export type FakeTeam = { id: string; slug: string };
/** What a token may see: its personal projects (`user`) and these teams. */
export type FakeTokenGrant = { user: string; teams: string[] };

/** One scripted misbehaviour, consumed by the next matching API request. */
export type Fault =
    | { kind: "status"; status: number; headers?: Record<string, string>; body?: string; contentType?: string }
    | { kind: "reset" }
    | { kind: "hang" }
    | { kind: "raw"; status: number; contentType: string; body: string; headers?: Record<string, string> }
    /** Headers (declaring the whole length) and the first `sendBytes` of the body, then a reset. */
    | { kind: "cut"; status: number; contentType: string; body: string; sendBytes: number }
    /** Headers and the first `sendBytes` of the body, then silence. */
    | { kind: "stall"; status: number; contentType: string; body: string; sendBytes: number }
    /** A redirect to `location` (absolute or relative). */
    | { kind: "redirect"; status: number; location: string }
    /** `bytes` of `fill`, streamed without Content-Length (or declaring it when `declare` is set). */
    | { kind: "flood"; status: number; contentType: string; bytes: number; fill?: string; declare?: boolean };

/** A recorded request, as the server saw it. */
export type RecordedRequest = { method: string; url: string; path: string; headers: http.IncomingHttpHeaders; at: number; status?: number };

/** Seed data for a fake. */
export type FakeSeed = { teams: FakeTeam[]; projects: FakeProject[]; tokens: Record<string, FakeTokenGrant> };

/** Options for awkward-but-legal behaviour. */
export type FakeOptions = {
    /** Delay before every API answer, like a nearby network. */
    latencyMs?: number;
    /** Return certs in a different order on every call. */
    shuffle?: boolean;
    /** Answer 429 (with Retry-After and X-RateLimit-* headers) beyond this many API requests per second. */
    rateLimitPerSecond?: number;
    /**
     * Hold every API answer until this many API requests are in flight at once; from then on, answer at once.
     * A proof of overlap: a client that reads one project at a time never gets an answer.
     */
    answerOnceInFlight?: number;
    /**
     * Called once for every request served (admin routes included) when its answer is sent, with one line:
     * method, path and query, status. Headers (the token) are never part of it. `npm run sandbox` prints these.
     */
    logRequest?: (line: string) => void;
};

/** `text` with every byte outside printable ASCII percent-encoded, so a request line never reaches a terminal raw. */
function printable(text: string): string {
    return text.replace(/[^\x21-\x7e]/g, (c) => Buffer.from(c, "utf8").toString("hex").replace(/../g, "%$&"));
}

const API_PATH = /^\/v1\/projects\/([^/]+)\/client-cert$/;

/** The fake server. */
export class FakeVercel {
    /** Every request to the API path or elsewhere, admin routes excluded. */
    readonly requests: RecordedRequest[] = [];
    private readonly faults: Fault[] = [];
    private readonly server: http.Server;
    private readonly sockets = new Set<import("node:net").Socket>();
    private shuffleCounter = 0;
    private inFlight = 0;
    private gateOpen = false;
    private readonly gateWaiters: (() => void)[] = [];
    /** The most API requests ever in flight at once. */
    peakInFlight = 0;
    /** Requests served since start (admin routes excluded), what `GET /_sandbox/requests` answers. Not cleared by `reset`. */
    served = 0;
    url = "";

    constructor(
        readonly seed: FakeSeed,
        readonly options: FakeOptions = {},
    ) {
        this.server = http.createServer((req, res) => void this.handle(req, res));
        this.server.on("connection", (s) => {
            this.sockets.add(s);
            s.on("close", () => this.sockets.delete(s));
        });
    }

    /** Listens on 127.0.0.1 (port 0: any free port) and returns the base URL. */
    async start(port = 0): Promise<string> {
        // A taken port is an 'error' event, not a thrown error: reject with it so the caller can say so.
        await new Promise<void>((resolve, reject) => {
            this.server.once("error", reject);
            this.server.listen(port, "127.0.0.1", () => {
                this.server.off("error", reject);
                resolve();
            });
        });
        this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
        return this.url;
    }

    /** Closes the server and every open connection, hung ones included. */
    async stop(): Promise<void> {
        for (const s of this.sockets) s.destroy();
        await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }

    /** Queues faults; each is used once by the next API request. */
    failNext(...faults: Fault[]): void {
        this.faults.push(...faults);
    }

    private readonly projectFaults = new Map<string, Fault[]>();

    /** Queues faults for requests about one project (by the idOrName in the path) only. */
    failProject(idOrName: string, ...faults: Fault[]): void {
        this.projectFaults.set(idOrName, [...(this.projectFaults.get(idOrName) ?? []), ...faults]);
    }

    /** Drops queued faults and recorded requests, and closes the overlap gate again (see `answerOnceInFlight`). */
    reset(): void {
        this.gateOpen = false;
        this.peakInFlight = 0;
        this.faults.length = 0;
        this.projectFaults.clear();
        this.requests.length = 0;
    }

    /** API requests only (the client-cert path), for request counting. */
    apiRequests(): RecordedRequest[] {
        return this.requests.filter((r) => API_PATH.test(r.path));
    }

    private servedIds: string[] = [];

    /** The certificate ids of the last list served, in the order served (with `shuffle`, a new order each time). */
    lastServedIds(): string[] {
        return [...this.servedIds];
    }

    /** The project stored under a team (or personal account) by id or name. */
    project(idOrName: string, teamId: string | null = null): FakeProject {
        const p = this.seed.projects.find((x) => x.teamId === teamId && (x.id === idOrName || x.name === idOrName));
        if (!p) throw new Error(`fake: no project ${idOrName} in ${teamId ?? "personal account"}`);
        return p;
    }

    /**
     * Adds a cert to a project, as someone in the dashboard would. A cert with an existing id replaces it in
     * place: that is a re-pointed certificate (same id, another origin).
     */
    addCert(idOrName: string, teamId: string | null, cert: FakeCert): void {
        const certs = this.project(idOrName, teamId).certs;
        const at = certs.findIndex((c) => c.id === cert.id);
        if (at >= 0) certs[at] = cert;
        else certs.push(cert);
    }

    /** Removes a cert by id. */
    removeCert(idOrName: string, teamId: string | null, certId: string): void {
        const p = this.project(idOrName, teamId);
        p.certs = p.certs.filter((c) => c.id !== certId);
    }

    /** Counts this API request in flight, and holds it until `answerOnceInFlight` are (see FakeOptions). */
    private async overlapGate(res: http.ServerResponse): Promise<void> {
        this.inFlight++;
        this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
        res.once("close", () => this.inFlight--);
        const needed = this.options.answerOnceInFlight;
        if (needed === undefined || this.gateOpen) return;
        if (this.inFlight >= needed) {
            this.gateOpen = true;
            for (const release of this.gateWaiters.splice(0)) release();
            return;
        }
        await new Promise<void>((resolve) => this.gateWaiters.push(resolve));
    }

    private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const log = this.options.logRequest;
        if (log) res.once("finish", () => log(`${printable(req.method ?? "")} ${printable(req.url ?? "/")} ${res.statusCode}`));
        if (url.pathname.startsWith("/_sandbox/")) return this.admin(req, res, url);
        this.served++;
        const record: RecordedRequest = { method: req.method ?? "", url: req.url ?? "", path: url.pathname, headers: req.headers, at: Date.now() };
        this.requests.push(record);
        res.once("finish", () => (record.status = res.statusCode));
        if (API_PATH.test(url.pathname)) await this.overlapGate(res);
        if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));

        const forProject = API_PATH.exec(url.pathname);
        const projectQueue = forProject ? this.projectFaults.get(safeDecode(forProject[1])) : undefined;
        const fault = projectQueue?.shift() ?? this.faults.shift();
        if (fault) return this.misbehave(fault, res);
        if (this.options.rateLimitPerSecond !== undefined && this.overLimit(this.options.rateLimitPerSecond)) {
            const reset = Math.ceil(this.windowStart / 1000) + 1;
            res.writeHead(429, {
                "content-type": "application/json; charset=utf-8",
                "retry-after": String(Math.max(1, Math.ceil((this.windowStart + 1000 - Date.now()) / 1000))),
                "x-ratelimit-limit": String(this.options.rateLimitPerSecond),
                "x-ratelimit-remaining": "0",
                "x-ratelimit-reset": String(reset),
            });
            res.end(JSON.stringify({ error: { code: "rate_limited", message: "Rate limit exceeded" } }));
            return;
        }

        const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
            res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
            res.end(JSON.stringify(body));
        };
        const error = (status: number, code: string, message: string, extra: object = {}) =>
            json(status, { error: { code, message, ...extra } });

        const match = API_PATH.exec(url.pathname);
        if (!match) return error(404, "not_found", "The requested path was not found");
        if (req.method !== "GET") return error(405, "method_not_allowed", "Method not allowed");

        const auth = req.headers.authorization ?? "";
        const token = /^Bearer (.+)$/.exec(auth)?.[1];
        if (!token) return error(401, "unauthorized", "Missing authentication token");
        const grant = this.seed.tokens[token];
        if (!grant) return error(401, "unauthorized", "The request is not authorized", { invalidToken: true });

        const teamIdParam = url.searchParams.get("teamId");
        const slugParam = url.searchParams.get("slug");
        if (teamIdParam !== null && !/^team_[A-Za-z0-9_-]+$/.test(teamIdParam)) {
            return error(400, "bad_request", "Invalid request: `teamId` should be a team id (team_…)");
        }
        if (slugParam !== null && slugParam.trim() === "") {
            return error(400, "bad_request", "Invalid request: `slug` should not be empty");
        }
        let teamId: string | null = null;
        if (teamIdParam !== null || slugParam !== null) {
            const team = this.seed.teams.find((t) => (teamIdParam !== null ? t.id === teamIdParam : t.slug === slugParam));
            if (!team || !grant.teams.includes(team.id)) {
                return error(403, "forbidden", "You don't have permission to access this team");
            }
            teamId = team.id;
        }

        let idOrName: string;
        try {
            idOrName = decodeURIComponent(match[1]);
        } catch {
            return error(400, "bad_request", "Invalid request: malformed project id or name");
        }
        const project = this.seed.projects.find(
            (p) =>
                p.teamId === teamId &&
                (teamId !== null || p.user === grant.user) &&
                (p.id === idOrName || p.name === idOrName),
        );
        if (!project) return error(404, "not_found", "Project not found");

        let certs = project.certs.map((c) => ({ ...c, createdAt: 1700000000000, type: "mtls" }));
        if (this.options.shuffle) certs = rotate(certs, ++this.shuffleCounter);
        this.servedIds = certs.map((c) => c.id);
        json(200, { clientCerts: certs, pagination: null });
    }

    private windowStart = 0;
    private windowCount = 0;
    /** Fixed one-second windows, like a simple per-token limiter. */
    private overLimit(perSecond: number): boolean {
        const now = Date.now();
        if (now - this.windowStart >= 1000) {
            this.windowStart = now;
            this.windowCount = 0;
        }
        return ++this.windowCount > perSecond;
    }

    private misbehave(fault: Fault, res: http.ServerResponse): void {
        switch (fault.kind) {
            case "reset":
                res.socket?.destroy();
                return;
            case "hang":
                return; // never answer; stop() destroys the socket
            case "raw":
                res.writeHead(fault.status, { "content-type": fault.contentType, ...fault.headers });
                res.end(fault.body);
                return;
            case "cut":
            case "stall": {
                const bytes = Buffer.from(fault.body);
                res.writeHead(fault.status, { "content-type": fault.contentType, "content-length": String(bytes.length) });
                res.write(bytes.subarray(0, fault.sendBytes));
                if (fault.kind === "cut") setTimeout(() => res.socket?.destroy(), 20);
                return; // a stall stays silent; stop() destroys the socket
            }
            case "redirect":
                res.writeHead(fault.status, { location: fault.location, "content-type": "application/json" });
                res.end(JSON.stringify({ redirect: fault.location }));
                return;
            case "flood": {
                const chunk = Buffer.alloc(64 * 1024, fault.fill ?? "x");
                res.writeHead(fault.status, {
                    "content-type": fault.contentType,
                    ...(fault.declare ? { "content-length": String(fault.bytes) } : {}),
                });
                let left = fault.bytes;
                const pump = () => {
                    while (left > 0) {
                        const piece = chunk.subarray(0, Math.min(chunk.length, left));
                        left -= piece.length;
                        if (!res.write(piece)) return void res.once("drain", pump);
                    }
                    res.end();
                };
                res.on("error", () => undefined);
                pump();
                return;
            }
            case "status":
                res.writeHead(fault.status, { "content-type": fault.contentType ?? "application/json; charset=utf-8", ...fault.headers });
                res.end(fault.body ?? JSON.stringify({ error: { code: "fault", message: `Injected ${fault.status}` } }));
                return;
        }
    }

    /**
     * Admin routes for the sandbox, never counted as API requests:
     * GET /_sandbox/requests (`{ count }`: requests served, admin routes excluded), GET /_sandbox/state, POST /_sandbox/projects/{idOrName}/certs?teamId= with {id?, origin} (an existing id
     * is replaced: a re-pointed cert), PUT /_sandbox/projects/{idOrName}/certs/{certId}?teamId= with {origin}
     * (re-points it), DELETE /_sandbox/projects/{idOrName}/certs/{certId}?teamId=
     */
    private async admin(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
        const send = (status: number, body: unknown) => {
            res.writeHead(status, { "content-type": "application/json" });
            res.end(JSON.stringify(body, null, 2));
        };
        try {
            const teamId = url.searchParams.get("teamId");
            if (req.method === "GET" && url.pathname === "/_sandbox/requests") {
                return send(200, { count: this.served });
            }
            if (req.method === "GET" && url.pathname === "/_sandbox/state") {
                return send(200, { teams: this.seed.teams, projects: this.seed.projects });
            }
            const add = /^\/_sandbox\/projects\/([^/]+)\/certs$/.exec(url.pathname);
            if (req.method === "POST" && add) {
                const body = await certBody(req);
                if (typeof body.origin !== "string") return send(400, { error: "body needs an origin" });
                const cert: FakeCert = { id: body.id ?? `cert_${Date.now().toString(36)}`, origin: body.origin };
                this.addCert(decodeURIComponent(add[1]), teamId, cert);
                return send(201, cert);
            }
            const del = /^\/_sandbox\/projects\/([^/]+)\/certs\/([^/]+)$/.exec(url.pathname);
            if (req.method === "PUT" && del) {
                const body = await certBody(req);
                if (typeof body.origin !== "string") return send(400, { error: "body needs an origin" });
                const id = decodeURIComponent(del[2]);
                if (!this.project(decodeURIComponent(del[1]), teamId).certs.some((c) => c.id === id)) {
                    return send(404, { error: `no certificate ${id} in that project` });
                }
                const cert: FakeCert = { id, origin: body.origin };
                this.addCert(decodeURIComponent(del[1]), teamId, cert);
                return send(200, cert);
            }
            if (req.method === "DELETE" && del) {
                this.removeCert(decodeURIComponent(del[1]), teamId, decodeURIComponent(del[2]));
                return send(200, { removed: decodeURIComponent(del[2]) });
            }
            send(404, { error: "unknown admin route" });
        } catch (err) {
            send(400, { error: (err as Error).message });
        }
    }
}

/** An admin route's JSON body, `{id?, origin}`. */
async function certBody(req: http.IncomingMessage): Promise<Partial<FakeCert>> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Partial<FakeCert>;
}

function safeDecode(segment: string): string {
    try {
        return decodeURIComponent(segment);
    } catch {
        return segment;
    }
}

function rotate<T>(items: T[], by: number): T[] {
    if (items.length < 2) return items;
    const k = by % items.length;
    const rotated = [...items.slice(k), ...items.slice(0, k)];
    return by % 2 ? rotated.reverse() : rotated;
}
