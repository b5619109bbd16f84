//! Multi-row inserts for loading a seed: many rows per statement, so a million users cost a few
//! thousand statements instead of several million round trips to the database thread.

use sqlx::sqlite::SqliteArguments;
use sqlx::{Arguments, Encode, Sqlite, SqliteConnection, Type};

/// Bound parameters per statement: well under SQLite's limit (32,766 since 3.32), and large
/// enough that the per-statement cost is spread thin.
const MAX_PARAMS: usize = 8_000;

/// Rows of one table, buffered and inserted `rows_per_statement` at a time. Every full batch
/// runs the same SQL text, so the connection's statement cache prepares it once.
pub struct RowInserter<'q> {
    head: &'static str,
    columns: usize,
    rows_per_statement: usize,
    full_sql: String,
    args: SqliteArguments<'q>,
    rows: usize,
    in_row: usize,
}

fn values_sql(head: &str, columns: usize, rows: usize) -> String {
    let row = format!("({})", vec!["?"; columns].join(","));
    let mut sql = String::with_capacity(head.len() + 8 + rows * (row.len() + 1));
    sql.push_str(head);
    sql.push_str(" VALUES ");
    for i in 0..rows {
        if i > 0 {
            sql.push(',');
        }
        sql.push_str(&row);
    }
    sql
}

impl<'q> RowInserter<'q> {
    /// `head` is the statement up to `VALUES`, e.g. `INSERT INTO t (a, b)`, naming `columns`.
    pub fn new(head: &'static str, columns: usize) -> Self {
        let rows_per_statement = (MAX_PARAMS / columns).max(1);
        RowInserter {
            head,
            columns,
            rows_per_statement,
            full_sql: values_sql(head, columns, rows_per_statement),
            args: SqliteArguments::default(),
            rows: 0,
            in_row: 0,
        }
    }

    /// Adds the next value of the current row (in the order of the head's columns).
    pub fn value<T>(&mut self, v: T) -> &mut Self
    where
        T: 'q + Encode<'q, Sqlite> + Type<Sqlite>,
    {
        // Adding to SQLite arguments only fails when encoding does; these are plain values.
        let _ = self.args.add(v);
        self.in_row += 1;
        if self.in_row == self.columns {
            self.in_row = 0;
            self.rows += 1;
        }
        self
    }

    /// Ends a row; runs the batch when it is full.
    pub async fn row_done(&mut self, conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        debug_assert_eq!(self.in_row, 0, "{}: a row of the wrong width", self.head);
        if self.rows == self.rows_per_statement {
            self.flush(conn).await?;
        }
        Ok(())
    }

    /// Inserts the buffered rows.
    pub async fn flush(&mut self, conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        if self.rows == 0 {
            return Ok(());
        }
        let args = std::mem::take(&mut self.args);
        let rows = std::mem::take(&mut self.rows);
        if rows == self.rows_per_statement {
            sqlx::query_with(&self.full_sql, args).execute(conn).await?;
        } else {
            // The last, shorter batch: prepared once, not kept.
            let sql = values_sql(self.head, self.columns, rows);
            sqlx::query_with(&sql, args)
                .persistent(false)
                .execute(conn)
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_values_list_has_one_group_per_row() {
        assert_eq!(
            values_sql("INSERT INTO t (a, b)", 2, 3),
            "INSERT INTO t (a, b) VALUES (?,?),(?,?),(?,?)"
        );
    }
}
