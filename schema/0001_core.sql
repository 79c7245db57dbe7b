-- forumd core schema: accounts, sessions, API tokens, the strategic objectives with their key
-- actions, threads and posts. Timestamps are unix seconds (UTC). Applied in one transaction.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT COLLATE NOCASE UNIQUE,          -- NULL once the account is erased
    password_hash TEXT,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'moderator', 'member')),
    stakeholder_type TEXT NOT NULL CHECK (stakeholder_type IN ('commission', 'member_state',
        'european_parliament', 'eu_agency', 'civil_society', 'academia', 'private_sector', 'citizen')),
    organisation TEXT,
    country TEXT,
    transparency_register_id TEXT,
    suspended_until INTEGER,
    suspend_reason TEXT,
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash BLOB NOT NULL UNIQUE,          -- BLAKE2b of the secret; the secret itself is never stored
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE objectives (
    id INTEGER PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    thread_count INTEGER NOT NULL DEFAULT 0,  -- kept in step by the write that adds a thread or post
    post_count INTEGER NOT NULL DEFAULT 0,
    last_post_at INTEGER
);

CREATE TABLE key_actions (
    id INTEGER PRIMARY KEY,
    objective_id INTEGER NOT NULL REFERENCES objectives(id),
    position INTEGER NOT NULL,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    UNIQUE (objective_id, slug),
    UNIQUE (objective_id, position)
);

CREATE TABLE threads (
    id INTEGER PRIMARY KEY,
    objective_id INTEGER NOT NULL REFERENCES objectives(id),
    key_action_id INTEGER REFERENCES key_actions(id),
    title TEXT NOT NULL,
    author_id INTEGER NOT NULL REFERENCES users(id),
    anonymous INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    last_post_at INTEGER NOT NULL,
    post_count INTEGER NOT NULL DEFAULT 0,
    locked INTEGER NOT NULL DEFAULT 0,
    pinned INTEGER NOT NULL DEFAULT 0,
    opens_at INTEGER,                          -- consultation window; both NULL when not one
    closes_at INTEGER,
    official_post_id INTEGER
);
-- Keyset pagination of an objective's (or a key action's) threads: pinned first, newest activity.
CREATE INDEX threads_by_objective ON threads(objective_id, pinned, last_post_at, id);
CREATE INDEX threads_by_key_action ON threads(key_action_id, pinned, last_post_at, id);

CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    thread_id INTEGER NOT NULL REFERENCES threads(id),
    parent_id INTEGER REFERENCES posts(id),
    author_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,                   -- rendered once, on write
    language TEXT,
    anonymous INTEGER NOT NULL DEFAULT 0,
    official INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    edited_at INTEGER,
    hidden INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX posts_by_thread ON posts(thread_id, id);
CREATE INDEX posts_by_author ON posts(author_id);

INSERT INTO objectives (id, number, slug, title, summary) VALUES
 (1, 1, 'crime-networks', 'Disrupt international criminal networks',
  'Identify and dismantle the criminal networks that operate across borders, protect the licit economy against their infiltration and take away their profits. The 2014 report names synthetic drugs, fraud facilitated by online communication, trafficking in human beings and environmental crime as growing challenges.'),
 (2, 2, 'terrorism-radicalisation', 'Prevent terrorism and address radicalisation and recruitment',
  'Empower communities to prevent radicalisation and recruitment, cut terrorists off from funding and materials, and protect transport. The 2014 report warns of risks to soft targets and of young people travelling abroad as foreign fighters who may pose a threat on their return.'),
 (3, 3, 'cyberspace', 'Raise levels of security for citizens and businesses in cyberspace',
  'Build the capacity of law enforcement and the judiciary, work with industry to empower and protect citizens, and improve the capability to deal with cyber-attacks. The 2014 report expects cybercrime and cyber-attacks to keep growing, with tools sold online and under-reporting by victims.'),
 (4, 4, 'border-management', 'Strengthen security through border management',
  'Make full use of EUROSUR and Frontex, manage the risks of goods crossing the external borders together, and improve inter-agency cooperation at national level. The 2014 report expects more people and goods to cross the external borders, calling for solidarity with the Member States under most pressure.'),
 (5, 5, 'crisis-resilience', 'Increase Europe''s resilience to crises and disasters',
  'Make full use of the solidarity clause, assess threats and risks with an all-hazard approach, link the situation awareness centres and build a European Emergency Response Capacity for natural and man-made disasters, including terrorist attacks.');

INSERT INTO key_actions (objective_id, position, slug, title) VALUES
 (1, 1, 'dismantle-networks', 'Identify and dismantle criminal networks'),
 (1, 2, 'protect-economy', 'Protect the economy against criminal infiltration'),
 (1, 3, 'confiscate-assets', 'Confiscate criminal assets'),
 (2, 1, 'empower-communities', 'Empower communities to prevent radicalisation and recruitment'),
 (2, 2, 'cut-funding', 'Cut off terrorists'' access to funding and materials and follow their transactions'),
 (2, 3, 'protect-transport', 'Protect transport'),
 (3, 1, 'law-enforcement-capacity', 'Build capacity in law enforcement and the judiciary'),
 (3, 2, 'work-with-industry', 'Work with industry to empower and protect citizens'),
 (3, 3, 'cyber-attack-capability', 'Improve capability for dealing with cyber-attacks'),
 (4, 1, 'eurosur', 'Exploit the full potential of EUROSUR'),
 (4, 2, 'frontex', 'Enhance the contribution of Frontex at the external borders'),
 (4, 3, 'goods-risk-management', 'Common risk management for movement of goods across external borders'),
 (4, 4, 'inter-agency-cooperation', 'Improve inter-agency cooperation at national level'),
 (5, 1, 'solidarity-clause', 'Make full use of the solidarity clause'),
 (5, 2, 'all-hazard-assessment', 'Develop an all-hazard approach to threat and risk assessments'),
 (5, 3, 'situation-awareness', 'Link the different situation awareness centres'),
 (5, 4, 'emergency-response', 'Develop a European Emergency Response Capacity for tackling disasters');
