// A webhook receiver as an application would write it with the standardwebhooks package: it verifies the raw body
// and headers, answers 204 when they verify and 400 with the library's reason when not. Prints its port first.
const http = require("node:http");
const { Webhook } = require("standardwebhooks");

const webhook = new Webhook(process.argv[2]);
const server = http.createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    try {
      const event = webhook.verify(Buffer.concat(chunks), request.headers);
      console.log("verified " + event.type + " " + event.subject);
      response.writeHead(204);
      response.end();
    } catch (error) {
      console.log("rejected " + error.message);
      response.writeHead(400, { "content-type": "text/plain" });
      response.end(String(error.message));
    }
  });
});
server.listen(0, "127.0.0.1", () => console.log("listening " + server.address().port));
