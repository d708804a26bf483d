-- detente store schema, version 1. The store is the only module that touches DuckDB.
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY, started TIMESTAMP, finished TIMESTAMP, coder_version VARCHAR,
    settings VARCHAR, documents INTEGER, articles_added INTEGER, articles_replaced INTEGER,
    duplicates INTEGER, unchanged INTEGER, events_added INTEGER, failures INTEGER
);
CREATE TABLE IF NOT EXISTS articles (
    article_id VARCHAR PRIMARY KEY, doc_key VARCHAR, doc_id VARCHAR, input VARCHAR, url VARCHAR,
    outlet VARCHAR, title VARCHAR, published DATE, text VARCHAR, minhash BLOB,
    duplicate_of VARCHAR, n_events INTEGER, run_id VARCHAR, coder_version VARCHAR, ingested_at TIMESTAMP
);
-- Files (and feeds) the watcher has coded, by content fingerprint: restart-safe intake.
CREATE TABLE IF NOT EXISTS intake (
    path VARCHAR PRIMARY KEY, fingerprint VARCHAR, documents INTEGER, events INTEGER, failures INTEGER, coded_at TIMESTAMP
);
-- The failures' messages, one per line (added after version 1's first release).
ALTER TABLE intake ADD COLUMN IF NOT EXISTS errors VARCHAR;
CREATE TABLE IF NOT EXISTS removed (article_id VARCHAR, idx INTEGER, text VARCHAR);
CREATE TABLE IF NOT EXISTS places (
    place_key VARCHAR PRIMARY KEY, name VARCHAR, country VARCHAR, admin1 VARCHAR,
    lat DOUBLE, lon DOUBLE, geonameid BIGINT
);
-- The place's precision: city, admin1 (a first-level unit), country or region (added after version
-- 1's first release; a store written before has NULL for its places until an event coded there
-- again brings the kind).
ALTER TABLE places ADD COLUMN IF NOT EXISTS kind VARCHAR;
CREATE TABLE IF NOT EXISTS events (
    event_id VARCHAR PRIMARY KEY, article_id VARCHAR, event_type VARCHAR, mode VARCHAR,
    cameo VARCHAR, quad_class INTEGER, goldstein DOUBLE, event_date DATE, date_precision VARCHAR,
    place_key VARCHAR, factuality VARCHAR, speaker_country VARCHAR, speaker_sector VARCHAR,
    speaker_name VARCHAR, speaker_kb_id VARCHAR, confidence DOUBLE, sentence VARCHAR,
    start_char INTEGER, end_char INTEGER, cluster_id VARCHAR, coder_version VARCHAR, run_id VARCHAR
);
CREATE TABLE IF NOT EXISTS event_actors (
    event_id VARCHAR, role VARCHAR, idx INTEGER, country VARCHAR, sector VARCHAR, name VARCHAR, kb_id VARCHAR
);
-- The actor's code in dyads: an organisation's own code (EU, NATO, UN; codes.py), else its country
-- (added after version 1's first release; older rows have none and count under their country).
ALTER TABLE event_actors ADD COLUMN IF NOT EXISTS code VARCHAR;
-- One row per directed pair of actor codes (countries, or organisations' own codes) of an event, written with the event: a collective act with
-- no target ("Russia and Turkey agreed") links every pair of its sources, both ways. Indexed by
-- pair, so a dyad's events are found without joining the actors. (A store written before this
-- table existed is filled from its actors when it is next opened for writing.)
CREATE TABLE IF NOT EXISTS event_dyads (event_id VARCHAR, src VARCHAR, tgt VARCHAR);
CREATE INDEX IF NOT EXISTS event_dyads_pair ON event_dyads (src, tgt);
INSERT INTO event_dyads
SELECT DISTINCT s.event_id, coalesce(s.code, s.country), coalesce(t.code, t.country)
FROM event_actors s
JOIN event_actors t ON t.event_id = s.event_id AND (
    t.role = 'target' OR (t.role = 'source' AND NOT EXISTS (
        SELECT 1 FROM event_actors x WHERE x.event_id = s.event_id AND x.role = 'target')))
WHERE s.role = 'source' AND coalesce(s.code, s.country) IS NOT NULL AND coalesce(t.code, t.country) IS NOT NULL
  AND coalesce(s.code, s.country) <> coalesce(t.code, t.country)
  AND NOT EXISTS (SELECT 1 FROM event_dyads LIMIT 1);
CREATE OR REPLACE VIEW dyad_events AS
SELECT e.*, d.src, d.tgt FROM event_dyads d JOIN events e USING (event_id);
