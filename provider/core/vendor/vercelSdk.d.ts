/**
 * Types of the bundled @vercel/sdk 1.18.5 subset (dist/vendor/vercelSdk.js, built by scripts/bundleSdk.js): only
 * what vercelApi.ts uses, written here so the package's types never reference the SDK.
 */
export declare class HTTPClient {
    constructor(options?: { fetcher?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> });
}
export declare class VercelCore {
    constructor(options: { bearerToken?: string; serverURL?: string; userAgent?: string; httpClient?: HTTPClient });
}
export type SdkResult<T> = { ok: true; value: T } | { ok: false; error: Error };
export declare function projectsGetProjectClientCerts(
    client: VercelCore,
    request: { idOrName: string; teamId?: string; slug?: string },
    options?: { retries?: { strategy: "none" } },
): Promise<SdkResult<unknown>>; // an APIPromise: a thenable with its own catch/finally
