//! A fresh PostgreSQL database for one test run (the store's tests, the e2e tests): made on the
//! server `MARKTPLATZ_TEST_PG` names, dropped when the value is dropped. `scripts/test.sh`
//! starts a server and sets the variable; when it is set, the PostgreSQL runs must happen.

use postgres::{Client, NoTls};

use super::error::{Result, StoreError};
use super::pool::off_runtime;

/// The variable naming the test server: `postgres://marktplatz:marktplatz@127.0.0.1/postgres`.
pub const TEST_PG_VAR: &str = "MARKTPLATZ_TEST_PG";

pub struct ScratchDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl ScratchDatabase {
    /// A scratch database on the server `MARKTPLATZ_TEST_PG` names; `None` when it is unset.
    pub fn from_env() -> Option<Result<ScratchDatabase>> {
        let admin_url = std::env::var(TEST_PG_VAR).ok().filter(|v| !v.is_empty())?;
        Some(ScratchDatabase::create(&admin_url))
    }

    /// Creates `t_<random>` on the server of `admin_url` (a role that may create databases).
    pub fn create(admin_url: &str) -> Result<ScratchDatabase> {
        off_runtime(|| ScratchDatabase::create_here(admin_url))
    }

    fn create_here(admin_url: &str) -> Result<ScratchDatabase> {
        let name = format!("t_{}", hex::encode(rand::random::<[u8; 8]>()));
        let mut admin = connect(admin_url)?;
        // A name of our own making (hex), never input: a database name cannot be a parameter.
        admin.batch_execute(&format!("CREATE DATABASE {name}"))?;
        Ok(ScratchDatabase {
            url: with_database(admin_url, &name),
            admin_url: admin_url.to_string(),
            name,
        })
    }

    /// The URL of the scratch database (with the test server's credentials).
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        let dropped = off_runtime(|| {
            let mut admin = connect(&self.admin_url)?;
            let drop = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
            Ok::<_, StoreError>(admin.batch_execute(&drop)?)
        });
        if let Err(error) = dropped {
            tracing::warn!(database = %self.name, %error, "a scratch database was left behind");
        }
    }
}

fn connect(url: &str) -> Result<Client> {
    Client::connect(url, NoTls).map_err(|e| StoreError::Database {
        database: format!("named by {TEST_PG_VAR}"),
        detail: e.to_string(),
    })
}

/// `url` naming database `name` instead of its own.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let authority_from = base.find("://").map_or(0, |i| i + 3);
    let root = match base[authority_from..].find('/') {
        Some(slash) => &base[..authority_from + slash],
        None => base,
    };
    format!("{root}/{name}{query}")
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_database_of_a_url_is_replaced() {
        assert_eq!(
            with_database("postgres://u:p@h:5433/postgres?sslmode=disable", "t_1"),
            "postgres://u:p@h:5433/t_1?sslmode=disable"
        );
        assert_eq!(with_database("postgres://u@h", "t_1"), "postgres://u@h/t_1");
    }
}
