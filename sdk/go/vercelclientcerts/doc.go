// Reads a Vercel project's mTLS egress client certificates (read-only: it never changes anything at Vercel).
package vercelclientcerts
