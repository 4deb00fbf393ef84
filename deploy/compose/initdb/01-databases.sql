-- One database per service (each service owns its database; none reads another's tables).
-- The postgres image runs this once, on the first start with an empty data volume; to re-run it,
-- remove the volume (`docker compose down -v`, which deletes all data).
-- Keep this list in step with the <PREFIX>_DATABASE_URL values in docker-compose.yml
-- (tests/compose/test_compose.py checks it).
CREATE DATABASE identity;
CREATE DATABASE catalog;
CREATE DATABASE intake;
CREATE DATABASE hotline;
CREATE DATABASE evaluation;
CREATE DATABASE licence;
