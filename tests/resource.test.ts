/**
 * The public resource in a program (under mocks): typed outputs, `certIdFor`, and users' own code that runs
 * while it is constructed (transformations) keeping their stack traces.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { ProjectClientCerts, type ProjectClientCertsArgs } from "../dist";

/** Resolves or rejects with the Output's value, using Pulumi's own (internal) promise. */
const settle = <T>(o: pulumi.Output<T>): Promise<T> => (o as unknown as { promise(): Promise<T> }).promise();

describe("ProjectClientCerts in a program", function () {
    before(async function () {
        await pulumi.runtime.setMocks(
            {
                newResource: (a) => ({
                    id: "team_acme/web-app",
                    state: {
                        ...a.inputs,
                        clientCerts: [
                            { id: "cert_a", origin: "https://a.example.com" },
                            { id: "cert_b", origin: "https://b.example.com" },
                        ],
                        certIds: ["cert_a", "cert_b"],
                        origins: ["https://a.example.com", "https://b.example.com"],
                    },
                }),
                call: (a) => a.inputs,
            },
            "resource-test",
            "dev",
            false,
        );
    });

    it("certIdFor resolves the id for an origin", async function () {
        const certs = new ProjectClientCerts("web", { idOrName: "web-app", teamId: "team_acme" });
        assert.equal(await settle(certs.certIdFor("https://b.example.com")), "cert_b");
        assert.deepEqual(await settle(certs.certIds), ["cert_a", "cert_b"]);
    });

    it("a plain scope registers four keys (each costs Pulumi's runtime four stack captures), an Output one the full set, with the same outputs", async function () {
        // The Outputs Pulumi's runtime made for registered keys are own data properties; derived ones are getters
        // (programLive is the resource's private handle on its live read, not registered).
        const registered = (r: object) =>
            Object.entries(Object.getOwnPropertyDescriptors(r))
                .filter(([k, d]) => k !== "programLive" && "value" in d && pulumi.Output.isInstance(d.value))
                .map(([k]) => k)
                .sort();
        const lean = new ProjectClientCerts("lean", { idOrName: "web-app", teamId: "team_acme" });
        assert.deepEqual(registered(lean), ["__provider", "clientCerts", "id", "idOrName", "programRead", "urn"]);
        const leanWithOrigins = new ProjectClientCerts("lean-origins", { idOrName: "web-app", teamId: "team_acme", requireOrigins: ["https://a.example.com"] });
        assert.deepEqual(registered(leanWithOrigins), ["__provider", "clientCerts", "id", "idOrName", "programRead", "requireOrigins", "urn"]);
        const full = new ProjectClientCerts("full", { idOrName: pulumi.output("web-app"), teamId: "team_acme" });
        assert.deepEqual(registered(full), [
            "__provider", "certIdByOrigin", "certIds", "certOriginsById", "clientCerts", "id", "idOrName", "origins", "programRead", "requireOrigins", "slug", "teamId", "urn",
        ]);
        // Whatever might make a derived output differ from a registered one takes the full layout.
        const fullKeys = registered(full);
        const fullFor: [string, ProjectClientCertsArgs, pulumi.CustomResourceOptions?][] = [
            ["a promise argument", { idOrName: Promise.resolve("web-app"), teamId: "team_acme" }],
            ["additionalSecretOutputs", { idOrName: "web-app", teamId: "team_acme" }, { additionalSecretOutputs: ["certIds"] }],
            ["ignoreChanges", { idOrName: "web-app", teamId: "team_acme" }, { ignoreChanges: ["teamId"] }],
            ["a transformation", { idOrName: "web-app", teamId: "team_acme" }, { transformations: [() => undefined] }],
        ];
        for (const [why, a, o] of fullFor) assert.deepEqual(registered(new ProjectClientCerts(`full-${why}`, a, o)), fullKeys, why);
        for (const key of ["idOrName", "teamId", "slug", "requireOrigins", "clientCerts", "certIds", "origins"] as const) {
            assert.deepEqual(await settle(lean[key] as pulumi.Output<unknown>), await settle(full[key] as pulumi.Output<unknown>), key);
        }
        assert.deepEqual(await settle(lean.certOriginsById), { cert_a: "https://a.example.com", cert_b: "https://b.example.com" });
        // certIdByOrigin is derived in the lean layout too: no key of its own.
        assert.deepEqual(await settle(lean.certIdByOrigin), { "https://a.example.com": "cert_a", "https://b.example.com": "cert_b" });
        assert.deepEqual(await settle(leanWithOrigins.requireOrigins), ["https://a.example.com"]);
        // A derived output depends on its resource, as a registered one does.
        const deps = await (lean.certIds as unknown as { allResources(): Promise<Set<unknown>> }).allResources();
        assert.ok(deps.has(lean));
        assert.ok((await (lean.teamId as unknown as { allResources(): Promise<Set<unknown>> }).allResources()).has(lean));
    });

    it("a user's transformation runs with the user's Error.stackTraceLimit: its error carries the user's frame", function () {
        const userLimit = Error.stackTraceLimit;
        let limitSeen: number | undefined;
        function userTransformation(): undefined {
            limitSeen = Error.stackTraceLimit;
            throw new Error("user transformation failed");
        }
        let caught: Error | undefined;
        try {
            new ProjectClientCerts("transformed", { idOrName: "web-app", teamId: "team_acme" }, { transformations: [userTransformation] });
        } catch (err) {
            caught = err as Error;
        }
        assert.ok(caught, "the transformation's error reaches the caller");
        assert.equal(limitSeen, userLimit);
        assert.match(String(caught.stack), /at userTransformation \(.*resource\.test\.ts:\d+:\d+\)/);
        assert.equal(Error.stackTraceLimit, userLimit);
    });

    it("certIdFor for an origin without a cert fails, naming the project and the origins it has", async function () {
        const certs = new ProjectClientCerts("web2", { idOrName: "web-app", teamId: "team_acme" });
        // A prototype key is no origin: it fails like any other, never resolving to Object's built-in.
        await assert.rejects(settle(certs.certIdFor("constructor")), /has no client certificate for "constructor"/);
        await assert.rejects(settle(certs.certIdFor("https://nope.example.com")), (err: Error) => {
            assert.match(err.message, /project "web-app" in team "team_acme" has no client certificate for "https:\/\/nope\.example\.com"/);
            assert.match(err.message, /"https:\/\/a\.example\.com", "https:\/\/b\.example\.com"/);
            return true;
        });
    });
});
