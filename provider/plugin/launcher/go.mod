module pulumi-vercel-client-certs/launcher

go 1.22
