// Uploads one file with tus-js-client, as a Node application would. Usage:
//   node upload.mjs ENDPOINT API_KEY FILE URL_FILE [RESUME_URL]
// TUS_RETRY_DELAYS (milliseconds, comma-separated) turns on the client's own retries, none by default.
// Prints "url <upload url>" once the upload exists (and writes it to URL_FILE, as an app would keep it),
// "accepted <bytes>" after every chunk the server acknowledged, then "done" or "error <message>".
import * as tus from "tus-js-client";
import fs from "node:fs";

const [endpoint, apiKey, file, urlFile, resumeUrl] = process.argv.slice(2);
const size = fs.statSync(file).size;
const upload = new tus.Upload(fs.createReadStream(file), {
  endpoint,
  uploadUrl: resumeUrl || null,
  uploadSize: size,
  chunkSize: 5 * 1024 * 1024,
  retryDelays: process.env.TUS_RETRY_DELAYS ? process.env.TUS_RETRY_DELAYS.split(",").map(Number) : null,
  headers: { Authorization: `Bearer ${apiKey}` },
  metadata: { filename: file.split("/").pop(), filetype: "text/csv" },
  onUploadUrlAvailable() {
    fs.writeFileSync(urlFile, upload.url);
    console.log(`url ${upload.url}`);
  },
  onChunkComplete(chunkSize, bytesAccepted) {
    console.log(`accepted ${bytesAccepted}`);
  },
  onSuccess() {
    console.log("done");
  },
  onError(error) {
    console.log(`error ${error.message.split("\n")[0]}`);
    process.exitCode = 1;
  },
});
upload.start();
