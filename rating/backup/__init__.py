"""`flask backup PATH` and `flask restore PATH`.

SQLite: SQLite's online backup API copies the live database page by page, consistent and
safe while the app serves; restore copies a backup back the same way.
PostgreSQL: pg_dump's custom format and pg_restore, run with the app's connection settings
(the password goes through PGPASSWORD, never the command line):

    pg_dump --format=custom --no-owner --no-privileges --file=PATH --dbname=URL
    pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \\
        --exit-on-error --dbname=URL PATH
"""
