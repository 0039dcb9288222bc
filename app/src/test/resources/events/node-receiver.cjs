// A webhook receiver as an application would write it, verifying with the Standard Webhooks library (npm
// standardwebhooks): node node-receiver.cjs <port> <secret> <out-file>. Each verified event is appended to the out
// file as "<webhook-id> <sequence> <type> <subject>"; a request that does not verify as "INVALID <reason>".
// Misbehaves on request, to test the sender: FAIL_FIRST=n answers 500 to the first n deliveries, then THROTTLE=n
// answers 429 with Retry-After: 1 to the next n, then HANG=n accepts the next n and never answers.
const http = require("node:http");
const fs = require("node:fs");
const { Webhook } = require("standardwebhooks");

const [port, secret, out] = process.argv.slice(2);
const webhook = new Webhook(secret);
let fail = Number(process.env.FAIL_FIRST || 0);
let throttle = Number(process.env.THROTTLE || 0);
let hang = Number(process.env.HANG || 0);

const server = http.createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    if (fail > 0) {
      fail--;
      response.writeHead(500);
      return response.end("not now");
    }
    if (throttle > 0) {
      throttle--;
      response.writeHead(429, { "retry-after": "1" });
      return response.end("slow down");
    }
    if (hang > 0) {
      hang--;
      console.log("holding " + request.headers["webhook-id"]);
      return; // never answers
    }
    try {
      const event = webhook.verify(Buffer.concat(chunks), request.headers);
      fs.appendFileSync(out, `${request.headers["webhook-id"]} ${Number(event.sequence)} ${event.type} ${event.subject}\n`);
      response.writeHead(204);
      response.end();
    } catch (error) {
      fs.appendFileSync(out, `INVALID ${error.message}\n`);
      response.writeHead(400);
      response.end(String(error.message));
    }
  });
});
server.listen(Number(port), "127.0.0.1", () => console.log("listening " + server.address().port));
