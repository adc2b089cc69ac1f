// Subscribe to the credit platform's early warnings and print each as one JSON line.
//
// Usage: CREDIT_TOKEN=... node subscribe-warnings.mjs [--min-level LIGHT|MEDIUM|SEVERE]
//        [--customer-id ID] [--after CURSOR] [--count N]
// Env:   CREDIT_WS_URL (default ws://127.0.0.1:8000/graphql), and either CREDIT_TOKEN or
//        CREDIT_TOKEN_COMMAND: a command that prints a fresh token (for example
//        `.venv/bin/credit token --tenant demo --role credit_manager`, or your identity
//        provider's CLI).
//
// It remembers the cursor of the last event it printed; when the connection drops it
// reconnects and resumes with `after: <that cursor>`, so nothing is missed or repeated.
// The server closes a socket with 4401 when the token it was opened with expires: the
// subscriber then asks CREDIT_TOKEN_COMMAND for a fresh token and resumes the same way.
import { execSync } from "node:child_process";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const TOKEN_EXPIRED = 4401;
const FORBIDDEN = 4403;

const QUERY = `subscription Warnings($filter: WarningSubscriptionFilter, $after: String) {
  warningRaised(filter: $filter, after: $after) {
    cursor
    warning { id kind level status raisedAt customerId customerCode evidence }
  }
}`;

function parseArgs(argv) {
  const opts = { minLevel: null, customerId: null, after: null, count: 0 };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === "--min-level") opts.minLevel = value;
    else if (flag === "--customer-id") opts.customerId = value;
    else if (flag === "--after") opts.after = value;
    else if (flag === "--count") opts.count = Number.parseInt(value, 10);
    else {
      console.error(`unknown argument ${flag}`);
      process.exit(2);
    }
    i += 1;
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const url = process.env.CREDIT_WS_URL ?? "ws://127.0.0.1:8000/graphql";
const tokenCommand = process.env.CREDIT_TOKEN_COMMAND;
if (!process.env.CREDIT_TOKEN && !tokenCommand) {
  console.error(
    "CREDIT_TOKEN or CREDIT_TOKEN_COMMAND is required " +
      "(try: CREDIT_TOKEN_COMMAND='.venv/bin/credit token --tenant demo --role credit_manager')",
  );
  process.exit(2);
}

// A token for the next connection: from the command when there is one, so that a
// reconnection after expiry presents a fresh credential.
function currentToken() {
  if (tokenCommand) return execSync(tokenCommand, { encoding: "utf8" }).trim();
  return process.env.CREDIT_TOKEN;
}

let lastCursor = opts.after;
let received = 0;
let attempt = 0;

function finish(code) {
  process.exit(code);
}

// One connection at a time; when it drops, a new one resumes after the last cursor seen.
function connect() {
  let fatal = false;
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: () => ({ Authorization: `Bearer ${currentToken()}` }),
    retryAttempts: 0,
    on: {
      connected: () => {
        attempt = 0;
        console.error(JSON.stringify({ status: "connected", after: lastCursor }));
      },
      closed: (event) => {
        if (event && event.code === FORBIDDEN) {
          fatal = true;
          console.error("connection refused: 4403 Forbidden (bad or expired token)");
          finish(1);
        }
        if (event && event.code === TOKEN_EXPIRED) {
          if (!tokenCommand) {
            fatal = true;
            console.error("token expired (4401); set CREDIT_TOKEN_COMMAND to renew it");
            finish(1);
          }
          attempt = 0; // not a failure: renew at once
          console.error(JSON.stringify({ status: "token expired", after: lastCursor }));
        }
      },
    },
  });
  const filter = {};
  if (opts.minLevel) filter.minLevel = opts.minLevel;
  if (opts.customerId) filter.customerId = opts.customerId;
  const unsubscribe = client.subscribe(
    { query: QUERY, variables: { filter, after: lastCursor } },
    {
      next: (message) => {
        if (message.errors) {
          console.error(JSON.stringify({ errors: message.errors }));
          finish(1);
        }
        const event = message.data.warningRaised;
        lastCursor = event.cursor;
        received += 1;
        process.stdout.write(`${JSON.stringify({ cursor: event.cursor, ...event.warning })}\n`);
        if (opts.count && received >= opts.count) {
          unsubscribe();
          client.dispose();
          finish(0);
        }
      },
      error: (error) => {
        if (fatal) return;
        if (Array.isArray(error)) {
          console.error(JSON.stringify({ errors: error }));
          finish(1);
        }
        client.dispose();
        attempt += 1;
        const delay = Math.min(200 * 2 ** attempt, 10_000);
        console.error(JSON.stringify({ status: "reconnecting", inMs: delay, after: lastCursor }));
        setTimeout(connect, delay);
      },
      complete: () => finish(0),
    },
  );
}

connect();
