#!/usr/bin/env python3
"""The benchmark: the app side by side with references measured in the same run on the same machine.

Run it through bench/run.sh, which installs what it needs and builds the app. Every case reports the median of its
runs and the ratio to its reference; bench/README.md explains the cases and the goals.
"""
import argparse
import atexit
import base64
import contextlib
import datetime
import fcntl
import glob
import http.client
import json
import os
import platform
import pwd
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
APP_JAR = os.path.join(ROOT, "app", "target", "files-app.jar")
S3PROXY_JAR = os.path.join(ROOT, "adapter-s3", "target", "s3-servers", "s3proxy.jar")
CEPH_RGW_SCRIPT = os.path.join(ROOT, "adapter-s3", "src", "test", "resources", "dev", "filestaging", "adapter", "s3",
                               "testing", "ceph-rgw.sh")
API_KEY = "fsk_bench_0123456789abcdef"
S3_ACCESS, S3_SECRET = "bench", "benchsecret"
MiB = 1024 * 1024
GiB = 1024 * MiB
ALL_CASES = ["big-local", "big-s3", "memory", "small", "listing", "startup", "rgw", "download", "tus", "scale",
             "events"]


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.02)
    raise RuntimeError(f"{what} did not happen within {timeout} s")


def http_status(port, path, headers=None):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", path, headers=headers or {})
        status = conn.getresponse().status
        conn.close()
        return status
    except OSError:
        return None


def median(values):
    return statistics.median(values) if values else None


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return None
    index = min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[index]


def make_random_file(path, size):
    if os.path.exists(path) and os.path.getsize(path) == size:
        return path
    with open(path, "wb") as out:
        left = size
        while left > 0:
            chunk = os.urandom(min(left, 8 * MiB))
            out.write(chunk)
            left -= len(chunk)
    return path


def curl_seconds(args, expect):
    """Runs curl with -w; returns its total time, after checking the status."""
    out = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{time_total}"] + args,
                         check=True, capture_output=True, text=True).stdout.split()
    if int(out[0]) not in expect:
        raise RuntimeError(f"curl {' '.join(args)} answered {out[0]}")
    return float(out[1])


def proc_io_write_bytes(pid):
    with open(f"/proc/{pid}/io") as f:
        for line in f:
            if line.startswith("write_bytes:"):
                return int(line.split()[1])
    return 0


def proc_cpu_seconds(pid):
    """User plus system CPU time the process has used so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_peak_rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


class HeapSampler:
    """Samples the used heap of a JVM with jstat every 100 ms; keeps the peak."""

    def __init__(self, pid):
        self.process = subprocess.Popen([jdk_tool("jstat"), "-gc", str(pid), "100"], stdout=subprocess.PIPE, text=True)
        self.peak = 0
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        columns = None
        for line in self.process.stdout:
            fields = line.split()
            if fields and fields[0] == "S0C":
                columns = fields
                continue
            if columns and len(fields) == len(columns):
                self.peak = max(self.peak, heap_used_bytes(dict(zip(columns, fields))))

    def stop(self):
        time.sleep(0.3)
        self.process.terminate()
        self.thread.join(timeout=5)
        return self.peak


class App:
    """The app jar in its own process, on a free port, with one API key."""

    def __init__(self, work, storage, jvm_options, data_dir=None, s3=None, settings=None):
        self.port = free_port()
        self.catalog_database = None  # the PostgreSQL database of an S3 app's catalog, when this made one
        env = dict(os.environ)
        env.update({
            "FILES_HTTP_HOST": "127.0.0.1",
            "FILES_HTTP_PORT": str(self.port),
            "FILES_BOOTSTRAP_API_KEY": API_KEY,
            "FILES_MAX_UPLOAD_BYTES": str(64 * GiB),
            "FILES_QUOTA_BYTES": str(1024 * GiB),
            "FILES_STORAGE": storage,
        })
        if storage == "local":
            env["FILES_DATA_DIR"] = data_dir
        else:
            env.update({"FILES_S3_BUCKET": s3.bucket, "FILES_S3_ENDPOINT": s3.endpoint, "FILES_S3_REGION": "us-east-1",
                        "FILES_S3_PATH_STYLE": "true", "AWS_ACCESS_KEY_ID": S3_ACCESS,
                        "AWS_SECRET_ACCESS_KEY": S3_SECRET})
            if "FILES_CATALOG" not in (settings or {}):
                # S3 storage needs a catalog (the bucket-only one is retired): a database per bucket, on one cluster
                pg = shared_postgres(work)
                self.catalog_database = pg.new_database("bench_" + re.sub(r"[^a-z0-9]", "_", s3.bucket.lower()))
                env.update(pg.app_settings(self.catalog_database))
        env.update(settings or {})
        self.log_path = os.path.join(work, f"app-{self.port}.log")
        self.started = time.monotonic()
        self.process = subprocess.Popen(["java"] + jvm_options + ["-jar", APP_JAR], env=env, cwd=work,
                                        stdout=open(self.log_path, "w"), stderr=subprocess.STDOUT)
        try:
            wait_until(lambda: self.process.poll() is None and http_status(self.port, "/health") == 200
                       or self._exited(), 300, "app start")
        except RuntimeError:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - self.started
        self.url = f"http://127.0.0.1:{self.port}/v1/files"

    def _exited(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"the app exited with {self.process.returncode}; see {self.log_path}")
        return False

    @property
    def pid(self):
        return self.process.pid

    def upload_seconds(self, path, name):
        return curl_seconds(["-H", f"Authorization: Bearer {API_KEY}", "-F", f"file=@{path};filename={name}",
                             self.url], expect=(201,))

    def delete(self, name):
        curl_seconds(["-X", "DELETE", "-H", f"Authorization: Bearer {API_KEY}", f"{self.url}/{name}"],
                     expect=(204,))

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Nginx:
    """nginx storing WebDAV PUTs under the work directory: the local-disk reference."""

    def __init__(self, work):
        self.root = os.path.join(work, "nginx")
        shutil.rmtree(self.root, ignore_errors=True)
        for d in ("dav", "tmp", "logs", "files"):
            os.makedirs(os.path.join(self.root, d))
        self.port = free_port()
        config = os.path.join(self.root, "nginx.conf")
        user = "user root;\n" if os.geteuid() == 0 else ""
        with open(config, "w") as f:
            f.write(f"""{user}worker_processes 2;
pid {self.root}/nginx.pid;
error_log {self.root}/logs/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  client_body_temp_path {self.root}/tmp;
  client_max_body_size 0;
  server {{
    listen 127.0.0.1:{self.port};
    location /files/ {{
      root {self.root};
    }}
    location /dav/ {{
      root {self.root};
      dav_methods PUT DELETE;
      create_full_put_path on;
    }}
  }}
}}
""")
        self.config = config
        subprocess.run(["nginx", "-c", config, "-e", os.path.join(self.root, "logs", "error.log")], check=True)
        wait_until(lambda: http_status(self.port, "/") is not None, 10, "nginx start")
        self.url = f"http://127.0.0.1:{self.port}/dav"

    def put_seconds(self, path, name):
        return curl_seconds(["-T", path, f"{self.url}/{name}"], expect=(201, 204))

    def remove(self, name):
        os.remove(os.path.join(self.root, "dav", name))

    def serve(self, path, name):
        """A static file nginx sends with sendfile(2): the download reference."""
        shutil.copyfile(path, os.path.join(self.root, "files", name))
        return f"http://127.0.0.1:{self.port}/files/{name}"

    def stop(self):
        subprocess.run(["nginx", "-c", self.config, "-e", os.path.join(self.root, "logs", "error.log"),
                        "-s", "stop"], check=False)


class S3Proxy:
    """S3Proxy on its file-system back end, the S3 server of the S3 cases, run from the jar the build fetched."""

    def __init__(self, work):
        self.root = os.path.join(work, "s3proxy")
        shutil.rmtree(self.root, ignore_errors=True)
        os.makedirs(os.path.join(self.root, "blobs"))
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        properties = os.path.join(self.root, "s3proxy.properties")
        with open(properties, "w") as f:
            f.write(f"s3proxy.endpoint={self.endpoint}\ns3proxy.authorization=aws-v2-or-v4\n"
                    f"s3proxy.identity={S3_ACCESS}\ns3proxy.credential={S3_SECRET}\n"
                    f"jclouds.provider=filesystem\njclouds.filesystem.basedir={self.root}/blobs\n")
        self.process = subprocess.Popen(["java", "-Xmx1g", "-jar", S3PROXY_JAR, "--properties", properties],
                                        stdout=open(os.path.join(self.root, "s3proxy.log"), "w"),
                                        stderr=subprocess.STDOUT)
        wait_until(lambda: http_status(self.port, "/") is not None, 60, "S3Proxy start")
        self.bucket = None

    # the SDK reference sends the checksums the app sends on this store (auto: all it can)
    checksums = "when_supported"
    reference_connections = 50  # the SDK's default

    def new_bucket(self, name):
        return new_bucket(self, name)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def new_bucket(server, name):
    curl_seconds(["-X", "PUT", "--aws-sigv4", "aws:amz:us-east-1:s3", "--user", f"{S3_ACCESS}:{S3_SECRET}",
                  "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD", f"{server.endpoint}/{name}"], expect=(200,))
    server.bucket = name
    return server


class CephRgw:
    """Ceph's RADOS Gateway 16 on a single-node cluster (memstore OSD), started by the tests' own script."""

    # RGW 16 refuses the SDK's trailer checksums: the app falls back to required-only ones, and so does the reference
    checksums = "when_required"
    # the SDK's default of 50 parts at once timed RGW out (30 s read timeouts on 2 cores); the app sends about two
    reference_connections = 8

    def __init__(self, work):
        self.root = os.path.join(work, "ceph")
        shutil.rmtree(self.root, ignore_errors=True)
        os.makedirs(self.root)
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        subprocess.run(["bash", CEPH_RGW_SCRIPT, self.root, str(self.port), S3_ACCESS, S3_SECRET, str(16 * GiB)], check=True,
                       stdout=open(os.path.join(work, "ceph.log"), "w"), stderr=subprocess.STDOUT, timeout=300)
        wait_until(lambda: http_status(self.port, "/") is not None, 60, "RADOS Gateway start")
        self.bucket = None

    def new_bucket(self, name):
        return new_bucket(self, name)

    def stop(self):
        run = os.path.join(self.root, "run")
        for pid_file in sorted(os.listdir(run)):
            if pid_file.endswith(".pid"):
                try:
                    os.kill(int(open(os.path.join(run, pid_file)).read().strip()), 9)
                except (ProcessLookupError, ValueError):
                    pass
        time.sleep(1)
        shutil.rmtree(self.root, ignore_errors=True)


_SHARED_POSTGRES = []


def shared_postgres(work):
    """The cluster of the S3 cases' catalogs, started at first use and stopped when the benchmark exits."""
    if not _SHARED_POSTGRES:
        pg = Postgres(os.path.join(work, "shared"))
        atexit.register(pg.stop)
        _SHARED_POSTGRES.append(pg)
    return _SHARED_POSTGRES[0]


class Postgres:
    """PostgreSQL (Debian's, the newest installed) in a directory of its own on a free port, with default settings:
    the catalog of the postgres configurations, one database per measurement. initdb refuses root: as root it runs
    as the `postgres` user."""

    def __init__(self, work):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda b: int(b.split("/")[-2]))
        if not bins:
            raise RuntimeError("PostgreSQL is not installed (bench/run.sh installs it)")
        self.bin = bins[-1]
        self.root = os.path.join(work, "postgres")
        shutil.rmtree(self.root, ignore_errors=True)
        os.makedirs(self.root, mode=0o700)
        self.as_owner = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        data, self.log_path = os.path.join(self.root, "data"), os.path.join(self.root, "postgres.log")
        subprocess.run(self.as_owner + [os.path.join(self.bin, "initdb"), "-D", data, "-A", "trust", "-U", "files"],
                       check=True, capture_output=True)
        self.port = free_port()
        self.pg_ctl = self.as_owner + [os.path.join(self.bin, "pg_ctl"), "-D", data, "-l", self.log_path]
        subprocess.run(self.pg_ctl + ["-o", f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1", "-w",
                                      "start"], check=True, capture_output=True)

    def sql(self, database, statements):
        return subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "files", "-d", database, "-X",
                               "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", statements],
                              check=True, capture_output=True, text=True).stdout

    def new_database(self, name):
        self.sql("postgres", f"DROP DATABASE IF EXISTS {name}")
        self.sql("postgres", f"CREATE DATABASE {name}")
        return name

    def app_settings(self, database):
        return {"FILES_CATALOG": "postgres", "FILES_CATALOG_URL": f"jdbc:postgresql://127.0.0.1:{self.port}/{database}",
                "FILES_CATALOG_USER": "files"}

    def seed_files(self, database, count):
        """`count` rows in `files` (the names and contents bench/Seed.java stages: seed-0000000.json ...) and the
        area's counters, in one INSERT ... SELECT from generate_series, as the app writes them (FileRows, Columns):
        name_key is the name's UTF-16BE bytes (a 0 byte before each of these ASCII ones), the instant a whole second
        (nanos 0), the blob id bench-seed-0000000000 (16-64 of [A-Za-z0-9_-]). Rows only: the listing reads no blob, so the blobs are not made; the change log is not filled."""
        self.sql(database, f"""
INSERT INTO areas (organization, project) VALUES ('default', 'default') ON CONFLICT (organization, project) DO NOTHING;
WITH seeded AS (
  INSERT INTO files (area_id, name_key, name, version, size_bytes, digest_algo, digest_hash, uploaded_by, uploaded_on,
                     uploaded_on_nanos, blob_id)
  SELECT a.id, decode(regexp_replace(encode(convert_to(s.name, 'UTF8'), 'hex'), '(..)', '00\\1', 'g'), 'hex'),
         s.name, gen_random_uuid(), octet_length(s.content), 'md5', upper(md5(s.content)), 'bench-seed',
         date_trunc('second', now()), 0, 'bench-seed-' || lpad(s.n::text, 10, '0')
  FROM areas a, LATERAL (SELECT n, 'seed-' || lpad(n::text, 7, '0') || '.json' AS name,
                                '{{"seed":' || n || E'}}\\n' AS content
                         FROM generate_series(0, {count - 1}) n) s
  WHERE a.organization = 'default' AND a.project = 'default'
  RETURNING size_bytes)
UPDATE areas SET files = files + (SELECT count(*) FROM seeded),
                 used_bytes = used_bytes + (SELECT coalesce(sum(size_bytes), 0) FROM seeded)
WHERE organization = 'default' AND project = 'default';
""")
        self.sql(database, "VACUUM ANALYZE files")

    def running(self):
        return subprocess.run(self.pg_ctl + ["status"], capture_output=True).returncode == 0

    def stop(self):
        subprocess.run(self.pg_ctl + ["-m", "fast", "stop"], check=False, capture_output=True)
        if os.path.exists(self.log_path):
            shutil.copyfile(self.log_path, self.root + ".log")  # the server's log outlives its directory
        shutil.rmtree(self.root, ignore_errors=True)


def s3_credentials_env():
    """This environment plus the S3 server's credentials, for the SDK's default chain."""
    return dict(os.environ, AWS_ACCESS_KEY_ID=S3_ACCESS, AWS_SECRET_ACCESS_KEY=S3_SECRET)


def java_tool(source, *args):
    done = subprocess.run(["java", "-cp", APP_JAR, os.path.join(BENCH, source)] + [str(a) for a in args],
                          env=s3_credentials_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{source} failed: {done.stderr[-2000:]}")
    return done.stdout


# ---------------------------------------------------------------------------------------------------------- cases

def case_big_local(opts, work, results):
    big = make_random_file(os.path.join(work, f"big-{opts.big}.bin"), opts.big)
    data = os.path.join(work, "data-big-local")
    shutil.rmtree(data, ignore_errors=True)
    app, nginx = App(work, "local", opts.app_jvm, data_dir=data), Nginx(work)
    try:
        app.upload_seconds(big, "warmup.bin")
        app.delete("warmup.bin")
        app_times, nginx_times, nginx_sync_times, md5_times = [], [], [], []
        for run in range(opts.runs):
            subprocess.run(["sync"], check=True)
            app_times.append(app.upload_seconds(big, f"big-{run}.bin"))
            app.delete(f"big-{run}.bin")
            subprocess.run(["sync"], check=True)
            nginx_times.append(nginx.put_seconds(big, f"big-{run}.bin"))
            # nginx never fsyncs; the app answers 201 only once the file is durable. Same PUT, then fsync it.
            start = time.monotonic()
            subprocess.run(["sync", os.path.join(nginx.root, "dav", f"big-{run}.bin")], check=True)
            nginx_sync_times.append(nginx_times[-1] + time.monotonic() - start)
            nginx.remove(f"big-{run}.bin")
            start = time.monotonic()
            subprocess.run(["md5sum", big], check=True, capture_output=True)
            md5_times.append(time.monotonic() - start)
    finally:
        app.stop()
        nginx.stop()
    results["big-local"] = {"bytes": opts.big, "app": app_times, "nginx_put": nginx_times,
                            "nginx_put_fsync": nginx_sync_times, "md5sum": md5_times}


def case_big_s3(opts, work, results, s3=None, key="big-s3"):
    big = make_random_file(os.path.join(work, f"big-{opts.big}.bin"), opts.big)
    s3 = (s3 or S3Proxy(work)).new_bucket("bench-big")
    app = App(work, "s3", opts.app_jvm, s3=s3)
    sdk = subprocess.Popen(["java", "-cp", APP_JAR, os.path.join(BENCH, "S3Reference.java"), s3.endpoint, "bench-big",
                            big, str(8 * MiB), S3_ACCESS, S3_SECRET, s3.checksums, str(s3.reference_connections)],
                           env=s3_credentials_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    try:
        app.upload_seconds(big, "warmup.bin")
        app.delete("warmup.bin")
        # a reference that fails (the SDK's own file upload timed out on RGW 16) is reported, not fatal
        reference = sdk.stdout.readline().strip() == "ready"
        app_times, sdk_times = [], []
        for run in range(opts.runs):  # alternate, so both meet the store in the same state
            app_times.append(app.upload_seconds(big, f"big-{run}.bin"))
            app.delete(f"big-{run}.bin")
            if reference:
                sdk.stdin.write("go\n")
                sdk.stdin.flush()
                answer = sdk.stdout.readline().strip()
                reference = bool(answer)
                if reference:
                    sdk_times.append(float(answer))
    finally:
        try:
            sdk.stdin.close()
        except BrokenPipeError:
            pass
        sdk.wait(timeout=60)
        app.stop()
        s3.stop()
    results[key] = {"bytes": opts.big, "app": app_times, "sdk_put": sdk_times}


def tus_upload_seconds(app, chunks, size, name):
    """Creates a tus upload of `size` bytes and sends `chunks` (files) in one PATCH each; returns the seconds it took."""
    auth = ["-H", f"Authorization: Bearer {API_KEY}", "-H", "Tus-Resumable: 1.0.0"]
    base = f"http://127.0.0.1:{app.port}/v1/uploads"
    start = time.monotonic()
    created = subprocess.run(["curl", "-s", "-D", "-", "-o", "/dev/null", "-X", "POST"] + auth
                             + ["-H", f"Upload-Length: {size}", "-H",
                                "Upload-Metadata: filename " + base64.b64encode(name.encode()).decode(), base],
                             capture_output=True, text=True, check=True).stdout
    location = next(line.split(":", 1)[1].strip() for line in created.splitlines()
                    if line.lower().startswith("location:"))
    offset = 0
    for chunk in chunks:
        status = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PATCH"] + auth
                                + ["-H", "Content-Type: application/offset+octet-stream",
                                   "-H", f"Upload-Offset: {offset}", "-T", chunk, location],
                                capture_output=True, text=True, check=True).stdout
        if status != "204":
            raise RuntimeError(f"PATCH at {offset} answered {status}")
        offset += os.path.getsize(chunk)
    return time.monotonic() - start


def case_tus(opts, work, results):
    """One big file through tus in 50 MiB PATCHes against one multipart POST, on local disk and S3Proxy."""
    big = make_random_file(os.path.join(work, f"big-{opts.big}.bin"), opts.big)
    chunk_dir = os.path.join(work, "tus-chunks")
    shutil.rmtree(chunk_dir, ignore_errors=True)
    os.makedirs(chunk_dir)
    subprocess.run(["split", "-b", str(50 * MiB), "-d", "-a", "4", big, os.path.join(chunk_dir, "c")], check=True)
    chunks = sorted(os.path.join(chunk_dir, c) for c in os.listdir(chunk_dir))
    for storage in ("local", "s3"):
        s3 = S3Proxy(work).new_bucket("bench-tus") if storage == "s3" else None
        data = os.path.join(work, "data-tus")
        shutil.rmtree(data, ignore_errors=True)
        app = App(work, storage, opts.app_jvm, data_dir=data, s3=s3)
        try:
            app.upload_seconds(big, "warmup.bin")
            app.delete("warmup.bin")
            multipart, tus = [], []
            for run in range(opts.runs):
                multipart.append(app.upload_seconds(big, f"multipart-{run}.bin"))
                app.delete(f"multipart-{run}.bin")
                tus.append(tus_upload_seconds(app, chunks, opts.big, f"tus-{run}.bin"))
                app.delete(f"tus-{run}.bin")
        finally:
            app.stop()
            if s3:
                s3.stop()
        results[f"tus-{storage}"] = {"bytes": opts.big, "chunks": len(chunks), "multipart": multipart, "tus": tus}


def case_rgw(opts, work, results):
    """The big S3 upload and the listings on Ceph RGW, each on a cluster of its own."""
    case_big_s3(opts, work, results, CephRgw(work), "big-rgw")
    rgw = CephRgw(work)
    listings = {}
    try:
        for count in opts.listing_counts:
            rgw.new_bucket(f"bench-list-{count}")
            app = App(work, "s3", opts.app_jvm, s3=rgw)
            if count:
                # rows only, as the scale case seeds them: a listing reads no blob
                shared_postgres(work).seed_files(app.catalog_database, count)
                log(f"seeded {count} files in the RGW bucket's PostgreSQL catalog")
            try:
                listings[f"rgw-{count}"] = dict(time_listing(app, opts.listing_requests, opts.listing_seconds),
                                                storage="rgw")
            finally:
                app.stop()
    finally:
        rgw.stop()
    results.setdefault("listing", {}).update(listings)


SCALE_CONFIGS = ["local", "postgres", "postgres-rgw"]
# what each configuration runs on: (FILES_STORAGE, catalog, S3 server)
SCALE_SETUPS = {"local": ("local", "local", None), "postgres": ("local", "postgres", None),
                "postgres-rgw": ("s3", "postgres", "rgw")}


@contextlib.contextmanager
def holding(lock_path):
    """Holds an flock on `lock_path` (if any) meanwhile: the machine's other heavy jobs wait, and so do we."""
    if not lock_path:
        yield
        return
    with open(lock_path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def seed_name(n):
    """The n-th name bench/Seed.java and Postgres.seed_files stage."""
    return f"seed-{n:07d}.json"


def continuation_token(last_name):
    """The app's `cont` token (ContinuationToken): the last name of the page before, base64url, no padding."""
    return "n1." + base64.urlsafe_b64encode(last_name.encode()).decode().rstrip("=")


def create_open_uploads(app, count, clients=4):
    """`count` tus uploads created (`POST /v1/uploads`, Upload-Length 1 MiB) and left open, `clients` at a time."""
    def some(first):
        conn = http.client.HTTPConnection("127.0.0.1", app.port, timeout=60)
        for n in range(first, count, clients):
            name = base64.b64encode(f"scale-open-{n:05d}.bin".encode()).decode()
            conn.request("POST", "/v1/uploads", headers={"Authorization": f"Bearer {API_KEY}",
                                                         "Tus-Resumable": "1.0.0", "Upload-Length": str(MiB),
                                                         "Upload-Metadata": f"filename {name}"})
            response = conn.getresponse()
            response.read()
            if response.status != 201:
                failures.append(response.status)
                return
        conn.close()
    failures = []
    threads = [threading.Thread(target=some, args=(c,)) for c in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise RuntimeError(f"creating open uploads answered {failures}")


class ScaleClient:
    """One keep-alive connection to the app: timed uploads and listings."""

    def __init__(self, app):
        self.conn = http.client.HTTPConnection("127.0.0.1", app.port, timeout=3600)
        self.auth = {"Authorization": f"Bearer {API_KEY}"}

    def upload(self, name, content):
        boundary = "benchboundary7MA4YWxkTrZu0gW"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                f"Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        start = time.monotonic()
        self.conn.request("POST", "/v1/files", body=body,
                          headers=dict(self.auth, **{"Content-Type": f"multipart/form-data; boundary={boundary}"}))
        response = self.conn.getresponse()
        answer = response.read()
        seconds = time.monotonic() - start
        if response.status != 201:
            raise RuntimeError(f"an upload answered {response.status}: {answer[:300]!r}")
        return seconds

    def listing(self, query=""):
        """`GET /v1/files` + query: seconds, the parsed answer, its bytes."""
        start = time.monotonic()
        self.conn.request("GET", "/v1/files" + query, headers=self.auth)
        response = self.conn.getresponse()
        body = response.read()
        seconds = time.monotonic() - start
        if response.status != 200:
            raise RuntimeError(f"GET /v1/files{query} answered {response.status}: {body[:300]!r}")
        return seconds, json.loads(body), len(body)

    def close(self):
        self.conn.close()


def has_space(answer):
    space = answer.get("space") or {}
    return all(isinstance(space.get(k), int) for k in ("allocatedBytes", "usedBytes", "remainingBytes"))


def measure_scale(app, count, opts, deadline):
    """On a fresh instance, after a short warm-up (uploads and pages, unrecorded, the same at every size): small
    uploads one after the other, pages of 1,000 at positions spread over the area (in random order, started from
    a made `cont` token), `?limit=1` (the `space` figure and little else), a walk of every page, the unpaged listing.
    Each part stops at the deadline (the bucket-only catalog)."""
    client = ScaleClient(app)
    content = os.urandom(opts.small_size)
    out = {"startup_seconds": app.startup_seconds, "upload_bytes": opts.small_size}
    try:
        for n in range(opts.scale_warmup):
            client.upload(f"scale-warm-{n:04d}.bin", content)
        for _ in range(min(3, opts.scale_warmup)):
            client.listing("?limit=1000")
        uploads = []
        for n in range(opts.scale_uploads):
            uploads.append(client.upload(f"scale-up-{n:04d}.bin", content))
            if time.monotonic() > deadline:
                break
        out.update(uploads=uploads, upload_p50=percentile(uploads, 50), upload_p99=percentile(uploads, 99))
        # full pages from positions evenly spread over the seeded names (the area's last: the uploads' "scale-"
        # names sort before "seed-"); an area of 1,000 files or fewer has one page, read that many times
        span = max(0, count - 1000)
        starts = [round(i * span / max(1, opts.scale_pages - 1)) for i in range(opts.scale_pages)]
        random.Random(7).shuffle(starts)
        pages, space_everywhere = [], True
        for first in starts:
            seconds, answer, _ = client.listing("?limit=1000" + (f"&cont={continuation_token(seed_name(first - 1))}"
                                                                 if first else ""))
            if not answer["files"] or (first and answer["files"][0]["name"] != seed_name(first)):
                raise RuntimeError(f"the page from {seed_name(first)} started at {answer['files'][:1]}")
            pages.append(seconds)
            space_everywhere &= has_space(answer)
            if time.monotonic() > deadline:
                break
        out.update(pages=pages, page_p50=percentile(pages, 50), page_p99=percentile(pages, 99))
        tiny = []
        for _ in range(max(3, opts.scale_pages // 5)):
            seconds, answer, _ = client.listing("?limit=1")
            tiny.append(seconds)
            space_everywhere &= has_space(answer)
        out.update(tiny=tiny, tiny_p50=percentile(tiny, 50))
        walk_start, cont, walked, listed = time.monotonic(), None, 0, 0
        while True:
            _, answer, _ = client.listing("?limit=1000" + (f"&cont={cont}" if cont else ""))
            walked, listed = walked + 1, listed + len(answer["files"])
            space_everywhere &= has_space(answer)
            cont = answer.get("cont")
            if not cont or time.monotonic() > deadline:
                break
        out.update(walk_seconds=time.monotonic() - walk_start, walk_pages=walked, walk_files=listed,
                   walk_complete=not cont)
        unpaged = []
        if count <= opts.scale_unpaged_max:
            for _ in range(2):
                if time.monotonic() > deadline:
                    break
                seconds, answer, size = client.listing()
                unpaged.append(seconds)
                space_everywhere &= has_space(answer)
                out.update(unpaged_files=len(answer["files"]), unpaged_bytes=size)
        out.update(unpaged=unpaged, space_everywhere=space_everywhere)
    finally:
        client.close()
    return out


def case_scale(opts, work, results):
    """The catalog at scale: each configuration with areas of growing size (plus open uploads at the largest ones),
    each measured on a freshly started instance; each size seeded and measured while holding --lock."""
    out = results.setdefault("scale", {})
    configs = opts.scale_configs
    pg = rgw = None
    try:
        for config in configs:
            storage, catalog, server = SCALE_SETUPS[config]
            counts = list(opts.scale_counts)
            if catalog == "postgres":
                counts += opts.scale_postgres_counts
            for count in counts:
                with holding(opts.lock):
                    log(f"scale: {config}, {count:,} files")
                    try:
                        if catalog == "postgres" and (pg is None or not pg.running()):
                            pg = Postgres(work)
                        if server == "rgw" and rgw is None:
                            rgw = CephRgw(work)
                        out[f"{config}-{count}"] = dict(scale_one(opts, work, config, count, pg, rgw),
                                                        config=config, files=count)
                    except (OSError, RuntimeError, subprocess.SubprocessError, KeyError, ValueError) as e:
                        # the other sizes' figures are kept; the report shows this one as failed
                        log(f"  failed: {e!r}")
                        out[f"{config}-{count}"] = {"config": config, "files": count, "error": repr(e)[:300]}
    finally:
        if pg:
            pg.stop()
        if rgw:
            rgw.stop()


def scale_one(opts, work, config, count, pg, rgw):
    storage, catalog, server = SCALE_SETUPS[config]
    data = os.path.join(work, "data-scale")
    shutil.rmtree(data, ignore_errors=True)
    s3 = rgw.new_bucket(f"bench-scale-{config}-{count}") if server else None
    settings = {"FILES_MAX_OPEN_UPLOADS": str(max(1000, 2 * opts.scale_open_uploads))}
    if catalog == "postgres":
        settings.update(pg.app_settings(pg.new_database(f"scale_{config.replace('-', '_')}_{count}")))
    open_uploads = opts.scale_open_uploads if count >= opts.scale_open_from else 0
    start = time.monotonic()
    if catalog == "local":
        log("  " + java_tool("Seed.java", "local", data, count).strip())
    if catalog == "postgres" or open_uploads:
        # an instance of its own: it creates the schema (postgres), then takes the open uploads
        app = App(work, storage, opts.app_jvm, data_dir=data, s3=s3, settings=settings)
        try:
            if catalog == "postgres":
                pg.seed_files(settings["FILES_CATALOG_URL"].rsplit("/", 1)[1], count)
            create_open_uploads(app, open_uploads)
        finally:
            app.stop()
    seeded = time.monotonic() - start
    log(f"  seeded {count:,} files and {open_uploads:,} open uploads in {seeded:.1f} s; a fresh instance measures")
    app = App(work, storage, opts.app_jvm, data_dir=data, s3=s3, settings=settings)
    try:
        deadline = time.monotonic() + 24 * 3600
        measured = measure_scale(app, count, opts, deadline)
    finally:
        app.stop()
    if storage == "local":
        shutil.rmtree(data, ignore_errors=True)
    return dict(measured, open_uploads=open_uploads, seed_seconds=seeded, storage=storage, catalog=catalog,
                server=server or "")


def reset_peak_rss(pid):
    """Starts VmHWM afresh (Linux's clear_refs), so the next peak is the measured upload's own."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        log("cannot reset the peak RSS (clear_refs): it includes the warm-up")


def measure_one_upload(app, path, name, warmup):
    # One upload first, so the collector has cycled through its young generation: the first upload of a
    # fresh JVM would otherwise look lighter only because it ended before the first collection.
    app.upload_seconds(warmup, "warmup.bin")
    app.delete("warmup.bin")
    reset_peak_rss(app.pid)
    io_before = proc_io_write_bytes(app.pid)
    sampler = HeapSampler(app.pid)
    seconds = app.upload_seconds(path, name)
    peak_heap = sampler.stop()
    peak_rss, written = proc_peak_rss_bytes(app.pid), proc_io_write_bytes(app.pid) - io_before
    return {"seconds": seconds, "peak_rss": peak_rss, "peak_heap": peak_heap, "write_bytes": written,
            "young_collections": young_collections(app.pid), "retained_heap": retained_heap(app.pid)}


def jdk_tool(name):
    return os.path.join(os.path.dirname(os.path.realpath(shutil.which("java"))), name)


def jstat_gc(pid):
    """One `jstat -gc` row of a JVM, by column name."""
    lines = subprocess.run([jdk_tool("jstat"), "-gc", str(pid)], capture_output=True, text=True).stdout.split("\n")
    return dict(zip(lines[0].split(), lines[1].split()))


def heap_used_bytes(gc_row):
    return int(sum(float(gc_row[c]) for c in ("S0U", "S1U", "EU", "OU")) * 1024)


def young_collections(pid):
    return int(jstat_gc(pid)["YGC"])


def retained_heap(pid):
    """The heap still used after a full collection: what the upload left behind."""
    subprocess.run([jdk_tool("jcmd"), str(pid), "GC.run"], capture_output=True, check=True)
    return heap_used_bytes(jstat_gc(pid))


def case_memory(opts, work, results):
    out = {}
    warmup = make_random_file(os.path.join(work, "mem-warmup.bin"), opts.memory_sizes[0])
    s3 = S3Proxy(work)
    try:
        for size in opts.memory_sizes:
            path = make_random_file(os.path.join(work, f"mem-{size}.bin"), size)
            data = os.path.join(work, f"data-mem-{size}")
            shutil.rmtree(data, ignore_errors=True)
            for storage in ("local", "s3"):
                app = App(work, storage, opts.memory_jvm, data_dir=data,
                          s3=s3.new_bucket(f"bench-mem-{size}") if storage == "s3" else None)
                try:
                    out[f"{storage}-{size}"] = dict(measure_one_upload(app, path, "mem.bin", warmup), bytes=size,
                                                    storage=storage)
                finally:
                    app.stop()
    finally:
        s3.stop()
    results["memory"] = out


WRK_SCRIPT = r"""
local counter = 0
function setup(thread)
  thread_ids = (thread_ids or 0) + 1
  thread:set("tid", thread_ids)
end
function init(args)
  local f = io.open(args[1], "rb"); content = f:read("*a"); f:close()
  mode, key, run = args[2], args[3], args[4]
end
function request()
  counter = counter + 1
  local name = "s" .. run .. "-" .. tid .. "-" .. counter .. ".bin"
  if mode == "app" then
    local b = "benchboundary7MA4YWxkTrZu0gW"
    local body = "--" .. b .. "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" .. name ..
      "\"\r\nContent-Type: application/octet-stream\r\n\r\n" .. content .. "\r\n--" .. b .. "--\r\n"
    return wrk.format("POST", "/v1/files",
      {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "multipart/form-data; boundary=" .. b}, body)
  end
  return wrk.format("PUT", "/dav/small/" .. name, nil, content)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\nRESULT {"requests":%d,"duration_us":%d,"status_errors":%d,"socket_errors":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def run_wrk(work, base_url, mode, payload, opts, run):
    # Dirty pages left by earlier cases make every fsync wait for them (ext4 data=ordered): start clean.
    subprocess.run(["sync"], check=True)
    script = os.path.join(work, "small.lua")
    with open(script, "w") as f:
        f.write(WRK_SCRIPT)
    out = subprocess.run(["wrk", "-t2", f"-c{opts.small_clients}", f"-d{opts.small_seconds}s", "--timeout", "30s",
                          "-s", script, base_url, "--", payload, mode, API_KEY, str(run)],
                         check=True, capture_output=True, text=True).stdout
    result = json.loads(out.split("RESULT ", 1)[1])
    result["per_second"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def case_small(opts, work, results):
    payload = make_random_file(os.path.join(work, f"small-{opts.small_size}.bin"), opts.small_size)
    out = {"bytes": opts.small_size, "clients": opts.small_clients, "seconds": opts.small_seconds}
    for storage in ("local", "s3"):
        s3 = S3Proxy(work).new_bucket("bench-small") if storage == "s3" else None
        data = os.path.join(work, "data-small")
        shutil.rmtree(data, ignore_errors=True)
        app = App(work, storage, opts.app_jvm, data_dir=data, s3=s3)
        try:
            # a JVM serves its first seconds from the interpreter: one unrecorded run first (nginx needs none)
            run_wrk(work, f"http://127.0.0.1:{app.port}", "app", payload, opts, 0)
            out[f"app-{storage}"] = run_wrk(work, f"http://127.0.0.1:{app.port}", "app", payload, opts, 1)
        finally:
            app.stop()
            if s3:
                s3.stop()
    nginx = Nginx(work)
    try:
        out["nginx"] = run_wrk(work, f"http://127.0.0.1:{nginx.port}", "nginx", payload, opts, 1)
    finally:
        nginx.stop()
    results["small"] = out


def time_listing(app, max_requests, max_seconds):
    """The first (cold) listing, one warm-up, then warm ones until max_requests or max_seconds (at least 3).

    A listing slower than a quarter of max_seconds (100,000 files in S3Proxy: its LIST pages cost O(files) each, so
    one listing takes minutes) gets a single warm sample instead.
    """
    conn = http.client.HTTPConnection("127.0.0.1", app.port, timeout=3600)
    headers = {"Authorization": f"Bearer {API_KEY}"}

    def one():
        start = time.monotonic()
        conn.request("GET", "/v1/files", headers=headers)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"listing answered {response.status}: {body[:300]!r}")
        return time.monotonic() - start, body

    first, body = one()
    files, body_bytes = len(json.loads(body)["files"]), len(body)
    samples = []
    if first > max_seconds / 4:
        samples.append(one()[0])
    else:
        one()
        deadline = time.monotonic() + max_seconds
        while len(samples) < max_requests and (time.monotonic() < deadline or len(samples) < 3):
            samples.append(one()[0])
    conn.close()
    return {"files": files, "body_bytes": body_bytes, "first_seconds": first, "samples": samples,
            "p50": percentile(samples, 50), "p99": percentile(samples, 99)}


def time_pages(app, limit, max_pages):
    """Walks the area in pages of `limit` with their `cont` tokens (at most `max_pages`): each page's seconds."""
    conn = http.client.HTTPConnection("127.0.0.1", app.port, timeout=600)
    headers = {"Authorization": f"Bearer {API_KEY}"}
    samples, cont = [], None
    while len(samples) < max_pages:
        start = time.monotonic()
        conn.request("GET", f"/v1/files?limit={limit}" + (f"&cont={cont}" if cont else ""), headers=headers)
        response = conn.getresponse()
        body = json.loads(response.read())
        samples.append(time.monotonic() - start)
        if response.status != 200:
            raise RuntimeError(f"a page answered {response.status}: {body}")
        cont = body.get("cont")
        if not cont:
            break
    conn.close()
    return {"limit": limit, "pages": len(samples), "samples": samples, "p50": percentile(samples, 50),
            "p99": percentile(samples, 99)}


def case_listing_and_startup(opts, work, results, listing, startup):
    listings, startups = {}, {}
    counts = sorted(set((opts.listing_counts if listing else []) + (opts.startup_counts if startup else [])))
    s3 = S3Proxy(work)
    try:
        for storage in opts.listing_storages:
            for count in counts:
                data = os.path.join(work, f"data-list-{count}")
                bucket = f"bench-list-{count}"
                catalog = None  # the S3 bucket's catalog, shared by every instance started on it below
                if storage == "local":
                    shutil.rmtree(data, ignore_errors=True)
                    if count:
                        log(f"seeding {count} files on local disk: " + java_tool("Seed.java", "local", data, count).strip())
                else:
                    s3.new_bucket(bucket)
                    # the bucket's PostgreSQL catalog: its first instance creates the schema; rows are seeded into it
                    # (a listing reads no blob), and every later instance opens the same database
                    first = App(work, storage, opts.app_jvm, s3=s3)
                    first.stop()
                    catalog = shared_postgres(work).app_settings(first.catalog_database)
                    if count:
                        shared_postgres(work).seed_files(first.catalog_database, count)
                        log(f"seeded {count} files in the S3 bucket's PostgreSQL catalog")
                if startup and count in opts.startup_counts:
                    times = []
                    for _ in range(opts.startup_runs):
                        app = App(work, storage, opts.app_jvm, data_dir=data, s3=s3, settings=catalog)
                        times.append(app.startup_seconds)
                        app.stop()
                    startups[f"{storage}-{count}"] = {"files": count, "storage": storage, "seconds": times}
                if listing and count in opts.listing_counts:
                    app = App(work, storage, opts.app_jvm, data_dir=data, s3=s3, settings=catalog)
                    try:
                        time_pages(app, 1000, 3)  # warm-up
                        listings[f"{storage}-{count}"] = dict(time_listing(app, opts.listing_requests,
                                                                           opts.listing_seconds), storage=storage,
                                                              paged=time_pages(app, 1000,
                                                                               100 if storage == "local" else 3))
                    finally:
                        app.stop()
                if storage == "local":
                    shutil.rmtree(data, ignore_errors=True)
    finally:
        s3.stop()
    if listing:
        results.setdefault("listing", {}).update(listings)
    if startup:
        results["startup"] = startups


def download_seconds(url, headers=()):
    args = []
    for header in headers:
        args += ["-H", header]
    return curl_seconds(args + [url], expect=(200,))


def s3_content_url(s3, bucket):
    """The one content object the app stored in the bucket, read with S3's own GET as the reference."""
    listing = subprocess.run(["curl", "-sS", "--aws-sigv4", "aws:amz:us-east-1:s3", "--user", f"{S3_ACCESS}:{S3_SECRET}",
                              "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD", f"{s3.endpoint}/{bucket}?list-type=2"], check=True, capture_output=True,
                             text=True).stdout
    # a finished blob: {prefix}blobs/{id} (blob-tails/ hold unfinished blobs' pieces)
    keys = [k for k in listing.replace("</Key>", "<Key>").split("<Key>")[1::2]
            if re.search(r"(^|/)blobs/[^/]+$", k)]
    if len(keys) != 1:
        raise RuntimeError(f"expected one content object in {bucket}, found {keys} in {listing[:2000]}")
    return f"{s3.endpoint}/{bucket}/{keys[0]}"


def ranged_reads(port, path, size, count, length):
    """`count` reads of `length` bytes at random offsets on one keep-alive connection: latencies in seconds."""
    import random
    rng = random.Random(7)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    samples = []
    for _ in range(count):
        first = rng.randrange(0, max(1, size - length))
        start = time.monotonic()
        conn.request("GET", path, headers={"Authorization": f"Bearer {API_KEY}",
                                           "Range": f"bytes={first}-{first + length - 1}"})
        response = conn.getresponse()
        body = response.read()
        samples.append(time.monotonic() - start)
        if response.status != 206 or len(body) != min(length, size - first):
            raise RuntimeError(f"a ranged read answered {response.status} with {len(body)} bytes")
    conn.close()
    return samples


def parallel_downloads(url, clients):
    """`clients` curls downloading `url` at once: seconds until the last one finished."""
    start = time.monotonic()
    curls = [subprocess.Popen(["curl", "-sS", "-f", "-o", "/dev/null", "-H", f"Authorization: Bearer {API_KEY}", url])
             for _ in range(clients)]
    for c in curls:
        if c.wait() != 0:
            raise RuntimeError("a parallel download failed")
    return time.monotonic() - start


class Receiver:
    """A webhook receiver on this machine: answers 204 and notes when each event arrived (wall clock, as the
    event's own time is the catalog's on the same machine)."""

    def __init__(self):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        arrivals = self.arrivals = []

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keeps connections open, as receivers behind any web server do

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                arrivals.append((time.time(), json.loads(body)))
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/in"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()


def api_json(port, method, path, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {API_KEY}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    answer = connection.getresponse()
    data = answer.read()
    connection.close()
    if answer.status >= 300:
        raise RuntimeError(f"{method} {path}: {answer.status} {data[:300]}")
    return json.loads(data) if data else None


def upload_small(port, name, payload):
    boundary = "bench-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\r\n".encode()
            + payload + f"\r\n--{boundary}--\r\n".encode())
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("POST", "/v1/files", body=body, headers={
        "Authorization": f"Bearer {API_KEY}", "Content-Type": f"multipart/form-data; boundary={boundary}"})
    answer = connection.getresponse()
    answer.read()
    connection.close()
    if answer.status != 201:
        raise RuntimeError(f"upload {name}: {answer.status}")


def case_events(opts, work, results):
    """Commit to delivery latency with a local receiver; small-upload throughput without and with a webhook
    delivering every commit; reading a feed of many events."""
    out = {"uploads": opts.events_uploads, "feed_events": opts.events_feed}
    payload = make_random_file(os.path.join(work, f"small-{opts.small_size}.bin"), opts.small_size)
    data = os.path.join(work, "data-events")
    shutil.rmtree(data, ignore_errors=True)
    app = App(work, "local", opts.app_jvm, data_dir=data, settings={"FILES_WEBHOOKS_ALLOW_PRIVATE_TARGETS": "true"})
    receiver = Receiver()
    try:
        base = f"http://127.0.0.1:{app.port}"
        run_wrk(work, base, "app", payload, opts, 0)  # warm-up, unrecorded
        # throughput without any webhook, then with one receiving every commit of the run (wrk names its files
        # s<run>-...) while it runs, twice each, alternating
        out["wrk_without"], out["wrk_with"] = [], []
        for round_ in range(2):
            cpu = proc_cpu_seconds(app.pid)
            out["wrk_without"].append(run_wrk(work, base, "app", payload, opts, 1 + 2 * round_))
            out["wrk_without"][-1]["app_cpu_seconds"] = proc_cpu_seconds(app.pid) - cpu
            run = 2 + 2 * round_
            hook = api_json(app.port, "POST", "/v1/webhooks", {"url": receiver.url, "types": ["file.committed"],
                                                                "pattern": f"s{run}-*"})
            cpu = proc_cpu_seconds(app.pid)
            out["wrk_with"].append(run_wrk(work, base, "app", payload, opts, run))
            out["wrk_with"][-1]["app_cpu_seconds"] = proc_cpu_seconds(app.pid) - cpu
            wait_until(lambda: len([a for a in receiver.arrivals if a[1]["subject"].startswith(f"s{run}-")])
                       >= out["wrk_with"][-1]["requests"] - out["wrk_with"][-1]["status_errors"], 300,
                       "the deliveries of the run")
            api_json(app.port, "DELETE", f"/v1/webhooks/{hook['id']}")
        # latency: one upload at a time, 50 ms apart, each delivered to the receiver (nothing else to deliver)
        hook = api_json(app.port, "POST", "/v1/webhooks", {"url": receiver.url, "pattern": "lat-*"})
        receiver.arrivals.clear()
        small = os.urandom(1024)
        for i in range(opts.events_uploads):
            upload_small(app.port, f"lat-{i:05d}.csv", small)
            time.sleep(0.05)
        wait_until(lambda: len([a for a in receiver.arrivals if a[1]["subject"].startswith("lat-")])
                   >= opts.events_uploads, 120, "every delivery")
        latencies = []
        for arrived, event in receiver.arrivals:
            if event["subject"].startswith("lat-"):
                committed = datetime.datetime.fromisoformat(event["time"][:26] + "+00:00").timestamp()
                latencies.append(arrived - committed)
        out["latency"] = sorted(latencies)
        # the feed: enough events, then read from the start in pages of 1,000
        latest = api_json(app.port, "GET", f"/v1/webhooks/{hook['id']}")["progress"][0]["deliveredSequence"]
        missing = max(0, opts.events_feed - latest)
        names = [f"feed-{i:06d}.csv" for i in range(missing)]
        threads = []
        for part in range(8):
            t = threading.Thread(target=lambda chunk: [upload_small(app.port, n, small) for n in chunk],
                                 args=(names[part::8],))
            t.start()
            threads.append(t)
        for t in threads:
            t.join()
        reads = []
        for run in range(opts.runs):
            started = time.monotonic()
            cursor, total = None, 0
            while total < opts.events_feed:
                page = api_json(app.port, "GET", f"/v1/events?limit={min(1000, opts.events_feed - total)}"
                                + (f"&after={cursor}" if cursor else ""))
                if not page["events"]:
                    break
                total += len(page["events"])
                cursor = page["cursor"]
            reads.append(time.monotonic() - started)
        out["feed_total"] = total
        out["feed_seconds"] = reads
    finally:
        receiver.stop()
        app.stop()
    results["events"] = out


def case_download(opts, work, results):
    """Downloads: the app against nginx's sendfile (local) and S3's own GET (S3Proxy); ranges; 8 clients, small heap."""
    big = make_random_file(os.path.join(work, f"big-{opts.big}.bin"), opts.big)
    auth = f"Authorization: Bearer {API_KEY}"
    out = {"bytes": opts.big, "clients": opts.download_clients, "range_bytes": opts.range_bytes}
    data = os.path.join(work, "data-download")
    shutil.rmtree(data, ignore_errors=True)
    s3 = S3Proxy(work)
    nginx = Nginx(work)
    try:
        for storage in ("local", "s3"):
            bucket = f"bench-download-{storage}"
            app = App(work, storage, opts.memory_jvm, data_dir=data, s3=s3.new_bucket(bucket) if storage == "s3" else None)
            try:
                app.upload_seconds(big, "big.bin")
                url = f"{app.url}/big.bin/content"
                reference = nginx.serve(big, "big.bin") if storage == "local" else s3_content_url(s3, bucket)
                download_seconds(url, [auth])  # warm-up
                app_times, reference_times = [], []
                for _ in range(opts.runs):
                    app_times.append(download_seconds(url, [auth]))
                    if storage == "local":
                        reference_times.append(download_seconds(reference))
                    else:
                        reference_times.append(curl_seconds(["--aws-sigv4", "aws:amz:us-east-1:s3", "--user",
                                                             f"{S3_ACCESS}:{S3_SECRET}", "-H",
                                                             "x-amz-content-sha256: UNSIGNED-PAYLOAD", reference],
                                                            expect=(200,)))
                samples = ranged_reads(app.port, "/v1/files/big.bin/content", opts.big, opts.range_reads,
                                       opts.range_bytes)
                sampler = HeapSampler(app.pid)
                download_seconds(url, [auth])
                one_peak = sampler.stop()
                sampler = HeapSampler(app.pid)
                parallel = parallel_downloads(url, opts.download_clients)
                many_peak = sampler.stop()
                out[storage] = {"app": app_times, "reference": reference_times, "ranged": samples,
                                "ranged_p50": percentile(samples, 50), "ranged_p99": percentile(samples, 99),
                                "parallel_seconds": parallel, "peak_heap_one": one_peak, "peak_heap_parallel": many_peak,
                                "peak_rss": proc_peak_rss_bytes(app.pid)}
            finally:
                app.stop()
    finally:
        nginx.stop()
        s3.stop()
    results["download"] = out


# --------------------------------------------------------------------------------------------------------- report

def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()
    nginx = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()
    return {"cores": os.cpu_count(), "cpu": cpu, "memory_gib": round(os.sysconf("SC_PHYS_PAGES") *
                                                                     os.sysconf("SC_PAGE_SIZE") / GiB, 1),
            "kernel": platform.release(), "java": java[0] if java else "?", "java_runtime": java[1] if len(java) > 1 else "",
            "nginx": nginx, "wrk": subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines()[0]}


def mb_per_s(size, seconds):
    return size / seconds / 1e6 if seconds else None


def fmt(value, unit="", digits=2):
    return "—" if value is None else f"{value:.{digits}f}{unit}"


def goal_row(name, value, goal_text, met):
    return f"| {name} | {value} | {goal_text} | {'met' if met else '**not met**'} |"


def cpu_per_upload(runs):
    """The app's CPU seconds per request over wrk runs."""
    return sum(m["app_cpu_seconds"] for m in runs) / sum(m["requests"] for m in runs)


def rates(runs):
    """The upload rates of wrk runs, as text."""
    return ", ".join(f"{m['per_second']:.0f}" for m in runs)


def report(results, info, opts, path_md, path_png):
    lines = [f"# Benchmark run {info['started']}", "",
             f"Machine: {info['machine']['cores']} cores ({info['machine']['cpu']}), "
             f"{info['machine']['memory_gib']} GiB, Linux {info['machine']['kernel']}; {info['machine']['java']}, "
             f"{info['machine']['java_runtime']}; {info['machine']['nginx']}; {info['machine']['wrk']}.", "",
             f"App JVM options: `{' '.join(opts.app_jvm)}` (memory case: `{' '.join(opts.memory_jvm)}`). Runs per case: {opts.runs} (medians below; raw figures at the end). "
             f"Command: `bench/run.sh {' '.join(sys.argv[1:])}`.", ""]
    goals = []
    if "big-local" in results:
        r = results["big-local"]
        app, ngx, ngx_sync, md5 = (median(r[k]) for k in ("app", "nginx_put", "nginx_put_fsync", "md5sum"))
        slower = max(ngx, md5)
        lines += [f"## Big file, local disk ({r['bytes'] / MiB:.0f} MiB)", "",
                  "| what | median s | MB/s | ratio to nginx PUT |", "|---|---|---|---|",
                  f"| app: `curl -F file=@` (201 after fsync) | {fmt(app, '', 3)} | {fmt(mb_per_s(r['bytes'], app), '', 0)} | {fmt(app / ngx)} |",
                  f"| nginx WebDAV `PUT` (no fsync) | {fmt(ngx, '', 3)} | {fmt(mb_per_s(r['bytes'], ngx), '', 0)} | 1.00 |",
                  f"| nginx `PUT`, then `sync` of the file | {fmt(ngx_sync, '', 3)} | {fmt(mb_per_s(r['bytes'], ngx_sync), '', 0)} | {fmt(ngx_sync / ngx)} |",
                  f"| `md5sum` of the file | {fmt(md5, '', 3)} | {fmt(mb_per_s(r['bytes'], md5), '', 0)} | {fmt(md5 / ngx)} |", ""]
        goals.append(goal_row("local: app time / nginx PUT time", fmt(app / ngx), "≤ 1.25 (stretch 1.1)", app / ngx <= 1.25))
        goals.append(goal_row("local: app throughput / slower of md5sum and nginx PUT",
                              fmt(slower / app * 100, " %", 0), "≥ 80 %", slower / app >= 0.8))
        goals.append(goal_row("local: app time / (nginx PUT + fsync) time (not a goal of the issue)",
                              fmt(app / ngx_sync), "—", True))
    for key, store in (("big-s3", "S3Proxy, file-system back end"), ("big-rgw", "Ceph RGW 16, memstore OSD")):
        if key not in results:
            continue
        r = results[key]
        if not r["sdk_put"]:
            app = median(r["app"])
            lines += [f"## Big file, S3 ({store}, same host; {r['bytes'] / MiB:.0f} MiB)", "",
                      f"app: `curl -F file=@` median {fmt(app, '', 3)} s ({fmt(mb_per_s(r['bytes'], app), '', 0)} MB/s)."
                      " The AWS SDK reference failed on this store (see the run's log), so there is no ratio.", ""]
            goals.append(goal_row(f"{store.split(',')[0]}: app time / SDK upload time", "not measured", "≤ 1.2", False))
            continue
        app, sdk = median(r["app"]), median(r["sdk_put"])
        lines += [f"## Big file, S3 ({store}, same host; {r['bytes'] / MiB:.0f} MiB)", "",
                  "| what | median s | MB/s | ratio |", "|---|---|---|---|",
                  f"| app: `curl -F file=@` | {fmt(app, '', 3)} | {fmt(mb_per_s(r['bytes'], app), '', 0)} | {fmt(app / sdk)} |",
                  f"| AWS SDK v2 multipart `putObject(fromFile)`, 8 MiB parts | {fmt(sdk, '', 3)} | {fmt(mb_per_s(r['bytes'], sdk), '', 0)} | 1.00 |", ""]
        goals.append(goal_row(f"{store.split(',')[0]}: app time / SDK upload time", fmt(app / sdk), "≤ 1.2",
                              app / sdk <= 1.2))
    for storage, store in (("local", "local disk"), ("s3", "S3Proxy")):
        if f"tus-{storage}" not in results:
            continue
        r = results[f"tus-{storage}"]
        multipart, tus = median(r["multipart"]), median(r["tus"])
        lines += [f"## Resumable upload (tus), {store} ({r['bytes'] / MiB:.0f} MiB)", "",
                  "| what | median s | MB/s | ratio |", "|---|---|---|---|",
                  f"| tus: create, then {r['chunks']} `PATCH`es of 50 MiB (`curl -T`) | {fmt(tus, '', 3)} | {fmt(mb_per_s(r['bytes'], tus), '', 0)} | {fmt(tus / multipart)} |",
                  f"| one multipart `POST` (`curl -F file=@`) | {fmt(multipart, '', 3)} | {fmt(mb_per_s(r['bytes'], multipart), '', 0)} | 1.00 |", ""]
        goals.append(goal_row(f"{store}: tus in 50 MiB PATCHes / one multipart POST", fmt(tus / multipart), "≤ 1.2",
                              tus / multipart <= 1.2))
    if "memory" in results:
        r = results["memory"]
        lines += ["## Memory and I/O of the app during one upload (fresh process each, after one warm-up upload the size"
                  " of the smallest; peak RSS reset after it)", "",
                  "| storage | file | s | peak RSS MiB | peak heap MiB | young GCs so far | heap after full GC MiB "
                  "| bytes written by the app | written / file |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for key, m in r.items():
            lines.append(f"| {m['storage']} | {m['bytes'] / MiB:.0f} MiB | {m['seconds']:.2f} | {m['peak_rss'] / MiB:.0f} "
                         f"| {m['peak_heap'] / MiB:.0f} | {m['young_collections']} | {m['retained_heap'] / MiB:.1f} "
                         f"| {m['write_bytes']:,} | {m['write_bytes'] / m['bytes']:.4f} |")
        lines.append("")
        for storage in ("local", "s3"):
            ms = [m for m in r.values() if m["storage"] == storage]
            if len(ms) >= 2:
                small, large = ms[0], ms[-1]
                for what, field in (("peak RSS", "peak_rss"), ("peak heap", "peak_heap"),
                                    ("heap after full GC", "retained_heap")):
                    if not small[field]:
                        goals.append(goal_row(f"{storage}: {what}, largest / smallest upload", "not measured",
                                              "equal within noise (≤ 1.10)", False))
                        continue
                    growth = large[field] / small[field]
                    goals.append(goal_row(f"{storage}: {what}, largest / smallest upload", fmt(growth),
                                          "equal within noise (≤ 1.10)", growth <= 1.10))
            for m in ms:
                if storage == "local":
                    goals.append(goal_row(f"local: bytes written / file size ({m['bytes'] / MiB:.0f} MiB)",
                                          fmt(m["write_bytes"] / m["bytes"], "", 4), "≤ 1.05",
                                          m["write_bytes"] / m["bytes"] <= 1.05))
                else:
                    # the app's own log lines are the only writes allowed; a temp copy would be the file's size
                    goals.append(goal_row(f"S3: bytes written by the app ({m['bytes'] / MiB:.0f} MiB upload)",
                                          f"{m['write_bytes']:,}", "no temp copy (< 1 MiB, its log)",
                                          m["write_bytes"] < MiB))
    if "small" in results:
        r = results["small"]
        lines += [f"## Many small files ({r['clients']} clients, {r['bytes'] / 1024:.0f} KiB each, {r['seconds']} s, wrk)", "",
                  "| what | uploads/s | p50 ms | p99 ms | errors | ratio to nginx |", "|---|---|---|---|---|---|"]
        for key in ("app-local", "app-s3", "nginx"):
            if key in r:
                m = r[key]
                lines.append(f"| {key} | {m['per_second']:.0f} | {m['p50_us'] / 1000:.1f} | {m['p99_us'] / 1000:.1f} "
                             f"| {m['status_errors'] + m['socket_errors']} | {m['per_second'] / r['nginx']['per_second']:.2f} |")
        lines.append("")
        ratio = r["app-local"]["per_second"] / r["nginx"]["per_second"]
        goals.append(goal_row("small files, local: app rate / nginx rate", fmt(ratio * 100, " %", 0), "≥ 50 %",
                              ratio >= 0.5))
    if "events" in results:
        r = results["events"]
        lat = r["latency"]
        without = median([m["per_second"] for m in r["wrk_without"]])
        with_hooks = median([m["per_second"] for m in r["wrk_with"]])
        lines += [f"## Events (local catalog)", "",
                  "| what | figure |", "|---|---|",
                  f"| commit to delivery, {len(lat)} uploads 50 ms apart, local receiver: p50 / p99 / max | "
                  f"{percentile(lat, 50) * 1000:.0f} / {percentile(lat, 99) * 1000:.0f} / {max(lat) * 1000:.0f} ms |",
                  f"| {opts.small_size // 1024} KiB uploads/s, {opts.small_clients} clients (wrk, {opts.small_seconds} s):"
                  f" no webhook, median of {rates(r['wrk_without'])} | {without:.0f} |",
                  f"| the same with a webhook receiving every commit as it runs, median of {rates(r['wrk_with'])} "
                  f"| {with_hooks:.0f} ({(1 - with_hooks / without) * 100:.1f} % slower) |",
                  f"| the app's CPU per upload: without / with the webhook (the receiver, wrk and the app share the 2 cores) | "
                  f"{cpu_per_upload(r['wrk_without']) * 1000:.2f} / {cpu_per_upload(r['wrk_with']) * 1000:.2f} ms |",
                  f"| reading the feed from the start, {r['feed_total']:,} events in pages of 1,000: median | "
                  f"{median(r['feed_seconds']):.2f} s ({r['feed_total'] / median(r['feed_seconds']):,.0f} events/s) |", ""]
        goals.append(goal_row("events: commit to delivery p99", f"{percentile(lat, 99) * 1000:.0f} ms", "< 1 s",
                              percentile(lat, 99) < 1))
        goals.append(goal_row("events: small-upload rate with a webhook / without", fmt(with_hooks / without * 100, " %", 0),
                              "≥ 95 % (≤ 5 % slower)", with_hooks / without >= 0.95))
    if "listing" in results:
        r = results["listing"]
        lines += ["## Listing `GET /v1/files`: the whole area, and pages of 1,000 (`?limit=1000&cont=`)", "",
                  "| storage | files | response | first request s | warm p50 ms | warm p99 ms | samples "
                  "| page p50 ms | page p99 ms | pages walked |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for key, m in r.items():
            paged = m.get("paged") or {"p50": 0, "p99": 0, "pages": 0}
            lines.append(f"| {m['storage']} | {m['files']:,} | {m['body_bytes'] / MiB:.1f} MiB | {m['first_seconds']:.2f} "
                         f"| {m['p50'] * 1000:.1f} | {m['p99'] * 1000:.1f} | {len(m['samples'])} "
                         f"| {paged['p50'] * 1000:.1f} | {paged['p99'] * 1000:.1f} | {paged['pages']} |")
            if m["storage"] == "local" and m["files"] == 100000 and paged["pages"]:
                goals.append(goal_row("a page of 1,000 of 100,000 files, local: p99", fmt(paged["p99"] * 1000, " ms", 1),
                                      "< 50 ms", paged["p99"] < 0.05))
        lines.append("")
        local = [m for m in r.values() if m["storage"] == "local"]
        for m in local:
            if m["files"] == 10000:
                goals.append(goal_row("listing 10,000 files, local: p99", fmt(m["p99"] * 1000, " ms", 1), "< 100 ms",
                                      m["p99"] < 0.1))
    if "startup" in results:
        r = results["startup"]
        lines += ["## Start-up: `java -jar` to `/health` 200", "", "| storage | staged files | median s | runs |",
                  "|---|---|---|---|"]
        for key, m in r.items():
            lines.append(f"| {m['storage']} | {m['files']:,} | {median(m['seconds']):.2f} | "
                         f"{', '.join(f'{s:.2f}' for s in m['seconds'])} |")
        lines.append("")
    if "download" in results:
        r = results["download"]
        lines += [f"## Downloads `GET /v1/files/{{name}}/content` ({r['bytes'] / MiB:.0f} MiB; app with `{' '.join(opts.memory_jvm)}`)", "",
                  "| storage | app median s | MB/s | reference | reference MB/s | app / reference throughput "
                  f"| {r['range_bytes'] // 1024} KiB ranges p50 / p99 ms | {r['clients']} parallel: s, MB/s in all "
                  "| peak heap MiB, 1 / parallel |", "|---|---|---|---|---|---|---|---|---|"]
        for storage, reference in (("local", "nginx, sendfile"), ("s3", "S3Proxy GET (curl, SigV4)")):
            if storage not in r:
                continue
            m = r[storage]
            app, ref = median(m["app"]), median(m["reference"])
            lines.append(f"| {storage} | {app:.3f} | {mb_per_s(r['bytes'], app):.0f} | {reference} | "
                         f"{mb_per_s(r['bytes'], ref):.0f} | {ref / app:.2f} | {m['ranged_p50'] * 1000:.1f} / "
                         f"{m['ranged_p99'] * 1000:.1f} | {m['parallel_seconds']:.2f}, "
                         f"{mb_per_s(r['bytes'] * r['clients'], m['parallel_seconds']):.0f} | "
                         f"{m['peak_heap_one'] / MiB:.0f} / {m['peak_heap_parallel'] / MiB:.0f} |")
            goals.append(goal_row(f"download, {storage}: app throughput / {reference}", fmt(ref / app),
                                  "≥ 0.8", ref / app >= 0.8))
            if m["peak_heap_one"]:
                growth = m["peak_heap_parallel"] / m["peak_heap_one"]
                goals.append(goal_row(f"download, {storage}: peak heap, {r['clients']} clients / 1 client", fmt(growth),
                                      "flat (≤ 1.5)", growth <= 1.5))
        lines.append("")
    if "scale" in results:
        r = results["scale"]
        lines += ["## The catalog at scale: one area of growing size, each measured on a freshly started instance", "",
                  f"Configurations: `local` (the data directory's catalog, local disk), `postgres` (PostgreSQL catalog, "
                  f"blobs on local disk), `postgres-rgw` (PostgreSQL catalog, blobs in Ceph RGW; the bucket-only catalog "
                  f"measured here before, `s3-rgw`, is retired). "
                  f"Small uploads: {opts.small_size // 1024} KiB multipart `POST`s of new names, one after the other; "
                  "pages: `?limit=1000&cont=` from positions spread over the area, in random order; the walk "
                  "follows `cont` from the first page to the last; `?limit=1` is the `space` figure and one name. "
                  "(×) is the ratio to the same configuration's smallest area.", "",
                  "| configuration | files | open uploads | start s | upload p50 ms (×) | upload p99 ms | page p50 ms "
                  "| page p99 ms (×) | walk s (pages) | unpaged s, 1st / 2nd | `?limit=1` p50 ms (×) | `space` in every answer |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        base = {}
        for m in r.values():
            if "error" not in m and (m["config"] not in base or m["files"] < base[m["config"]]["files"]):
                base[m["config"]] = m
        for m in sorted(r.values(), key=lambda m: (SCALE_CONFIGS.index(m["config"]), m["files"])):
            if "error" in m:
                lines.append(f"| {m['config']} | {m['files']:,} | failed: `{m['error']}` |||||||||")
                continue
            b = base[m["config"]]
            ratio = lambda key: fmt(m[key] / b[key]) if m.get(key) and b.get(key) else "—"
            walk = f"{m['walk_seconds']:.2f} ({m['walk_pages']:,}{'' if m['walk_complete'] else ', cut at the time cap'})"
            unpaged = " / ".join(f"{s:.2f}" for s in m["unpaged"]) or "—"
            lines.append(f"| {m['config']} | {m['files']:,} | {m['open_uploads']:,} | {m['startup_seconds']:.2f} "
                         f"| {fmt((m['upload_p50'] or 0) * 1000, '', 1)} ({ratio('upload_p50')}) "
                         f"| {fmt((m['upload_p99'] or 0) * 1000, '', 1)} | {fmt((m['page_p50'] or 0) * 1000, '', 1)} "
                         f"| {fmt((m['page_p99'] or 0) * 1000, '', 1)} ({ratio('page_p99')}) | {walk} | {unpaged} "
                         f"| {fmt(m['tiny_p50'] * 1000, '', 1)} ({ratio('tiny_p50')}) "
                         f"| {'yes' if m['space_everywhere'] else '**no**'} |")
        lines.append("")
        for m in sorted(r.values(), key=lambda m: (SCALE_CONFIGS.index(m["config"]), m["files"])):
            where = f"{m['config']}, {m['files']:,} files"
            if "error" in m:
                if m["files"] >= opts.scale_open_from:
                    goals.append(goal_row(f"scale, {where}", "failed (see the table)", "—", False))
                continue
            b = base[m["config"]]
            if m["files"] < opts.scale_open_from:
                continue
            goals.append(goal_row(f"scale, {where}: a page of 1,000, p99", fmt(m["page_p99"] * 1000, " ms", 1),
                                  "< 50 ms", m["page_p99"] < 0.05))
            if m["files"] in opts.scale_postgres_counts:
                continue  # the issue asks only the page of the largest postgres areas
            up = m["upload_p50"] / b["upload_p50"]
            goals.append(goal_row(f"scale, {where} + {m['open_uploads']:,} open uploads: small upload p50 / at "
                                  f"{b['files']:,} files", f"{up:.2f} ({m['upload_p50'] * 1000:.1f} ms)", "≤ 1.2",
                                  up <= 1.2))
            goals.append(goal_row(f"scale, {where}: whole listing, walk of all pages of 1,000",
                                  fmt(m["walk_seconds"], " s"), "< 2 s", m["walk_complete"] and m["walk_seconds"] < 2))
            if m["unpaged"]:
                goals.append(goal_row(f"scale, {where}: whole listing, one unpaged `GET /v1/files` (first)",
                                      fmt(m["unpaged"][0], " s"), "< 2 s", m["unpaged"][0] < 2))
            tiny = m["tiny_p50"] / b["tiny_p50"]
            goals.append(goal_row(f"scale, {where}: `space` with no per-file work (`?limit=1` p50 / at "
                                  f"{b['files']:,} files; `space` in every answer)", fmt(tiny),
                                  "≤ 1.5, and present", tiny <= 1.5 and m["space_everywhere"]))
    lines[6:6] = ["## Goals", "", "| goal | measured | target | |", "|---|---|---|---|"] + goals + [""]
    lines += ["## Raw figures", "", "```json", json.dumps(results, indent=1), "```", ""]
    with open(path_md, "w") as f:
        f.write("\n".join(lines))
    plot(results, path_png)


def opts_small_kib(scale):
    return next(iter(scale.values())).get("upload_bytes", 0) // 1024


def plot(results, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log("matplotlib missing: no plot")
        return
    bars = []
    if "big-local" in results:
        r = results["big-local"]
        for label, key in (("app → disk", "app"), ("nginx PUT", "nginx_put"), ("nginx PUT+sync", "nginx_put_fsync"),
                           ("md5sum", "md5sum")):
            bars.append((label, mb_per_s(r["bytes"], median(r[key]))))
    if "big-s3" in results:
        r = results["big-s3"]
        bars.append(("app → S3", mb_per_s(r["bytes"], median(r["app"]))))
        bars.append(("SDK → S3", mb_per_s(r["bytes"], median(r["sdk_put"]))))
    small = []
    if "small" in results:
        r = results["small"]
        small = [(k, r[k]["per_second"]) for k in ("app-local", "app-s3", "nginx") if k in r]
    scale = results.get("scale")
    rows = (["bars"] if bars or small or not scale else []) + (["scale"] if scale else [])
    figure = plt.figure(figsize=(12, 4.5 * len(rows)), constrained_layout=True)
    parts = dict(zip(rows, figure.subfigures(len(rows), 1) if len(rows) > 1 else [figure]))
    if "bars" in parts:
        axes = parts["bars"].subplots(1, 2, gridspec_kw={"width_ratios": [max(len(bars), 1), max(len(small), 1)]})
    if scale:
        # page p99 and upload p50 against the area's size, a line per configuration
        scale_axes = parts["scale"].subplots(1, 2)
        for config in SCALE_CONFIGS:
            ms = sorted((m for m in scale.values() if m["config"] == config), key=lambda m: m["files"])
            for a, key in zip(scale_axes, ("page_p99", "upload_p50")):
                points = [(m["files"], m[key] * 1000) for m in ms if m.get(key)]
                if points:
                    a.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=config)
        for a, title in zip(scale_axes, ("a page of 1,000 names: p99", f"{opts_small_kib(scale)} KiB upload: p50")):
            a.set_xscale("log")
            a.set_yscale("log")  # the bucket-only catalog is orders of magnitude slower
            a.set_xlabel("files in the area")
            a.set_ylabel("ms")
            a.set_title(title)
            a.legend()
        scale_axes[0].axhline(50, color="tab:red", linestyle=":", linewidth=1)
    if bars:
        axes[0].bar([b[0] for b in bars], [b[1] for b in bars],
                    color=["tab:blue" if b[0].startswith("app") else "tab:gray" for b in bars])
        axes[0].set_ylabel("MB/s (median)")
        axes[0].set_title("Big file upload throughput")
        axes[0].tick_params(axis="x", rotation=20)
    if small:
        axes[1].bar([s[0] for s in small], [s[1] for s in small],
                    color=["tab:blue" if s[0].startswith("app") else "tab:gray" for s in small])
        axes[1].set_ylabel("uploads/s")
        axes[1].set_title(f"{results['small']['bytes'] // 1024} KiB files, {results['small']['clients']} clients")
    figure.savefig(path, dpi=90)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one run: checks the script still works")
    parser.add_argument("--cases", default=",".join(ALL_CASES))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--big", type=int, default=GiB, help="bytes of the big-file cases")
    parser.add_argument("--memory-sizes", default=f"{256 * MiB},{2 * GiB}")
    parser.add_argument("--small-size", type=int, default=64 * 1024)
    parser.add_argument("--small-clients", type=int, default=16)
    parser.add_argument("--small-seconds", type=int, default=20)
    parser.add_argument("--listing-counts", default="10000,100000")
    parser.add_argument("--listing-storages", default="local,s3",
                        help="backends of the listing and start-up cases (100,000 files on S3Proxy take about an hour)")
    parser.add_argument("--listing-requests", type=int, default=30)
    parser.add_argument("--listing-seconds", type=int, default=60)
    parser.add_argument("--startup-counts", default="0,100000")
    parser.add_argument("--startup-runs", type=int, default=3)
    parser.add_argument("--download-clients", type=int, default=8)
    parser.add_argument("--range-reads", type=int, default=200)
    parser.add_argument("--range-bytes", type=int, default=MiB)
    parser.add_argument("--scale-configs", default=",".join(SCALE_CONFIGS), help=f"of {SCALE_CONFIGS}")
    parser.add_argument("--scale-counts", default="100,10000,100000", help="area sizes of the scale case")
    parser.add_argument("--scale-postgres-counts", default="1000000",
                        help="more sizes for the postgres configurations (seeded with one INSERT ... SELECT)")
    parser.add_argument("--scale-open-uploads", type=int, default=2000,
                        help="tus uploads left open in areas of --scale-open-from files or more")
    parser.add_argument("--scale-open-from", type=int, default=100000)
    parser.add_argument("--scale-uploads", type=int, default=200, help="timed small uploads per size")
    parser.add_argument("--scale-pages", type=int, default=100, help="timed pages per size")
    parser.add_argument("--scale-warmup", type=int, default=20, help="unrecorded uploads after each fresh start")
    parser.add_argument("--scale-unpaged-max", type=int, default=100000,
                        help="largest area also listed unpaged (1,000,000 names would not fit -Xmx256m)")
    parser.add_argument("--events-uploads", type=int, default=200, help="uploads timed from commit to delivery")
    parser.add_argument("--events-feed", type=int, default=10000, help="events in the feed the events case reads")
    parser.add_argument("--lock", default=None,
                        help="a file to hold an flock on while each size of the scale case is seeded and measured")
    parser.add_argument("--app-jvm", default="-Xmx256m", help="JVM options of the app, space separated")
    parser.add_argument("--memory-jvm", default="-Xmx64m",
                        help="JVM options of the app in the memory case: the README's 64 MiB heap, so that what a"
                             " larger heap's collector does with spare room is not taken for growth")
    parser.add_argument("--work", default=os.path.join(BENCH, "work"))
    parser.add_argument("--out", default=None, help="where results go (default bench/results, smoke: WORK/results)")
    opts = parser.parse_args()
    if opts.smoke:
        opts.runs, opts.big, opts.memory_sizes = 1, 4 * MiB, f"{MiB},{4 * MiB}"
        opts.small_seconds, opts.listing_counts, opts.startup_counts = 2, "100", "0,100"
        opts.listing_requests, opts.listing_seconds, opts.startup_runs = 3, 1, 1
        opts.range_reads, opts.range_bytes = 5, 64 * 1024
        opts.scale_counts, opts.scale_postgres_counts = "100,1500", ""
        opts.scale_open_uploads, opts.scale_open_from, opts.scale_uploads = 20, 1500, 10
        opts.scale_pages, opts.scale_warmup = 3, 3
        opts.events_uploads, opts.events_feed = 5, 50
    opts.memory_sizes = [int(s) for s in opts.memory_sizes.split(",")]
    opts.listing_counts = [int(s) for s in opts.listing_counts.split(",") if s]
    opts.startup_counts = [int(s) for s in opts.startup_counts.split(",") if s]
    opts.listing_storages = [s for s in opts.listing_storages.split(",") if s]
    for option in ("scale_counts", "scale_postgres_counts"):
        setattr(opts, option, [int(s) for s in getattr(opts, option).split(",") if s])
    opts.scale_configs = [c for c in opts.scale_configs.split(",") if c]
    if set(opts.scale_configs) - set(SCALE_CONFIGS):
        parser.error(f"unknown scale configurations {sorted(set(opts.scale_configs) - set(SCALE_CONFIGS))}")
    opts.app_jvm = opts.app_jvm.split()
    opts.memory_jvm = opts.memory_jvm.split()
    cases = [c for c in opts.cases.split(",") if c]
    unknown = set(cases) - set(ALL_CASES)
    if unknown:
        parser.error(f"unknown cases {sorted(unknown)}; known: {ALL_CASES}")
    for jar in (APP_JAR, S3PROXY_JAR):
        if not os.path.isfile(jar):
            sys.exit(f"{jar} is missing: build first (bench/run.sh does)")
    os.makedirs(opts.work, exist_ok=True)
    out = opts.out or (os.path.join(opts.work, "results") if opts.smoke else os.path.join(BENCH, "results"))
    os.makedirs(out, exist_ok=True)
    started = datetime.datetime.now(datetime.timezone.utc)
    info = {"started": started.strftime("%Y-%m-%d %H:%M UTC"), "machine": machine()}
    results = {}
    steps = [("big-local", case_big_local), ("big-s3", case_big_s3), ("memory", case_memory), ("small", case_small),
             ("rgw", case_rgw), ("download", case_download), ("tus", case_tus), ("scale", case_scale),
             ("events", case_events)]
    for name, step in steps:
        if name in cases:
            log(f"case {name}")
            step(opts, opts.work, results)
    if "listing" in cases or "startup" in cases:
        log("cases listing/startup")
        case_listing_and_startup(opts, opts.work, results, "listing" in cases, "startup" in cases)
    stamp = started.strftime("%Y-%m-%d-%H%M") + ("-smoke" if opts.smoke else "")
    path_md, path_png = os.path.join(out, f"{stamp}.md"), os.path.join(out, f"{stamp}.png")
    report(results, info, opts, path_md, path_png)
    log(f"wrote {path_md} and {path_png}")
    print(open(path_md).read().split("## Raw figures")[0])


if __name__ == "__main__":
    main()
