//! A throwaway PostgreSQL cluster for one test process, from Debian's
//! package: `initdb` into a temporary directory, `pg_ctl start` on a free
//! loopback port with the unix socket inside the data directory, a role
//! that owns a database and may create roles and databases (no superuser at
//! run time), and a watcher that stops the cluster and removes the
//! directory once this process is gone (the test harness has no hook at its
//! end). As root, every PostgreSQL program runs as the `postgres` user.

use super::Server;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const OWNER: &str = "saps_tests";
const BASE: &str = "saps_tests";

/// Why there is no cluster: PostgreSQL is not installed (the tests are
/// skipped), or it is but the cluster failed (the tests fail).
pub(super) enum NoCluster {
    NotInstalled,
    Failed(String),
}

pub(super) fn start() -> Result<Server, NoCluster> {
    let bin = installed().ok_or(NoCluster::NotInstalled)?;
    start_from(&bin).map_err(NoCluster::Failed)
}

fn start_from(bin: &Path) -> Result<Server, String> {
    let root = is_root();
    let dir = tempfile::Builder::new()
        .prefix("saps-test-pg-")
        .tempdir()
        .map_err(|e| format!("cannot make a directory for the test cluster: {e}"))?
        .keep();
    if root {
        run(Command::new("chown").arg("postgres:").arg(&dir), "chown")?;
    }
    let data = dir.join("data");
    let password = format!("t{}x{}", std::process::id(), nanos());
    let pg = |program: &str| -> Command {
        if root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(bin.join(program));
            c
        } else {
            Command::new(bin.join(program))
        }
    };
    run(
        pg("initdb")
            .arg("-D")
            .arg(&data)
            .args(["-U", "postgres", "-E", "UTF8", "--no-sync"])
            .args(["--auth-local=trust", "--auth-host=scram-sha-256"]),
        "initdb",
    )?;
    // Stopped and removed once this process ends, whatever happens.
    watch(&pg("pg_ctl"), &data, &dir);
    // A self-signed certificate, so that sslmode=require is tested over TLS.
    let ssl = certificate(&data, root).is_ok();
    let mut last = String::new();
    for _ in 0..5 {
        let port = free_port()?;
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off -c max_connections=200 -c ssl={}",
            data.display(),
            if ssl { "on" } else { "off" }
        );
        let started = pg("pg_ctl")
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(dir.join("log"))
            .args(["-w", "-o", &options, "start"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| format!("cannot run pg_ctl: {e}"))?;
        if !started.success() {
            last = std::fs::read_to_string(dir.join("log")).unwrap_or_default();
            continue;
        }
        let role = format!("CREATE ROLE {OWNER} LOGIN CREATEDB CREATEROLE PASSWORD '{password}'");
        let db = format!("CREATE DATABASE {BASE} OWNER {OWNER}");
        run(
            pg("psql")
                .arg("-h")
                .arg(&data)
                .args(["-p", &port.to_string(), "-U", "postgres", "-d", "postgres"])
                .args(["-v", "ON_ERROR_STOP=1", "-q", "-c", &role, "-c", &db]),
            "psql",
        )?;
        return Ok(Server {
            root_cert: ssl.then(|| data.join("root.crt")),
            host: "127.0.0.1".to_owned(),
            port,
            user: OWNER.to_owned(),
            password,
            base: BASE.to_owned(),
        });
    }
    Err(format!("the test cluster did not start: {last}"))
}

/// The commands that make a test authority (`root.crt`) and a server
/// certificate it signed for 127.0.0.1 and localhost (`server.crt`,
/// `server.key`), in the current directory; `.ci/run` runs the same.
pub(super) const CERTIFICATES: &str = "set -e
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=saps-test-ca -keyout ca.key -out root.crt
openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout server.key -out server.csr
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nbasicConstraints=CA:FALSE\\n' > server.ext
openssl x509 -req -in server.csr -CA root.crt -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext -out server.crt
chmod 600 server.key ca.key";

/// A test authority and a certificate it signed, in the data directory.
fn certificate(data: &Path, root: bool) -> Result<(), String> {
    let mut cmd = if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--", "sh"]);
        c
    } else {
        Command::new("sh")
    };
    run(cmd.current_dir(data).args(["-c", CERTIFICATES]), "openssl")
}

/// The newest installed PostgreSQL's `bin` directory.
fn installed() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

fn nanos() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos())
}

fn run(cmd: &mut Command, what: &str) -> Result<(), String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// A shell that waits for this process to end, then stops the cluster and
/// removes its directory. Its streams are not the test's, so nothing waits
/// for it.
fn watch(pg_ctl: &Command, data: &Path, dir: &Path) {
    let program: Vec<String> = std::iter::once(pg_ctl.get_program())
        .chain(pg_ctl.get_args())
        .map(|a| format!("'{}'", a.to_string_lossy()))
        .collect();
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {ctl} -D '{data}' -m immediate stop; rm -rf '{dir}'",
        pid = std::process::id(),
        ctl = program.join(" "),
        data = data.display(),
        dir = dir.display()
    );
    let _ = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
}
