/**
 * Sample data for the fake Vercel API: the sandbox serves it, and the tests start from it.
 * A fresh copy each call, so one test's edits never leak into another.
 */
import type { FakeSeed } from "./fakeVercel";

/** The token the sandbox accepts. Not a secret: it only opens this local fake. */
export const SANDBOX_TOKEN = "sandbox-token-0123456789abcdef";
/** A second token that sees only its personal projects (no teams): for 403 paths. */
export const OUTSIDER_TOKEN = "outsider-token-fedcba9876543210";

/** What {@link sampleSeed} holds, in one sentence: the sandbox's banner prints it and the README quotes it. */
export const SEED_SUMMARY =
    "Seeded: team team_acme (slug acme) with web-app (2 certificates), empty-app (none), café-ünï (1) and " +
    "service-00 … service-19 (1 each); team team_other (slug other), which the sandbox token cannot see (403); " +
    "a personal project side-project (1; set no team in config for it). A second token, " +
    `${OUTSIDER_TOKEN}, sees no team.`;

/** Returns the sample teams, projects and certificates. */
export function sampleSeed(): FakeSeed {
    const many = Array.from({ length: 20 }, (_, i) => ({
        id: `prj_many${String(i).padStart(2, "0")}`,
        name: `service-${String(i).padStart(2, "0")}`,
        teamId: "team_acme",
        certs: [{ id: `cert_svc${i}_a`, origin: `https://upstream-${i % 3}.example.com` }],
    }));
    return {
        teams: [
            { id: "team_acme", slug: "acme" },
            { id: "team_other", slug: "other" },
        ],
        tokens: {
            [SANDBOX_TOKEN]: { user: "alice", teams: ["team_acme"] },
            [OUTSIDER_TOKEN]: { user: "mallory", teams: [] },
        },
        projects: [
            {
                id: "prj_webapp0001",
                name: "web-app",
                teamId: "team_acme",
                certs: [
                    { id: "cert_payments01", origin: "https://payments.example.com" },
                    { id: "cert_ledger001", origin: "https://ledger.example.com" },
                ],
            },
            { id: "prj_empty00001", name: "empty-app", teamId: "team_acme", certs: [] },
            { id: "prj_secret0001", name: "secret-app", teamId: "team_other", certs: [{ id: "cert_x", origin: "https://x.example.com" }] },
            { id: "prj_personal01", name: "side-project", teamId: null, user: "alice", certs: [{ id: "cert_side01", origin: "https://api.side.dev" }] },
            { id: "prj_unicode001", name: "café-ünï", teamId: "team_acme", certs: [{ id: "cert_uni01", origin: "https://ü.example.com" }] },
            ...many,
        ],
    };
}
