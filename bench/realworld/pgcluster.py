"""A throwaway PostgreSQL cluster for one harness run, and the psql / pg_dump calls made on it.

The cluster is socket-only (listen_addresses = ''), in its own short temp dir, so it never
collides with another server on a port. When run as root, initdb and pg_ctl run as the postgres
user (initdb refuses root). Stopped with `pg_ctl -m immediate` and removed by `stop()`.
"""
import glob
import json
import os
import shutil
import subprocess
import tempfile


def server_bindir():
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    for candidate in reversed(candidates):
        if os.access(os.path.join(candidate, "initdb"), os.X_OK):
            return candidate
    raise RuntimeError("no PostgreSQL server binaries (initdb) under /usr/lib/postgresql/*/bin")


class Cluster:
    def __init__(self, port=54337):
        self.bindir = server_bindir()
        self.port = port
        self.dir = None
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @property
    def host(self):
        return self.dir

    def start(self):
        self.dir = tempfile.mkdtemp(prefix="rwpg.", dir="/tmp")
        os.chmod(self.dir, 0o755)
        if self.as_owner:
            shutil.chown(self.dir, "postgres")
        data = os.path.join(self.dir, "data")
        subprocess.run(self.as_owner + [os.path.join(self.bindir, "initdb"), "-D", data, "-U", "postgres",
                                        "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses='' -c fsync=off "
                   f"-c full_page_writes=off -c max_locks_per_transaction=256")
        subprocess.run(self.as_owner + [os.path.join(self.bindir, "pg_ctl"), "-D", data, "-l",
                                        os.path.join(self.dir, "server.log"), "-w", "-t", "60", "-o", options, "start"],
                       check=True, stdout=subprocess.DEVNULL)
        return self

    def stop(self):
        if not self.dir:
            return
        subprocess.run(self.as_owner + [os.path.join(self.bindir, "pg_ctl"), "-D", os.path.join(self.dir, "data"),
                                        "-m", "immediate", "-w", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # ---- clients ------------------------------------------------------------------------------
    def _client(self, name):
        return os.path.join(self.bindir, name)

    def conninfo(self, dbname):
        return ["-h", self.dir, "-p", str(self.port), "-U", "postgres", "-d", dbname]

    def psql(self, dbname, sql, check=True):
        """Runs SQL (one or more statements, in autocommit); returns (ok, stdout, stderr)."""
        proc = subprocess.run([self._client("psql"), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"]
                              + self.conninfo(dbname) + ["-c", sql],
                              capture_output=True, text=True)
        if check and proc.returncode != 0:
            raise RuntimeError(f"psql failed on {dbname}: {proc.stderr.strip()}\n-- SQL: {sql[:500]}")
        return proc.returncode == 0, proc.stdout, proc.stderr

    def query_json(self, dbname, sql):
        """The value of a query that returns one json column in one row (NULL gives [])."""
        _, out, _ = self.psql(dbname, sql)
        out = out.strip()
        return json.loads(out) if out else []

    def url(self, dbname):
        return f"postgresql://postgres@/{dbname}?host={self.dir}&port={self.port}"

    def create_database(self, dbname, template=None):
        self.psql("postgres", f'DROP DATABASE IF EXISTS "{dbname}"')
        suffix = f' TEMPLATE "{template}"' if template else ""
        self.psql("postgres", f'CREATE DATABASE "{dbname}"{suffix}')

    def pg_dump(self, dbname, out_path):
        with open(out_path, "w", encoding="utf-8") as out:
            proc = subprocess.run([self._client("pg_dump"), "--schema-only", "--no-owner", "--no-privileges"]
                                  + self.conninfo(dbname), stdout=out, stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"pg_dump {dbname} failed: {proc.stderr.strip()}")
