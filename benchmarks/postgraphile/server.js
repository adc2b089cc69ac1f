// PostGraphile 4 in library mode, serving the bench database as the platform's own role and
// tenant: every request runs `SET LOCAL role credit_app` and `app.tenant_id`, so row-level
// security applies to it exactly as to the platform. Read-only (no mutations), no GraphiQL.
//
// Usage: DATABASE_URL=... TENANT_ID=... PORT=... [WORKERS=2] node server.js
const cluster = require("node:cluster");
const http = require("node:http");
const { postgraphile } = require("postgraphile");

const workers = Number.parseInt(process.env.WORKERS ?? "1", 10);

if (workers > 1 && cluster.isPrimary) {
  for (let i = 0; i < workers; i += 1) cluster.fork();
  cluster.on("exit", () => process.exit(1));
} else {
  const middleware = postgraphile(process.env.DATABASE_URL, "public", {
    pgSettings: { role: "credit_app", "app.tenant_id": process.env.TENANT_ID },
    disableDefaultMutations: true,
    graphiql: false,
    enableQueryBatching: false,
    disableQueryLog: true,
    retryOnInitFail: false,
    ignoreRBAC: false,
    setofFunctionsContainNulls: false,
    dynamicJson: true,
  });
  http.createServer(middleware).listen(Number.parseInt(process.env.PORT, 10), "127.0.0.1");
}
