-- One database per service (each service owns its database; none reads another's tables).
-- The postgres image runs this once, on the first start with an empty data volume (a copy of
-- deploy/compose/initdb/01-databases.sql; tests/deploy checks the two agree).
CREATE DATABASE identity;
CREATE DATABASE catalog;
CREATE DATABASE intake;
CREATE DATABASE hotline;
CREATE DATABASE evaluation;
CREATE DATABASE licence;
