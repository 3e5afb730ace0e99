-- SDP Atlas database: a derived, rebuildable view of data/ (never edit by hand).
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, issuer TEXT NOT NULL, kind TEXT NOT NULL,
    confidence TEXT NOT NULL CHECK (confidence IN ('verified', 'secondary', 'unverified')),
    date TEXT, url TEXT, note TEXT);
CREATE TABLE clusters (key TEXT PRIMARY KEY, label TEXT NOT NULL, position INTEGER NOT NULL);
CREATE TABLE areas (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, label TEXT NOT NULL, short TEXT NOT NULL,
    cluster TEXT NOT NULL REFERENCES clusters(key), definition TEXT NOT NULL);
CREATE TABLE groups (
    key TEXT PRIMARY KEY, label TEXT NOT NULL, description TEXT NOT NULL,
    position INTEGER NOT NULL);
CREATE TABLE parties (
    code TEXT PRIMARY KEY, name TEXT NOT NULL, official_name TEXT, kind TEXT NOT NULL,
    region TEXT NOT NULL, note TEXT);
CREATE TABLE party_aliases (
    party TEXT NOT NULL REFERENCES parties(code), position INTEGER NOT NULL, alias TEXT NOT NULL,
    PRIMARY KEY (party, position));
CREATE TABLE memberships (
    id INTEGER PRIMARY KEY, party TEXT NOT NULL REFERENCES parties(code),
    position INTEGER NOT NULL, group_key TEXT NOT NULL REFERENCES groups(key),
    since TEXT, until TEXT, note TEXT);
CREATE INDEX memberships_by_group ON memberships(group_key);
CREATE TABLE partnerships (
    partner TEXT PRIMARY KEY REFERENCES parties(code), status TEXT NOT NULL
        CHECK (status IN ('signed', 'negotiating', 'exploring', 'proposed')),
    title TEXT NOT NULL, summary TEXT NOT NULL, signed TEXT,
    declared_count INTEGER, declared_unit TEXT);
CREATE TABLE events (
    id INTEGER PRIMARY KEY, partner TEXT NOT NULL REFERENCES partnerships(partner),
    position INTEGER NOT NULL, kind TEXT NOT NULL, date TEXT NOT NULL, place TEXT,
    occasion TEXT, note TEXT);
CREATE INDEX events_by_date ON events(date);
CREATE TABLE signatories (
    id INTEGER PRIMARY KEY, partner TEXT NOT NULL REFERENCES partnerships(partner),
    position INTEGER NOT NULL, side TEXT NOT NULL, role TEXT NOT NULL, name TEXT);
CREATE TABLE dialogues (
    id INTEGER PRIMARY KEY, partner TEXT NOT NULL REFERENCES partnerships(partner),
    position INTEGER NOT NULL, name TEXT NOT NULL, level TEXT, frequency TEXT, note TEXT);
CREATE TABLE commitments (
    id INTEGER PRIMARY KEY, partner TEXT NOT NULL REFERENCES partnerships(partner),
    position INTEGER NOT NULL, key TEXT NOT NULL, label TEXT NOT NULL, status TEXT NOT NULL,
    date TEXT, note TEXT);
CREATE TABLE notes (
    id INTEGER PRIMARY KEY, partner TEXT NOT NULL REFERENCES partnerships(partner),
    position INTEGER NOT NULL, topic TEXT NOT NULL, text TEXT NOT NULL, date TEXT);
CREATE TABLE amounts (
    commitment INTEGER NOT NULL REFERENCES commitments(id), position INTEGER NOT NULL,
    value REAL NOT NULL, currency TEXT NOT NULL, PRIMARY KEY (commitment, position));
CREATE TABLE coverage (
    partner TEXT NOT NULL REFERENCES partnerships(partner),
    area INTEGER NOT NULL REFERENCES areas(id),
    status TEXT NOT NULL CHECK (status IN ('yes', 'no', 'already_exists', 'unknown')),
    note TEXT, PRIMARY KEY (partner, area));
CREATE INDEX coverage_by_area ON coverage(area, status);
CREATE TABLE conflicts (
    id TEXT PRIMARY KEY, position INTEGER NOT NULL, subject TEXT NOT NULL, entity TEXT,
    field TEXT, reason TEXT NOT NULL);
CREATE TABLE claims (
    id INTEGER PRIMARY KEY, conflict TEXT NOT NULL REFERENCES conflicts(id),
    position INTEGER NOT NULL, value TEXT NOT NULL, preferred INTEGER NOT NULL, note TEXT);
CREATE TABLE instruments (
    id TEXT PRIMARY KEY, position INTEGER NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
    summary TEXT NOT NULL, adopted TEXT, reference TEXT);
CREATE TABLE instrument_elements (
    instrument TEXT NOT NULL REFERENCES instruments(id), position INTEGER NOT NULL,
    element TEXT NOT NULL, PRIMARY KEY (instrument, position));
CREATE TABLE milestones (
    id TEXT PRIMARY KEY, date TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL,
    summary TEXT NOT NULL);
CREATE TABLE milestone_parties (
    milestone TEXT NOT NULL REFERENCES milestones(id), position INTEGER NOT NULL,
    party TEXT NOT NULL REFERENCES parties(code), PRIMARY KEY (milestone, position));
CREATE TABLE resolutions (
    id TEXT PRIMARY KEY, date TEXT NOT NULL, title TEXT NOT NULL, reference TEXT);
CREATE TABLE resolution_calls (
    resolution TEXT NOT NULL REFERENCES resolutions(id), position INTEGER NOT NULL,
    text TEXT NOT NULL, PRIMARY KEY (resolution, position));
CREATE TABLE resolution_partners (
    resolution TEXT NOT NULL REFERENCES resolutions(id), position INTEGER NOT NULL,
    party TEXT NOT NULL REFERENCES parties(code), PRIMARY KEY (resolution, position));
-- Which sources support which fact: entity is a table name, entity_id that row's key.
CREATE TABLE citations (
    entity TEXT NOT NULL, entity_id TEXT NOT NULL, position INTEGER NOT NULL,
    source TEXT NOT NULL REFERENCES sources(id), PRIMARY KEY (entity, entity_id, position));
CREATE INDEX citations_by_source ON citations(source);
-- Table 1 as rows, for SQL users.
CREATE VIEW matrix AS
    SELECT c.partner, p.name AS partner_name, ps.signed, c.area, a.key AS area_key,
           a.label AS area_label, c.status
    FROM coverage c JOIN parties p ON p.code = c.partner
    JOIN partnerships ps ON ps.partner = c.partner JOIN areas a ON a.id = c.area;
